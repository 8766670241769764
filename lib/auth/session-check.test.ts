import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { openTestDatabase, uniqueSuffix } from "@/db/test-support";
import { createOrganization } from "@/lib/orgs/create-organization";
import { createUser, deleteUser, patchUser, type Ctx } from "@/lib/provisioning/users";
import { acceptSsoSignIn } from "@/lib/sso/sign-in";
import { TEST_ORIGIN } from "@/lib/audit/test-support";
import { sessionAccount } from "./session-check";

// The session epoch: an SSO session stops working once the person leaves the org, however they come back.
let h: DatabaseHandle;
beforeAll(async () => {
  h = await openTestDatabase();
});
afterAll(async () => {
  await h?.close();
});

const none = { attributes: [], excludedAttributes: [] };
const connection = { issuer: "https://idp.example.test", emailAuthoritative: false };
const req = () => new Request("http://localhost/scim");
const active = (value: boolean) => ({
  schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
  Operations: [{ op: "replace", path: "active", value }],
});

async function signedIn(ctx: Ctx, email: string) {
  const id = (await createUser(ctx, { userName: email, emails: [{ value: email, primary: true }] }, none)).resourceId!;
  const d = await acceptSsoSignIn(
    h.db,
    ctx.orgId,
    connection,
    { iss: connection.issuer, sub: `s-${email}`, email, email_verified: true },
    TEST_ORIGIN,
  );
  if (!d.ok) throw new Error(d.detail);
  return { id, accountId: d.accountId, session: { orgId: ctx.orgId, since: d.since } };
}

describe("sessionAccount", () => {
  it("an SSO session works until SCIM deactivates the person, and stays dead after a reactivation; a DELETE ends it too", async () => {
    const { org } = await createOrganization(h.db, {
      name: "Epoch Co",
      ownerEmail: `owner.${uniqueSuffix()}@example.com`,
      ownerPassword: "password-123",
    });
    const ctx: Ctx = { db: h.db, orgId: org.id, base: "" };
    const a = await signedIn(ctx, `a.${uniqueSuffix()}@example.org`);
    expect(await sessionAccount(h.db, a.accountId, a.session)).toMatchObject({ id: a.accountId });
    expect(await sessionAccount(h.db, a.accountId, null)).toMatchObject({ id: a.accountId }); // a password session: the account only
    await patchUser(ctx, req(), a.id, active(false), none);
    expect(await sessionAccount(h.db, a.accountId, a.session)).toBeNull();
    await patchUser(ctx, req(), a.id, active(true), none);
    expect(await sessionAccount(h.db, a.accountId, a.session)).toBeNull();

    const b = await signedIn(ctx, `b.${uniqueSuffix()}@example.org`);
    await deleteUser(ctx, req(), b.id);
    expect(await sessionAccount(h.db, b.accountId, b.session)).toBeNull();
    // Another org's session epoch never opens this org.
    expect(await sessionAccount(h.db, a.accountId, { orgId: "blt0000000000000000", since: a.session.since })).toBeNull();
  });

  it("the Owner (never removed by SCIM) loses their SSO session when their SCIM user is deactivated", async () => {
    const ownerEmail = `owner.${uniqueSuffix()}@example.org`;
    const { org } = await createOrganization(h.db, { name: "Owner Co", ownerEmail, ownerPassword: "password-123" });
    const ctx: Ctx = { db: h.db, orgId: org.id, base: "" };
    const o = await signedIn(ctx, ownerEmail);
    expect(await sessionAccount(h.db, o.accountId, o.session)).not.toBeNull();
    await patchUser(ctx, req(), o.id, active(false), none);
    expect(await sessionAccount(h.db, o.accountId, o.session)).toBeNull();
  });
});
