import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { scimGroupMembers, scimGroups } from "@/db/schema";
import { uniqueSuffix } from "@/db/test-support";
import { call, h, scimOrg, withScimDatabase } from "@/lib/provisioning/test-harness";

// Member-only PATCHes, how Okta and Entra push groups: the version moves once per change and not at all without one,
// a refused add undoes the whole request (its removes too), and another org's group is a 404 that changes nothing.
withScimDatabase();

const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

type Org = Awaited<ReturnType<typeof scimOrg>>;
/** PATCH /Groups/{id}{query} with these operations, as the org's SCIM client. */
const patchGroup = (a: Org, groupId: string, Operations: unknown[], query = "") =>
  call(a.orgId, a.token, "PATCH", `/Groups/${groupId}${query}`, { schemas: [PATCH_OP], Operations });
const newUser = async (a: Org, name: string) =>
  ((await (await call(a.orgId, a.token, "POST", "/Users", { userName: `${name}.${uniqueSuffix()}@example.com` })).json()) as { id: string })
    .id;
const newGroup = async (a: Org, members: string[] = []) =>
  (
    (await (
      await call(a.orgId, a.token, "POST", "/Groups", { displayName: `G ${uniqueSuffix()}`, members: members.map((value) => ({ value })) })
    ).json()) as { id: string }
  ).id;
const stored = async (groupId: string) => {
  const [row] = await h.db.select().from(scimGroups).where(eq(scimGroups.id, groupId));
  const members = await h.db.select({ id: scimGroupMembers.userId }).from(scimGroupMembers).where(eq(scimGroupMembers.groupId, groupId));
  return { version: row!.version, count: row!.memberCount, members: members.map((m) => m.id).sort() };
};

describe("member-only PATCH on a group", () => {
  it("adds and removes in one request, keeps the count exact, moves the version once, and not at all when nothing changes", async () => {
    const a = await scimOrg();
    const [u1, u2, u3] = [await newUser(a, "m1"), await newUser(a, "m2"), await newUser(a, "m3")];
    const g = await newGroup(a, [u1]);
    const before = await stored(g);

    const res = await patchGroup(a, g, [
      { op: "add", path: "members", value: [{ value: u2 }, { value: u3 }] },
      { op: "remove", path: `members[value eq "${u1}"]` },
    ]);
    expect(res.status).toBe(204);
    const after = await stored(g);
    expect(after).toEqual({ version: before.version + 1, count: 2, members: [u2, u3].sort() });
    expect(res.headers.get("etag")).toBe(`W/"${after.version}"`);

    // Adding someone already in, removing someone not in: nothing changes, the version stays.
    const same = await patchGroup(a, g, [
      { op: "add", path: "members", value: [{ value: u2 }] },
      { op: "remove", path: `members[value eq "${u1}"]` },
    ]);
    expect(same.status).toBe(204);
    expect(await stored(g)).toEqual(after);
    expect(same.headers.get("etag")).toBe(`W/"${after.version}"`);

    // With attributes asked for, the answer is the group as saved.
    const shown = await patchGroup(a, g, [{ op: "add", path: "members", value: [{ value: u1 }] }], "?attributes=members");
    expect(shown.status).toBe(200);
    const body = (await shown.json()) as { members: { value: string }[] };
    expect(body.members.map((m) => m.value).sort()).toEqual([u1, u2, u3].sort());
    expect(await stored(g)).toEqual({ version: after.version + 1, count: 3, members: [u1, u2, u3].sort() });
  });

  it("refuses an add naming a user the org does not have — 400 invalidValue naming it — and changes nothing", async () => {
    const a = await scimOrg();
    const b = await scimOrg();
    const [u1, u2] = [await newUser(a, "r1"), await newUser(a, "r2")];
    const elsewhere = await newUser(b, "other");
    const g = await newGroup(a, [u1]);
    const before = await stored(g);
    for (const stranger of ["6f1c4c36-64c6-4a8e-9f4f-0d6f4f3b0a11", elsewhere]) {
      const res = await patchGroup(a, g, [
        { op: "remove", path: `members[value eq "${u1}"]` },
        { op: "add", path: "members", value: [{ value: u2 }, { value: stranger }] },
      ]);
      expect(res.status).toBe(400);
      const error = (await res.json()) as { scimType: string; detail: string };
      expect(error.scimType).toBe("invalidValue");
      expect(error.detail).toBe(`No User with id "${stranger}" exists in this organization, so it cannot be a group member.`);
      // Neither the remove nor the known add of the same request was kept.
      expect(await stored(g)).toEqual(before);
    }
  });

  it("answers 404 for a group that is not there or is another org's, and leaves the other org's group as it was", async () => {
    const a = await scimOrg();
    const b = await scimOrg();
    const mine = await newUser(a, "mine");
    const theirs = await newUser(b, "theirs");
    const theirGroup = await newGroup(b, [theirs]);
    const before = await stored(theirGroup);
    for (const ops of [
      [{ op: "remove", path: `members[value eq "${theirs}"]` }],
      [{ op: "add", path: "members", value: [{ value: mine }] }],
    ]) {
      expect((await patchGroup(a, theirGroup, ops)).status).toBe(404);
      expect((await patchGroup(a, "6f1c4c36-64c6-4a8e-9f4f-0d6f4f3b0a12", ops)).status).toBe(404);
    }
    expect(await stored(theirGroup)).toEqual(before);
  });
});
