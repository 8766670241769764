import { describe, expect, it } from "vitest";
import type { GroupResource, UserResource } from "./normalize";
import { activeOnlyPatch, applyUserPatch, memberOnlySteps, parsePatchBody, planGroupPatch, type PatchOperation } from "./patch";
import { PATCH_OP_SCHEMA, USER_SCHEMA } from "./schemas";
import { JANE, patchBody as body, scimError } from "./test-helpers";

describe("parsePatchBody", () => {
  it("lower-cases op, accepts any case of Operations, keeps path and value", () => {
    expect(
      parsePatchBody({
        operations: [
          { op: "Replace", path: "active", value: "False" },
          { OP: "REMOVE", path: " title " },
        ],
      }),
    ).toEqual([
      { op: "replace", path: "active", value: "False" },
      { op: "remove", path: "title" },
    ]);
  });

  it.each([
    ["not an object", "x"],
    ["no Operations", { schemas: [PATCH_OP_SCHEMA] }],
    ["empty Operations", body()],
    ["Operations not an array", { Operations: {} }],
    ["wrong schema", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], Operations: [{ op: "add", path: "title", value: "x" }] }],
    ["unknown op", body({ op: "move", path: "title", value: "x" })],
    ["op missing", body({ path: "title", value: "x" })],
    ["operation not an object", body("add")],
    ["path not a string", body({ op: "remove", path: 5 })],
    ["add without value", body({ op: "add", path: "title" })],
  ])("%s → 400 invalidSyntax", (_n, b) => {
    const err = scimError(() => parsePatchBody(b));
    expect([err.status, err.scimType]).toEqual([400, "invalidSyntax"]);
  });
});

describe("planGroupPatch", () => {
  const G: GroupResource = { displayName: "Eng", externalId: "ext", extra: {} };
  const plan = (...ops: unknown[]) => planGroupPatch(G, parsePatchBody(body(...ops)));

  it("Okta rename with id inside value, then membership", () => {
    expect(
      plan(
        { op: "replace", value: { id: "abf4dd94-a4c0-4f67-89c9-76b03340cb9b", displayName: "Eng Team" } },
        { op: "remove", path: 'members[value eq "u1"]' },
        { op: "add", path: "members", value: [{ value: "u2", display: "Two" }] },
      ),
    ).toEqual({
      group: { displayName: "Eng Team", externalId: "ext", extra: {} },
      memberSteps: [
        { action: "remove", ids: ["u1"] },
        { action: "add", ids: ["u2"] },
      ],
    });
  });

  it.each<[string, unknown[], unknown]>([
    [
      "Okta full replace",
      [{ op: "replace", path: "members", value: [{ value: "u1", display: "a" }, { value: "u2" }] }],
      [{ action: "replace", ids: ["u1", "u2"] }],
    ],
    ["replace with []", [{ op: "replace", path: "members", value: [] }], [{ action: "removeAll" }]],
    [
      "Entra add",
      [{ op: "Add", path: "members", value: [{ $ref: null, value: "u1" }, { value: "u2" }] }],
      [{ action: "add", ids: ["u1", "u2"] }],
    ],
    [
      "Entra remove by value array",
      [{ op: "Remove", path: "members", value: [{ value: "u1" }, { value: "u2" }] }],
      [{ action: "remove", ids: ["u1", "u2"] }],
    ],
    ["Entra remove by filter", [{ op: "Remove", path: 'members[value eq "u1"]' }], [{ action: "remove", ids: ["u1"] }]],
    [
      "remove with an or filter",
      [{ op: "remove", path: 'members[value eq "u1" or value eq "u2"]' }],
      [{ action: "remove", ids: ["u1", "u2"] }],
    ],
    ["remove all", [{ op: "remove", path: "members" }], [{ action: "removeAll" }]],
    [
      "Entra add then remove of the same member, in order",
      [
        { op: "Add", path: "members", value: [{ value: "u1" }] },
        { op: "Remove", path: "members", value: [{ value: "u1" }] },
      ],
      [
        { action: "add", ids: ["u1"] },
        { action: "remove", ids: ["u1"] },
      ],
    ],
    ["no-path replace of members", [{ op: "replace", value: { members: [{ value: "u1" }] } }], [{ action: "replace", ids: ["u1"] }]],
    ["no-path add of members", [{ op: "add", value: { members: [{ value: "u1" }, { value: "u1" }] } }], [{ action: "add", ids: ["u1"] }]],
    ["members display is ignored", [{ op: "replace", path: 'members[value eq "u1"].display', value: "x" }], []],
  ])("%s", (_n, ops, steps) => {
    expect(plan(...ops).memberSteps).toEqual(steps);
  });

  it("Entra rename and externalId", () => {
    expect(
      plan({ op: "Replace", path: "displayName", value: "1879db59" }, { op: "replace", path: "externalId", value: "e2" }).group,
    ).toEqual({ displayName: "1879db59", externalId: "e2", extra: {} });
    expect(plan({ op: "remove", path: "externalId" }).group).toEqual({ displayName: "Eng", extra: {} });
  });

  it("does not mutate the group", () => {
    const before = structuredClone(G);
    plan({ op: "replace", value: { displayName: "X", externalId: null } });
    expect(G).toEqual(before);
  });

  it.each<[string, unknown[], string]>([
    ["members filter other than value eq", [{ op: "remove", path: 'members[display eq "x"]' }], "invalidFilter"],
    ["member without an id", [{ op: "add", path: "members", value: [{ display: "x" }] }], "invalidValue"],
    ["member with an empty id", [{ op: "add", path: "members", value: [{ value: "" }] }], "invalidValue"],
    ["remove without path", [{ op: "remove" }], "noTarget"],
    ["empty displayName", [{ op: "replace", path: "displayName", value: "" }], "invalidValue"],
    ["removing displayName", [{ op: "remove", path: "displayName" }], "invalidValue"],
    ["unknown path", [{ op: "replace", path: "owner", value: "x" }], "invalidPath"],
    ["id", [{ op: "replace", path: "id", value: "x" }], "mutability"],
  ])("%s → 400", (_n, ops, scimType) => {
    const err = scimError(() => plan(...ops));
    expect([err.status, err.scimType]).toEqual([400, scimType]);
  });

  it("invalidFilter names the supported form", () => {
    expect(scimError(() => plan({ op: "remove", path: 'members[value co "u"]' })).detail).toMatch(
      /only members\[value eq "…"\] is supported/i,
    );
  });
});

describe("activeOnlyPatch", () => {
  const ops = (...o: unknown[]) => parsePatchBody(body(...o));
  const activeOnly: [string, PatchOperation[], boolean][] = [
    ["Okta's deactivation", ops({ op: "replace", value: { active: false } }), false],
    ["Okta's reactivation", ops({ op: "replace", value: { active: true } }), true],
    ["Entra's string boolean with a path", ops({ op: "Replace", path: "active", value: "False" }), false],
    ["Entra's reactivation", ops({ op: "Replace", path: "active", value: "True" }), true],
    ["a URN-qualified path", ops({ op: "replace", path: `${USER_SCHEMA}:active`, value: false }), false],
    ["add on a single value", ops({ op: "add", path: "ACTIVE", value: true }), true],
    ["the last of several", ops({ op: "replace", path: "active", value: false }, { op: "replace", value: { Active: "true" } }), true],
  ];
  it.each(activeOnly)("%s sets active and nothing else", (_name, o, expected) => {
    expect(activeOnlyPatch(o)).toBe(expected);
    // What the shortcut writes (the stored resource with `active` set) is what the engine makes of it, whatever the
    // user looked like.
    const users: UserResource[] = [JANE, { ...JANE, active: false }, { userName: "no-active@acme.com", emails: [{ value: "x@acme.com" }] }];
    for (const user of users) expect(applyUserPatch(user, o)).toEqual({ ...structuredClone(user), active: expected });
  });

  it.each([
    ["a remove", ops({ op: "remove", path: "active" })],
    ["another attribute beside it", ops({ op: "replace", value: { active: false, displayName: "X" } })],
    ["another operation beside it", ops({ op: "replace", path: "active", value: false }, { op: "replace", path: "title", value: "CEO" })],
    ["a value the engine refuses", ops({ op: "replace", path: "active", value: "maybe" })],
    ["a null value (clears it)", ops({ op: "replace", path: "active", value: null })],
    ["the core schema as a container", ops({ op: "replace", value: { [USER_SCHEMA]: { active: false } } })],
    ["a filtered path", ops({ op: "replace", path: 'emails[type eq "work"].value', value: "a@b.c" })],
    ["no operations", []],
  ] as [string, PatchOperation[]][])("is undefined for %s", (_name, o) => {
    expect(activeOnlyPatch(o)).toBeUndefined();
  });
});

describe("memberOnlySteps", () => {
  const U1 = "6f1c4c36-64c6-4a8e-9f4f-0d6f4f3b0a11";
  const U2 = "6f1c4c36-64c6-4a8e-9f4f-0d6f4f3b0a12";

  it("gives the add and remove steps of a PATCH that only changes members, in order, with and without a path", () => {
    expect(
      memberOnlySteps([
        { op: "add", path: "members", value: [{ value: U1 }] },
        { op: "remove", path: `members[value eq "${U2}"]` },
        { op: "add", value: { members: [{ value: U2 }] } },
      ]),
    ).toEqual([
      { action: "add", ids: [U1] },
      { action: "remove", ids: [U2] },
      { action: "add", ids: [U2] },
    ]);
    // members[…].display is read-only: nothing to do, still members only.
    expect(memberOnlySteps([{ op: "replace", path: `members[value eq "${U1}"].display`, value: "x" }])).toEqual([]);
  });

  it("is undefined when the PATCH touches anything else, replaces or empties the list, or is refused", () => {
    expect(memberOnlySteps([{ op: "replace", value: { id: "g", displayName: "Eng" } }])).toBeUndefined();
    expect(memberOnlySteps([{ op: "replace", path: "externalId", value: "x" }])).toBeUndefined();
    expect(memberOnlySteps([{ op: "replace", path: "members", value: [{ value: U1 }] }])).toBeUndefined();
    expect(memberOnlySteps([{ op: "remove", path: "members" }])).toBeUndefined();
    expect(memberOnlySteps([{ op: "remove", path: "displayName" }])).toBeUndefined();
  });
});
