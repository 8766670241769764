import { describe, expect, it } from "vitest";
import { NO_CHANGES } from "@/lib/access/recompute";
import { accessWords, describeMappingChange, describeRequest, type DescribedRequest } from "./describe";

// The log's sentences for the shapes the integration tests (readable-log.test.ts) do not reach through the API.
const base: DescribedRequest = { method: "PATCH", status: 200, resourceType: "Group", endpoint: "item", path: "/Groups/x" };
const change = (email: string, to: string) => ({ accountId: email, email, from: "member", to });

describe("describeRequest", () => {
  it("a rename with member changes says both, and access changes follow", () => {
    const access = {
      ...NO_CHANGES,
      roleChanges: 2,
      sample: { ...NO_CHANGES.sample, roles: [change("a@x", "admin"), change("b@x", "admin")] },
    };
    expect(describeRequest({ ...base, facts: { name: "Engineering", renamedFrom: "Eng", membersAdded: 2 }, access })).toBe(
      "Renamed group Eng → Engineering; added 2 members to Engineering — 2 became Admin",
    );
  });

  it("a user created inactive, an unmapped lookup and a 500 each read as what they were", () => {
    const user = { ...base, resourceType: "User" as const, method: "POST", endpoint: "collection" as const, status: 201 };
    expect(describeRequest({ ...user, facts: { name: "x@example.org", activeNow: false } })).toBe("Created x@example.org, deactivated");
    expect(describeRequest({ ...user, method: "GET", status: 200, list: { total: 40, returned: 2 } })).toBe("Listed users: 2 of 40");
    expect(
      describeRequest({ ...user, status: 500, error: { detail: "Internal error (request id r1)." }, requestedName: "x@example.org" }),
    ).toBe("Refused to create x@example.org: an unexpected error on our side");
    expect(describeRequest({ ...base, resourceType: undefined, endpoint: "other", method: "GET", path: "/Schemas" })).toBe(
      "Read the schemas",
    );
  });

  it("cuts a sentence at 300 characters", () => {
    const long = describeRequest({ ...base, status: 400, error: { detail: "y".repeat(1000) } });
    expect(long.length).toBe(300);
    expect(long.endsWith("…")).toBe(true);
  });
});

describe("access words and mapping saves", () => {
  it("mixed role changes are counted, one kind of stack grant is named", () => {
    const a = {
      ...NO_CHANGES,
      roleChanges: 3,
      stackGrants: 4,
      sample: {
        roles: [change("a@x", "admin"), change("b@x", "member")],
        granted: [{ accountId: "a", email: "a@x", stack: "Docs", role: "Developer" }],
        revoked: [],
      },
    };
    expect(accessWords(a)).toEqual(["3 role changes", "4 gained Developer on Docs"]);
    expect(describeMappingChange("saved", "Engineering", "admin", NO_CHANGES)).toBe(
      "Mapped group Engineering to Admin — no one's access changed",
    );
    expect(describeMappingChange("removed", "Engineering", undefined, a)).toBe(
      "Removed the mapping of group Engineering — 3 role changes; 4 gained Developer on Docs",
    );
  });
});
