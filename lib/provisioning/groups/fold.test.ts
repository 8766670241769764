import { describe, expect, it } from "vitest";
import { foldMemberSteps } from "./statements";

const [a, b, c] = ["00000000-0000-4000-8000-00000000000a", "00000000-0000-4000-8000-00000000000b", "00000000-0000-4000-8000-00000000000c"];

describe("foldMemberSteps", () => {
  it("folds a run of adds and removes into at most one remove and one add, the last step of each member deciding", () => {
    expect(
      foldMemberSteps([
        { action: "add", ids: [a, b] },
        { action: "remove", ids: [a] }, // Entra's add-then-remove of one member ends with it removed
        { action: "add", ids: [c] },
        { action: "remove", ids: [c] },
        { action: "add", ids: [c] },
      ]),
    ).toEqual([
      { action: "remove", ids: [a] },
      { action: "add", ids: [b, c] },
    ]);
  });

  it("keeps a replace and a removeAll where they are, folding the runs around them", () => {
    expect(
      foldMemberSteps([
        { action: "add", ids: [a] },
        { action: "add", ids: [b] },
        { action: "removeAll" },
        { action: "add", ids: [c] },
        { action: "replace", ids: [a] },
        { action: "remove", ids: [a] },
      ]),
    ).toEqual([
      { action: "add", ids: [a, b] },
      { action: "removeAll" },
      { action: "add", ids: [c] },
      { action: "replace", ids: [a] },
      { action: "remove", ids: [a] },
    ]);
  });

  it("refuses an added value that is not an id even when a later remove cancels it", () => {
    expect(() =>
      foldMemberSteps([
        { action: "add", ids: ["not-an-id"] },
        { action: "remove", ids: ["not-an-id"] },
      ]),
    ).toThrow(/No User with id "not-an-id"/);
  });
});
