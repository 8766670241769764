import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, type DatabaseHandle } from "@/db/client";
import { accounts, memberships, ssoIdentities } from "@/db/schema";
import { openTestDatabase, uniqueSuffix } from "@/db/test-support";
import { findAccountByEmail } from "@/lib/orgs/accounts";
import { createOrganization } from "@/lib/orgs/create-organization";
import { createUser, deleteUser, patchUser, type Ctx } from "@/lib/provisioning/users";
import { acceptSsoSignIn } from "./sign-in";
import { auditEventsOf, TEST_ORIGIN } from "@/lib/audit/test-support";

// The rules on a real database, through the SCIM use cases that make people active, inactive or gone.
let h: DatabaseHandle;
beforeAll(async () => {
  h = await openTestDatabase();
});
afterAll(async () => {
  await h?.close();
});

const none = { attributes: [], excludedAttributes: [] };
const issuer = "https://idp.example.test";
const connection = { issuer, emailAuthoritative: false };
const claimsOf = (email: string, sub = `sub-${email}`) => ({ iss: issuer, sub, email, email_verified: true });
const deactivate = {
  schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
  Operations: [{ op: "replace", value: { active: false } }],
};
const reactivate = {
  schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
  Operations: [{ op: "replace", path: "active", value: true }],
};
const req = () => new Request("http://localhost/scim");

async function setup() {
  const { org } = await createOrganization(h.db, {
    name: "SSO Co",
    ownerEmail: `owner.${uniqueSuffix()}@example.com`,
    ownerPassword: "password-123",
  });
  const ctx: Ctx = { db: h.db, orgId: org.id, base: `http://localhost/scim/v2.0/organizations/${org.id}` };
  return { orgId: org.id, ctx };
}
const provision = async (ctx: Ctx, email: string) =>
  (await createUser(ctx, { userName: email, emails: [{ value: email, primary: true }] }, none)).resourceId!;
/** What a sign-in could write for this org and these people (scoped: other test files share PostgreSQL). */
const counts = async (orgId: string, emails: string[]) =>
  (
    await queryRows<{ a: number; m: number; i: number }>(
      h.db,
      sql`select (select count(*)::int from ${accounts} where lower(email) in (select lower(e) from jsonb_array_elements_text(${JSON.stringify(emails)}::jsonb) e)) a,
        (select count(*)::int from ${memberships} where org_id = ${orgId}) m, (select count(*)::int from ${ssoIdentities} where org_id = ${orgId}) i`,
    )
  )[0]!;

describe("acceptSsoSignIn", () => {
  it("accepts an active SCIM user, links the sub, and then matches on the sub even after an email change", async () => {
    const { orgId, ctx } = await setup();
    const email = `alice.${uniqueSuffix()}@example.org`;
    await provision(ctx, email);
    const sub = `s-alice-${uniqueSuffix()}`; // unique: a shared PostgreSQL keeps earlier runs' rows
    const first = await acceptSsoSignIn(h.db, orgId, connection, claimsOf(email, sub), TEST_ORIGIN);
    expect(first).toMatchObject({ ok: true, role: "member", link: true });
    const [link] = await h.db
      .select()
      .from(ssoIdentities)
      .where(and(eq(ssoIdentities.orgId, orgId), eq(ssoIdentities.subject, sub)));
    expect(link).toMatchObject({ orgId, issuer, accountId: (await findAccountByEmail(h.db, email))!.id });
    const later = await acceptSsoSignIn(
      h.db,
      orgId,
      connection,
      { ...claimsOf(`renamed.${email}`, sub), email_verified: false },
      TEST_ORIGIN,
    );
    expect(later).toMatchObject({ ok: true, link: false, accountId: link!.accountId });
  });

  it("refuses the deprovisioned, the deleted and the never provisioned, and writes nothing", async () => {
    const { orgId, ctx } = await setup();
    const bob = `bob.${uniqueSuffix()}@example.org`;
    const bobId = await provision(ctx, bob);
    await patchUser(ctx, req(), bobId, deactivate, none);
    const gone = `gone.${uniqueSuffix()}@example.org`;
    const goneId = await provision(ctx, gone);
    await deleteUser(ctx, req(), goneId);
    const nobody = `nobody.${uniqueSuffix()}@example.org`;
    const before = await counts(orgId, [bob, gone, nobody]);
    expect(before).toEqual({ a: 2, m: 1, i: 0 }); // the Owner's membership; bob's and gone's accounts
    expect(await acceptSsoSignIn(h.db, orgId, connection, claimsOf(bob), TEST_ORIGIN)).toMatchObject({
      ok: false,
      reason: "deprovisioned",
    });
    expect(await acceptSsoSignIn(h.db, orgId, connection, claimsOf(gone), TEST_ORIGIN)).toMatchObject({ ok: false, reason: "not-member" });
    expect(await acceptSsoSignIn(h.db, orgId, connection, claimsOf(nobody), TEST_ORIGIN)).toMatchObject({
      ok: false,
      reason: "not-member",
    });
    expect(await acceptSsoSignIn(h.db, orgId, connection, { ...claimsOf(bob), email_verified: false }, TEST_ORIGIN)).toMatchObject({
      ok: false,
      reason: "unverified-email",
    });
    expect(await counts(orgId, [bob, gone, nobody])).toEqual(before);
    // Reactivated: in again, with a new membership (a new session epoch).
    await patchUser(ctx, req(), bobId, reactivate, none);
    expect(await acceptSsoSignIn(h.db, orgId, connection, claimsOf(bob), TEST_ORIGIN)).toMatchObject({ ok: true });
  });

  it("a person who signed in and was then removed by the IdP is told they were deprovisioned; their membership epoch changes on re-provisioning", async () => {
    const { orgId, ctx } = await setup();
    const carol = `carol.${uniqueSuffix()}@example.org`;
    const id = await provision(ctx, carol);
    const first = await acceptSsoSignIn(h.db, orgId, connection, claimsOf(carol), TEST_ORIGIN);
    expect(first.ok).toBe(true);
    await deleteUser(ctx, req(), id);
    expect(await acceptSsoSignIn(h.db, orgId, connection, claimsOf(carol), TEST_ORIGIN)).toMatchObject({
      ok: false,
      reason: "deprovisioned",
    });
    await provision(ctx, carol);
    const again = await acceptSsoSignIn(h.db, orgId, connection, claimsOf(carol), TEST_ORIGIN);
    expect(again.ok && first.ok && again.since !== first.since).toBe(true);
  });

  it("refuses an account linked to another sub, and a hand-added member gets in", async () => {
    const { orgId, ctx } = await setup();
    const dave = `dave.${uniqueSuffix()}@example.org`;
    await provision(ctx, dave);
    expect((await acceptSsoSignIn(h.db, orgId, connection, claimsOf(dave, `s-dave-${uniqueSuffix()}`), TEST_ORIGIN)).ok).toBe(true);
    const before = await counts(orgId, [dave]);
    expect(await acceptSsoSignIn(h.db, orgId, connection, claimsOf(dave, `s-impostor-${uniqueSuffix()}`), TEST_ORIGIN)).toMatchObject({
      ok: false,
      reason: "linked-elsewhere",
    });
    expect(await counts(orgId, [dave])).toEqual(before);

    const [hand] = await h.db
      .insert(accounts)
      .values({ email: `hand.${uniqueSuffix()}@example.org` })
      .returning();
    await h.db.insert(memberships).values({ orgId, accountId: hand!.id, role: "admin" });
    expect(await acceptSsoSignIn(h.db, orgId, connection, claimsOf(hand!.email), TEST_ORIGIN)).toMatchObject({ ok: true, role: "admin" });
  });
});

describe("SSO sign-ins in the audit trail", () => {
  const bySso = (accountId: string | null, email: string | null) => ({
    actorKind: "sso",
    actorAccountId: accountId,
    actorEmail: email,
    ip: TEST_ORIGIN.ip,
    userAgent: TEST_ORIGIN.userAgent,
  });

  it("records each sign-in with the account and the email the IdP asserted, and each refusal with why, in plain words", async () => {
    const { orgId, ctx } = await setup();
    const alice = `alice.${uniqueSuffix()}@example.org`;
    await provision(ctx, alice);
    const aliceId = (await findAccountByEmail(h.db, alice))!.id;
    const sub = `s-alice-${uniqueSuffix()}`;
    expect(await acceptSsoSignIn(h.db, orgId, connection, claimsOf(alice, sub), TEST_ORIGIN)).toMatchObject({ ok: true });
    expect(await auditEventsOf(h.db, orgId)).toMatchObject([
      { action: "sign_in.sso", ...bySso(aliceId, alice), details: { issuer, sub, role: "member", firstSignIn: true } },
    ]);
    // Later, under another email at the IdP: the same account, the email as asserted.
    const renamed = `renamed.${alice}`;
    await acceptSsoSignIn(h.db, orgId, connection, claimsOf(renamed, sub), TEST_ORIGIN);

    const bob = `bob.${uniqueSuffix()}@example.org`;
    await patchUser(ctx, req(), await provision(ctx, bob), deactivate, none);
    const bobId = (await findAccountByEmail(h.db, bob))!.id;
    expect(await acceptSsoSignIn(h.db, orgId, connection, claimsOf(bob), TEST_ORIGIN)).toMatchObject({
      ok: false,
      reason: "deprovisioned",
    });
    const nobody = `nobody.${uniqueSuffix()}@example.org`;
    expect(await acceptSsoSignIn(h.db, orgId, connection, claimsOf(nobody), TEST_ORIGIN)).toMatchObject({
      ok: false,
      reason: "not-member",
    });

    const events = await auditEventsOf(h.db, orgId);
    expect(events.map((e) => e.action)).toEqual(["sign_in.sso", "sign_in.sso", "sign_in.sso_refused", "sign_in.sso_refused"]);
    expect(events[1]).toMatchObject({ ...bySso(aliceId, renamed), details: { sub, firstSignIn: false } });
    expect(events[2]).toMatchObject({
      ...bySso(bobId, bob),
      details: { reason: "the SCIM user is deactivated (active: false)", refusal: "deprovisioned", issuer },
    });
    expect(events[3]).toMatchObject({
      ...bySso(null, nobody),
      details: { reason: `no account for ${nobody}: never provisioned in this organization`, refusal: "not-member" },
    });
    expect(events.every((e) => e.targetType === null)).toBe(true);
  });
});
