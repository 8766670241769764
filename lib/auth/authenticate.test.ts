import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { accounts, memberships } from "@/db/schema";
import { openTestDatabase, uniqueSuffix } from "@/db/test-support";
import { SYSTEM_ACTOR } from "@/lib/audit/record";
import { auditEventsOf, TEST_ORIGIN } from "@/lib/audit/test-support";
import { createOrganization } from "@/lib/orgs/create-organization";
import { hashPassword } from "./password";
import { configureSso } from "@/lib/sso/connections";
import { authenticate, PasswordSignInError } from "./authenticate";

// Password sign-ins as the credentials provider checks them, and their place in the audit trail.
let h: DatabaseHandle;
beforeAll(async () => {
  h = await openTestDatabase();
});
afterAll(async () => {
  await h?.close();
});

const password = "password-123";
const org = (ownerEmail: string) => createOrganization(h.db, { name: `Pw Co ${uniqueSuffix()}`, ownerEmail, ownerPassword: password });
const signIns = async (orgId: string) => (await auditEventsOf(h.db, orgId)).filter((e) => e.action === "sign_in.password");

describe("password sign-in in the audit trail", () => {
  it("is recorded once in every org the account belongs to, and nowhere else; a wrong password is recorded nowhere", async () => {
    const email = `pw.${uniqueSuffix()}@example.com`;
    const a = await org(email);
    const b = await org(`other.${uniqueSuffix()}@example.com`);
    const c = await org(`third.${uniqueSuffix()}@example.com`);
    await h.db.insert(memberships).values({ orgId: b.org.id, accountId: a.ownerAccountId, role: "admin" });

    expect(await authenticate(h.db, email, "wrong-password", TEST_ORIGIN)).toBeNull();
    expect(await signIns(a.org.id)).toEqual([]);

    expect(await authenticate(h.db, email, password, TEST_ORIGIN)).toMatchObject({ id: a.ownerAccountId });
    const event = {
      action: "sign_in.password",
      actorKind: "password",
      actorAccountId: a.ownerAccountId,
      actorEmail: email,
      ip: TEST_ORIGIN.ip,
      userAgent: TEST_ORIGIN.userAgent,
      targetType: null,
      details: null,
    };
    expect(await signIns(a.org.id)).toMatchObject([event]);
    expect(await signIns(b.org.id)).toMatchObject([event]);
    expect(await signIns(c.org.id)).toEqual([]);
  });

  it("a right password refused because every org requires SSO is recorded nowhere; the Owner's break-glass sign-in is recorded", async () => {
    const ownerEmail = `sso.owner.${uniqueSuffix()}@example.com`;
    const owner = await org(ownerEmail);
    const email = `sso.member.${uniqueSuffix()}@example.com`;
    const [account] = await h.db
      .insert(accounts)
      .values({ email, name: "Member", passwordHash: await hashPassword(password) })
      .returning();
    await h.db.insert(memberships).values({ orgId: owner.org.id, accountId: account!.id, role: "member" });
    await configureSso(h.db, SYSTEM_ACTOR, {
      orgId: owner.org.id,
      issuer: "https://idp.example.test",
      clientId: "app",
      clientSecret: "secret",
      requireSso: true,
      by: null,
      skipDiscovery: true,
    });
    await expect(authenticate(h.db, email, password, TEST_ORIGIN)).rejects.toBeInstanceOf(PasswordSignInError);
    expect(await signIns(owner.org.id)).toEqual([]);
    expect(await authenticate(h.db, ownerEmail, password, TEST_ORIGIN)).not.toBeNull();
    expect((await signIns(owner.org.id)).map((e) => e.actorAccountId)).toEqual([owner.ownerAccountId]);
  });
});
