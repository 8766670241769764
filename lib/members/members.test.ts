import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { queryRows } from "@/db/client";
import { accounts, auditEvents, invitations, memberships } from "@/db/schema";
import { uniqueSuffix } from "@/db/test-support";
import { CLI_ACTOR, SYSTEM_ACTOR, type AuditActor } from "@/lib/audit/record";
import { configureSso } from "@/lib/sso/connections";
import { verifyPassword } from "@/lib/auth/password";
import { h, scimOrg, withScimDatabase } from "@/lib/provisioning/test-harness";
import { acceptInvitation, createInvitation, invitationByToken, listOpenInvitations, revokeInvitation } from "./invitations";
import { changeMemberRole, removeMember, transferOwnership, type Acting } from "./manage";

// Members managed by hand: invitations (single-use, expiring, revocable), role changes, removal, ownership transfer —
// each with its audit event, written in the same transaction.
withScimDatabase();

const origin = { ip: "203.0.113.7", userAgent: "test-agent" };
const email = (name: string) => `${name}.${uniqueSuffix()}@example.com`;

async function ownerOf(orgId: string) {
  const [o] = await h.db
    .select({ id: accounts.id, email: accounts.email })
    .from(memberships)
    .innerJoin(accounts, eq(accounts.id, memberships.accountId))
    .where(and(eq(memberships.orgId, orgId), eq(memberships.role, "owner")));
  return o!;
}
const web = (a: { id: string; email: string }): AuditActor => ({ kind: "web", accountId: a.id, email: a.email, ...origin });
const acting = (a: { id: string; email: string }, role: "owner" | "admin"): Acting => ({ actor: web(a), accountId: a.id, role });

async function roleOf(orgId: string, accountId: string) {
  const [m] = await h.db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.accountId, accountId)));
  return m?.role ?? null;
}
const audit = (orgId: string, action: string) =>
  h.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.orgId, orgId), eq(auditEvents.action, action)));

/** A member made by accepting an invitation as a new person. */
async function member(orgId: string, role: "admin" | "member", inviter: AuditActor = CLI_ACTOR) {
  const address = email(role);
  const { token } = await createInvitation(h.db, inviter, { orgId, email: address, role });
  const joined = await acceptInvitation(h.db, token, { name: "Pat", password: "password-123" }, origin);
  return { id: joined.accountId, email: address };
}

describe("invitations", () => {
  it("a new person accepts once: account with their password, membership with the role, the link used up; both steps audited", async () => {
    const org = await scimOrg();
    const owner = await ownerOf(org.orgId);
    const address = email("new");
    const { token, url, invitation } = await createInvitation(h.db, web(owner), { orgId: org.orgId, email: address, role: "admin" });
    expect(url).toMatch(new RegExp(`/invite/${token}$`));
    expect(token.length).toBeGreaterThanOrEqual(40);
    // Only the hash is stored.
    const [stored] = await h.db.select().from(invitations).where(eq(invitations.id, invitation.id));
    expect(stored!.tokenHash).not.toContain(token);
    expect((await invitationByToken(h.db, token))!.state).toBe("open");

    const joined = await acceptInvitation(h.db, token, { name: "Nia New", password: "password-123" }, origin);
    expect(joined).toMatchObject({ orgId: org.orgId, email: address, role: "admin", accountCreated: true });
    expect(await roleOf(org.orgId, joined.accountId)).toBe("admin");
    const [account] = await h.db.select().from(accounts).where(eq(accounts.id, joined.accountId));
    expect(account!.name).toBe("Nia New");
    expect(await verifyPassword("password-123", account!.passwordHash!)).toBe(true);
    expect((await invitationByToken(h.db, token))!.state).toBe("accepted");
    await expect(acceptInvitation(h.db, token, { name: "Again", password: "password-123" }, origin)).rejects.toThrow(/already used/);

    const [invited] = await audit(org.orgId, "member.invited");
    expect(invited).toMatchObject({
      actorKind: "web",
      actorAccountId: owner.id,
      actorEmail: owner.email,
      ip: "203.0.113.7",
      targetLabel: address,
    });
    expect(invited!.details).toMatchObject({ role: "admin" });
    const [accepted] = await audit(org.orgId, "invitation.accepted");
    expect(accepted).toMatchObject({ actorKind: "web", actorAccountId: joined.accountId, actorEmail: address, targetId: joined.accountId });
  });

  it("an existing account accepts as itself only; a wrong account is refused and nothing changes", async () => {
    const org = await scimOrg();
    const address = email("existing");
    const [existing] = await h.db.insert(accounts).values({ email: address, name: "Eve" }).returning();
    const [other] = await h.db
      .insert(accounts)
      .values({ email: email("other"), name: "Oz" })
      .returning();
    const { token } = await createInvitation(h.db, CLI_ACTOR, { orgId: org.orgId, email: address.toUpperCase(), role: "member" });
    expect((await invitationByToken(h.db, token))!.accountExists).toBe(true);
    await expect(acceptInvitation(h.db, token, { account: other! }, origin)).rejects.toThrow(/This invitation is for/);
    await expect(acceptInvitation(h.db, token, { name: "Imposter", password: "password-123" }, origin)).rejects.toThrow(/exists already/);
    expect(await roleOf(org.orgId, existing!.id)).toBeNull();
    const joined = await acceptInvitation(h.db, token, { account: existing! }, origin);
    expect(joined.accountCreated).toBe(false);
    expect(await roleOf(org.orgId, existing!.id)).toBe("member");
  });

  it("expired and revoked links are refused; inviting again replaces the earlier link; a member cannot be invited", async () => {
    const org = await scimOrg();
    const address = email("late");
    const first = await createInvitation(h.db, CLI_ACTOR, { orgId: org.orgId, email: address, role: "member" });
    const second = await createInvitation(h.db, CLI_ACTOR, { orgId: org.orgId, email: address, role: "admin" });
    expect((await invitationByToken(h.db, first.token))!.state).toBe("revoked");
    expect((await listOpenInvitations(h.db, org.orgId)).map((i) => i.email)).toEqual([address]);

    await h.db
      .update(invitations)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(invitations.id, second.invitation.id));
    expect((await invitationByToken(h.db, second.token))!.state).toBe("expired");
    await expect(acceptInvitation(h.db, second.token, { name: "Late", password: "password-123" }, origin)).rejects.toThrow(/expired/);

    const third = await createInvitation(h.db, CLI_ACTOR, { orgId: org.orgId, email: address, role: "member" });
    await revokeInvitation(h.db, CLI_ACTOR, org.orgId, third.invitation.id);
    await expect(acceptInvitation(h.db, third.token, { name: "Late", password: "password-123" }, origin)).rejects.toThrow(/revoked/);
    await expect(revokeInvitation(h.db, CLI_ACTOR, org.orgId, third.invitation.id)).rejects.toThrow(/already used, revoked/);
    expect(await audit(org.orgId, "invitation.revoked")).toHaveLength(1);
    expect(await invitationByToken(h.db, "not-a-real-token-but-long-enough")).toBeNull();

    const owner = await ownerOf(org.orgId);
    await expect(createInvitation(h.db, CLI_ACTOR, { orgId: org.orgId, email: owner.email, role: "member" })).rejects.toThrow(
      /already a member/,
    );
  });

  it("a too-short password is refused and writes nothing (no account, no membership, the link still open)", async () => {
    const org = await scimOrg();
    const address = email("short");
    const { token } = await createInvitation(h.db, CLI_ACTOR, { orgId: org.orgId, email: address, role: "member" });
    await expect(acceptInvitation(h.db, token, { name: "Short", password: "short" }, origin)).rejects.toThrow(/at least 8/);
    const found = await queryRows(h.db, sql`select 1 from ${accounts} where lower(email) = lower(${address})`);
    expect(found).toHaveLength(0);
    expect((await invitationByToken(h.db, token))!.state).toBe("open");
    expect(await audit(org.orgId, "invitation.accepted")).toHaveLength(0);
  });

  it("in an org that requires SSO a new person joins with a name only (no password): they sign in through the org's IdP", async () => {
    const org = await scimOrg();
    await configureSso(h.db, SYSTEM_ACTOR, {
      orgId: org.orgId,
      issuer: "https://idp.example.com",
      clientId: "portal",
      clientSecret: "a-client-secret-for-the-test",
      requireSso: true,
      by: null,
      skipDiscovery: true,
    });
    const address = email("sso");
    const { token } = await createInvitation(h.db, CLI_ACTOR, { orgId: org.orgId, email: address, role: "member" });
    const view = await invitationByToken(h.db, token);
    expect(view!.org).toMatchObject({ requireSso: true, sso: true });
    const joined = await acceptInvitation(h.db, token, { name: "Sam Sso" }, origin);
    expect(await roleOf(org.orgId, joined.accountId)).toBe("member");
    const [account] = await h.db.select().from(accounts).where(eq(accounts.id, joined.accountId));
    expect(account!.passwordHash).toBeNull(); // no password to guess: the IdP is the only way in
    // Where SSO is not required, a new person must choose a password.
    const plain = await scimOrg();
    const other = await createInvitation(h.db, CLI_ACTOR, { orgId: plain.orgId, email: email("plain"), role: "member" });
    await expect(acceptInvitation(h.db, other.token, { name: "No Password" }, origin)).rejects.toThrow(/password of at least 8/);
  });

  it("two acceptances of one link at once: exactly one joins", async () => {
    const org = await scimOrg();
    const address = email("race");
    const { token } = await createInvitation(h.db, CLI_ACTOR, { orgId: org.orgId, email: address, role: "member" });
    const results = await Promise.allSettled([
      acceptInvitation(h.db, token, { name: "One", password: "password-123" }, origin),
      acceptInvitation(h.db, token, { name: "Two", password: "password-123" }, origin),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await audit(org.orgId, "invitation.accepted")).toHaveLength(1);
  });
});

describe("managing members by hand", () => {
  it("an Admin changes a member's role and removes a member, each audited with what changed", async () => {
    const org = await scimOrg();
    const admin = await member(org.orgId, "admin");
    const pat = await member(org.orgId, "member");
    await changeMemberRole(h.db, org.orgId, acting(admin, "admin"), pat.id, "admin");
    expect(await roleOf(org.orgId, pat.id)).toBe("admin");
    const [changed] = await audit(org.orgId, "member.role_changed");
    expect(changed).toMatchObject({
      actorAccountId: admin.id,
      targetId: pat.id,
      targetLabel: pat.email,
      details: { from: "member", to: "admin" },
    });

    await removeMember(h.db, org.orgId, acting(admin, "admin"), pat.id);
    expect(await roleOf(org.orgId, pat.id)).toBeNull();
    expect(await h.db.select().from(accounts).where(eq(accounts.id, pat.id))).toHaveLength(1); // the account stays
    const [removed] = await audit(org.orgId, "member.removed");
    expect(removed).toMatchObject({ actorAccountId: admin.id, targetId: pat.id, details: { role: "admin" } });
  });

  it("the refusals: nobody acts on the Owner or on themselves; an Admin cannot transfer ownership; nothing is audited", async () => {
    const org = await scimOrg();
    const owner = await ownerOf(org.orgId);
    const admin = await member(org.orgId, "admin");
    await expect(changeMemberRole(h.db, org.orgId, acting(admin, "admin"), owner.id, "member")).rejects.toThrow(/is the Owner/);
    await expect(removeMember(h.db, org.orgId, acting(admin, "admin"), owner.id)).rejects.toThrow(/is the Owner/);
    await expect(removeMember(h.db, org.orgId, acting(admin, "admin"), admin.id)).rejects.toThrow(/yourself/);
    await expect(changeMemberRole(h.db, org.orgId, acting(owner, "owner"), owner.id, "member")).rejects.toThrow(/yourself/);
    await expect(transferOwnership(h.db, org.orgId, acting(admin, "admin"), admin.id)).rejects.toThrow(/Only the Owner/);
    expect(await roleOf(org.orgId, owner.id)).toBe("owner");
    expect(await audit(org.orgId, "member.role_changed")).toHaveLength(0);
    expect(await audit(org.orgId, "member.removed")).toHaveLength(0);
  });

  it("a SCIM-managed member is the IdP's: no role change, no removal", async () => {
    const org = await scimOrg();
    const owner = await ownerOf(org.orgId);
    const pat = await member(org.orgId, "member");
    await h.db
      .update(memberships)
      .set({ scimManaged: true })
      .where(and(eq(memberships.orgId, org.orgId), eq(memberships.accountId, pat.id)));
    await expect(changeMemberRole(h.db, org.orgId, acting(owner, "owner"), pat.id, "admin")).rejects.toThrow(/identity provider/);
    await expect(removeMember(h.db, org.orgId, acting(owner, "owner"), pat.id)).rejects.toThrow(/identity provider/);
    expect(await roleOf(org.orgId, pat.id)).toBe("member");
  });

  it("the Owner transfers ownership to an Admin (not to a Member): one Owner before and after, audited", async () => {
    const org = await scimOrg();
    const owner = await ownerOf(org.orgId);
    const admin = await member(org.orgId, "admin");
    const pat = await member(org.orgId, "member");
    await expect(transferOwnership(h.db, org.orgId, acting(owner, "owner"), pat.id)).rejects.toThrow(/goes to an Admin/);
    await transferOwnership(h.db, org.orgId, acting(owner, "owner"), admin.id);
    expect(await roleOf(org.orgId, admin.id)).toBe("owner");
    expect(await roleOf(org.orgId, owner.id)).toBe("admin");
    const owners = await h.db
      .select()
      .from(memberships)
      .where(and(eq(memberships.orgId, org.orgId), eq(memberships.role, "owner")));
    expect(owners).toHaveLength(1);
    const [moved] = await audit(org.orgId, "ownership.transferred");
    expect(moved).toMatchObject({ actorAccountId: owner.id, targetId: admin.id, details: { from: owner.email, to: admin.email } });
    // The former Owner is an Admin now: they can no longer act on the new Owner.
    await expect(removeMember(h.db, org.orgId, acting(owner, "admin"), admin.id)).rejects.toThrow(/is the Owner/);
  });
});
