import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle, Db } from "@/db/client";
import { accounts, groupMappings, groupMappingStackRoles, memberships, stackRoles } from "@/db/schema";
import { openTestDatabase, uniqueSuffix } from "@/db/test-support";
import { SYSTEM_ACTOR } from "@/lib/audit/record";
import { findAccountByEmail } from "@/lib/orgs/accounts";
import { createOrganization } from "@/lib/orgs/create-organization";
import { createGroup, deleteGroup, patchGroup } from "@/lib/provisioning/groups";
import { createUser, deleteUser, patchUser, type Ctx } from "@/lib/provisioning/users";
import { createStack } from "@/lib/stacks/create-stack";
import { stackGrantsOf } from "./grants";
import { applyGroupChange, savedMapping } from "./group-change";
import { isEmpty, recomputeAccess } from "./recompute";

// Effective access (PRODUCT.md) through the same use cases the SCIM endpoint runs, on a real database.
let h: DatabaseHandle;
beforeAll(async () => {
  h = await openTestDatabase();
});
afterAll(async () => {
  await h?.close();
});

const req = () => new Request("http://localhost/scim");
const none = { attributes: [], excludedAttributes: [] };

async function setup() {
  const { org, ownerAccountId } = await createOrganization(h.db, {
    name: "Access Co",
    ownerEmail: `owner.${uniqueSuffix()}@example.com`,
    ownerPassword: "password-123",
  });
  const ctx: Ctx = { db: h.db, orgId: org.id, base: `http://localhost/scim/v2.0/organizations/${org.id}` };
  const [dev, web] = await h.db.transaction(async (tx) => [
    await createStack(tx, SYSTEM_ACTOR, org.id, "Dev"),
    await createStack(tx, SYSTEM_ACTOR, org.id, "Web"),
  ]);
  const roles = await h.db.select().from(stackRoles);
  const role = (stackId: string, name: string) => roles.find((r) => r.stackId === stackId && r.name === name)!.id;
  return { org, ctx, ownerAccountId, dev: dev!, web: web!, role };
}

async function scimUser(ctx: Ctx, email: string): Promise<{ id: string; accountId: string }> {
  const out = await createUser(ctx, { userName: email, emails: [{ value: email, primary: true }] }, none);
  const account = await findAccountByEmail(h.db, email);
  return { id: out.resourceId!, accountId: account!.id };
}

async function group(ctx: Ctx, name: string, members: string[]): Promise<string> {
  return (await createGroup(ctx, { displayName: name, members: members.map((value) => ({ value })) }, none)).resourceId!;
}

async function map(db: Db, orgId: string, groupId: string, orgRole: "admin" | "member", stacks: [string, string][]) {
  const saved = await savedMapping(db, groupId);
  await db
    .insert(groupMappings)
    .values({ groupId, orgId, orgRole })
    .onConflictDoUpdate({ target: groupMappings.groupId, set: { orgRole } });
  await db.delete(groupMappingStackRoles).where(eq(groupMappingStackRoles.groupId, groupId));
  if (stacks.length)
    await db.insert(groupMappingStackRoles).values(stacks.map(([stackId, stackRoleId]) => ({ groupId, orgId, stackId, stackRoleId })));
  const after = stacks.map(([stackId, roleId]) => ({ stackId, roleId }));
  return applyGroupChange(db, orgId, { groupId, roleBefore: saved.role, roleAfter: orgRole, before: saved.pairs, after });
}

async function accessOf(orgId: string, accountId: string) {
  const [m] = await h.db
    .select()
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.accountId, accountId)));
  const stacks = await stackGrantsOf(h.db, orgId, accountId);
  return { role: m?.role ?? null, scimManaged: m?.scimManaged ?? null, stacks: stacks.map((s) => `${s.stackId}:${s.role}`).sort() };
}

describe("effective access", () => {
  it("a provisioned user is a SCIM-managed Member; highest mapped org role wins; stack roles add up", async () => {
    const { org, ctx, dev, web, role } = await setup();
    const jane = await scimUser(ctx, `jane.${uniqueSuffix()}@acme.com`);
    expect(await accessOf(org.id, jane.accountId)).toEqual({ role: "member", scimManaged: true, stacks: [] });

    const eng = await group(ctx, "Engineering", [jane.id]);
    const mkt = await group(ctx, "Marketing", [jane.id]);
    const changes = await map(h.db, org.id, eng, "admin", [[dev.id, role(dev.id, "Developer")]]);
    expect(changes).toMatchObject({ roleChanges: 1, stackGrants: 1, stackRevocations: 0 });
    expect(changes.sample.roles[0]).toMatchObject({ accountId: jane.accountId, from: "member", to: "admin" });
    await map(h.db, org.id, mkt, "member", [
      [dev.id, role(dev.id, "Content Manager")],
      [web.id, role(web.id, "Content Manager")],
    ]);
    expect(await accessOf(org.id, jane.accountId)).toEqual({
      role: "admin",
      scimManaged: true,
      stacks: [`${dev.id}:Content Manager`, `${dev.id}:Developer`, `${web.id}:Content Manager`].sort(),
    });

    // Leaving Engineering: back to Member, Developer gone, Marketing's roles stay.
    await patchGroup(ctx, req(), eng, { Operations: [{ op: "remove", path: `members[value eq "${jane.id}"]` }] }, none);
    expect(await accessOf(org.id, jane.accountId)).toEqual({
      role: "member",
      scimManaged: true,
      stacks: [`${dev.id}:Content Manager`, `${web.id}:Content Manager`].sort(),
    });

    // Deleting Marketing takes its grants away.
    await deleteGroup(ctx, req(), mkt);
    expect(await accessOf(org.id, jane.accountId)).toEqual({ role: "member", scimManaged: true, stacks: [] });
  });

  it("deactivation removes the person from the org; reactivation restores access from current groups, same id", async () => {
    const { org, ctx, dev, role } = await setup();
    const bob = await scimUser(ctx, `bob.${uniqueSuffix()}@acme.com`);
    const eng = await group(ctx, "Engineering", [bob.id]);
    await map(h.db, org.id, eng, "admin", [[dev.id, role(dev.id, "Admin")]]);
    expect((await accessOf(org.id, bob.accountId)).role).toBe("admin");

    const off = await patchUser(ctx, req(), bob.id, { Operations: [{ op: "replace", value: { active: false } }] }, none);
    expect(off.access).toMatchObject({ membership: "removed", removedRole: "admin" });
    expect(await accessOf(org.id, bob.accountId)).toEqual({ role: null, scimManaged: null, stacks: [] });
    const [account] = await h.db.select().from(accounts).where(eq(accounts.id, bob.accountId));
    expect(account).toMatchObject({ id: bob.accountId }); // the account is kept

    // While deactivated, a mapping change does not bring them back.
    await map(h.db, org.id, eng, "admin", [[dev.id, role(dev.id, "Developer")]]);
    expect((await accessOf(org.id, bob.accountId)).role).toBeNull();

    const on = await patchUser(ctx, req(), bob.id, { Operations: [{ op: "replace", path: "active", value: "True" }] }, none);
    expect(on.resourceId).toBe(bob.id);
    expect(on.access).toMatchObject({ membership: "joined", roleChanges: 1, stackGrants: 1 });
    expect(await accessOf(org.id, bob.accountId)).toEqual({ role: "admin", scimManaged: true, stacks: [`${dev.id}:Developer`] });

    await deleteUser(ctx, req(), bob.id);
    expect((await accessOf(org.id, bob.accountId)).role).toBeNull();
  });

  it("SCIM never changes, removes or marks the Owner", async () => {
    const { org, ctx, ownerAccountId, dev, role } = await setup();
    const [owner] = await h.db.select().from(accounts).where(eq(accounts.id, ownerAccountId));
    const asScim = await scimUser(ctx, owner!.email);
    expect(asScim.accountId).toBe(ownerAccountId);
    const eng = await group(ctx, "Engineering", [asScim.id]);
    await map(h.db, org.id, eng, "member", [[dev.id, role(dev.id, "Developer")]]);
    expect(await accessOf(org.id, ownerAccountId)).toEqual({ role: "owner", scimManaged: false, stacks: [] });
    await patchUser(ctx, req(), asScim.id, { Operations: [{ op: "replace", value: { active: false } }] }, none);
    await deleteUser(ctx, req(), asScim.id);
    expect((await accessOf(org.id, ownerAccountId)).role).toBe("owner");
  });

  it("never leaves an org without an Owner or Admin (the last one is not demoted by a mapping change)", async () => {
    const { org, ctx, ownerAccountId } = await setup();
    const solo = await scimUser(ctx, `solo.${uniqueSuffix()}@acme.com`);
    const eng = await group(ctx, "Admins", [solo.id]);
    await map(h.db, org.id, eng, "admin", []);
    expect((await accessOf(org.id, solo.accountId)).role).toBe("admin");
    // An org whose only Owner/Admin left is this SCIM-managed Admin (the Owner row is gone, as after a data repair).
    await h.db.delete(memberships).where(and(eq(memberships.orgId, org.id), eq(memberships.accountId, ownerAccountId)));
    const changes = await map(h.db, org.id, eng, "member", []);
    expect(changes.roleChanges).toBe(0);
    expect((await accessOf(org.id, solo.accountId)).role).toBe("admin");
  });

  it("a manually added Admin who gets provisioned is linked but not taken over: they stay Admin until handed to SCIM (issue 12)", async () => {
    const { org, ctx } = await setup();
    const email = `pat.${uniqueSuffix()}@acme.com`;
    const [acc] = await h.db.insert(accounts).values({ email }).returning();
    await h.db.insert(memberships).values({ orgId: org.id, accountId: acc!.id, role: "admin" });
    const pat = await scimUser(ctx, email.toUpperCase());
    expect(pat.accountId).toBe(acc!.id); // linked by email, case-insensitively
    expect(await accessOf(org.id, acc!.id)).toEqual({ role: "admin", scimManaged: false, stacks: [] });
  });

  it("reactivation in one statement gives exactly what the rules give (recomputing afterwards changes nothing)", async () => {
    const { org, ctx, dev, web, role } = await setup();
    const ann = await scimUser(ctx, `ann.${uniqueSuffix()}@acme.com`);
    const other = await scimUser(ctx, `other.${uniqueSuffix()}@acme.com`);
    const eng = await group(ctx, "Engineering", [ann.id, other.id]);
    const ops = await group(ctx, "Ops", [ann.id]);
    const plain = await group(ctx, "Unmapped", [ann.id]);
    await map(h.db, org.id, eng, "member", [[dev.id, role(dev.id, "Developer")]]);
    await map(h.db, org.id, ops, "admin", [
      [dev.id, role(dev.id, "Admin")],
      [web.id, role(web.id, "Content Manager")],
    ]);
    expect(plain).toMatch(/^[0-9a-f-]{36}$/); // an unmapped group, which must change nothing
    const before = await accessOf(org.id, ann.accountId);
    expect(before.role).toBe("admin");

    await patchUser(ctx, req(), ann.id, { Operations: [{ op: "replace", value: { active: false } }] }, none);
    expect((await accessOf(org.id, ann.accountId)).role).toBeNull();
    const on = await patchUser(ctx, req(), ann.id, { Operations: [{ op: "replace", value: { active: true } }] }, none);
    expect(on.access).toMatchObject({ membership: "joined", roleChanges: 1, stackGrants: 3, stackRevocations: 0 });
    expect(on.access!.sample.roles).toEqual([
      { accountId: ann.accountId, email: expect.stringMatching(/^ann\./), from: "member", to: "admin" },
    ]);
    expect(on.access!.sample.granted).toHaveLength(3);
    expect(await accessOf(org.id, ann.accountId)).toEqual({ ...before, scimManaged: true });
    expect(isEmpty(await recomputeAccess(h.db, org.id, { userIds: [ann.id, other.id] }))).toBe(true);
  });

  it("reactivating someone who was given a membership in the portal meanwhile keeps that membership as given (issue 12)", async () => {
    const { org, ctx } = await setup();
    const kim = await scimUser(ctx, `kim.${uniqueSuffix()}@acme.com`);
    await patchUser(ctx, req(), kim.id, { Operations: [{ op: "replace", path: "active", value: "False" }] }, none);
    await h.db.insert(memberships).values({ orgId: org.id, accountId: kim.accountId, role: "admin" }); // an Owner's decision
    const on = await patchUser(ctx, req(), kim.id, { Operations: [{ op: "replace", path: "active", value: "True" }] }, none);
    expect(on.status).toBe(200);
    expect(on.access).toMatchObject({ roleChanges: 0, membership: undefined });
    expect(await accessOf(org.id, kim.accountId)).toEqual({ role: "admin", scimManaged: false, stacks: [] });
  });

  it("a mapping change reaches every member of the group, reports a bounded sample, and is idempotent", async () => {
    const { org, ctx, web, role } = await setup();
    const people = [];
    for (let i = 0; i < 30; i++) people.push(await scimUser(ctx, `p${i}.${uniqueSuffix()}@acme.com`));
    const all = await group(
      ctx,
      "Everyone",
      people.map((p) => p.id),
    );
    const granted = await map(h.db, org.id, all, "member", [[web.id, role(web.id, "Developer")]]);
    expect(granted).toMatchObject({ roleChanges: 0, stackGrants: 30, stackRevocations: 0 });
    expect(granted.sample.granted).toHaveLength(20); // a bounded sample for the log
    const changed = await map(h.db, org.id, all, "member", [[web.id, role(web.id, "Admin")]]);
    expect(changed).toMatchObject({ stackGrants: 30, stackRevocations: 30 });
    const again = await map(h.db, org.id, all, "member", [[web.id, role(web.id, "Admin")]]);
    expect(again).toMatchObject({ roleChanges: 0, stackGrants: 0, stackRevocations: 0 });
  });
});
