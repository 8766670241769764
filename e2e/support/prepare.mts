// Run by playwright.config.ts before the server starts: the demo data plus what the suites need besides it —
// a second organization owned by the demo owner (for the org switcher), and organizations with SCIM on and a
// secret token each (for the SCIM API suites), written to test-results/.scim/fixtures.json.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { openDatabase } from "@/db/client";
import { DEMO, seedDemo } from "@/db/seed";
import { findAccountByEmail } from "@/lib/orgs/accounts";
import { createOrganization } from "@/lib/orgs/create-organization";
import { orgsOfAccount } from "@/lib/orgs/queries";
import { setScimEnabled } from "@/lib/orgs/set-scim-enabled";
import { SYSTEM_ACTOR } from "@/lib/audit/record";
import { createScimToken } from "@/lib/credentials/scim-tokens";
import { createStack } from "@/lib/stacks/create-stack";
import { and, eq } from "drizzle-orm";
import { accounts, memberships, stackRoles } from "@/db/schema";
import { saveMapping } from "@/lib/access/mappings";
import { hashPassword } from "@/lib/auth/password";
import { createGroup } from "@/lib/provisioning/groups";
import { configureSso, recordSsoCheck } from "@/lib/sso/connections";
import { E2E_IDP_ISSUER } from "./env";
import { SCIM_FIXTURES_FILE, SCIM_OWNER_PASSWORD, type ScimFixtures } from "./scim";
import { SSO_FIXTURES_FILE, SSO_MEMBER_PASSWORD } from "./sso";
import { MEMBERS_FIXTURES_FILE, MEMBERS_PASSWORD, type MembersFixture } from "./members";
import { createInvitation } from "@/lib/members/invitations";
import { invitations } from "@/db/schema";

export const SECOND_ORG_NAME = "Globex Test Org";

const handle = await openDatabase({ role: "e2e preparation" });
try {
  await seedDemo(handle.db);
  const owner = await findAccountByEmail(handle.db, DEMO.people[0]!.email);
  const orgs = owner ? await orgsOfAccount(handle.db, owner.id) : [];
  if (!orgs.some((o) => o.name === SECOND_ORG_NAME)) {
    await createOrganization(handle.db, { name: SECOND_ORG_NAME, ownerEmail: DEMO.people[0]!.email });
  }
  const run = Date.now().toString(36);
  const fixtures: Record<string, { orgId: string; token: string; ownerEmail: string; heldAdminEmail?: string }> = {};
  for (const key of ["okta", "entra", "api", "other", "disabled", "oauth", "mapping", "journey", "audit", "log"] as const) {
    const ownerEmail = `scim-owner-${key}-${run}@example.com`;
    const { org } = await createOrganization(handle.db, { name: `SCIM ${key} ${run}`, ownerEmail, ownerPassword: SCIM_OWNER_PASSWORD });
    // The journey and audit orgs start with SCIM off (and an empty audit trail): their Owners turn it on in the browser.
    if (key !== "disabled" && key !== "journey" && key !== "audit") await setScimEnabled(handle.db, org.id, true, SYSTEM_ACTOR);
    if (key === "mapping" || key === "journey" || key === "log")
      await handle.db.transaction(async (tx) => {
        for (const name of DEMO.stacks) await createStack(tx, SYSTEM_ACTOR, org.id, name);
      });
    // The audit org gets no token either: creating one is an audit event, and its trail must start empty.
    const { token } =
      key === "audit" ? { token: "" } : await createScimToken(handle.db, SYSTEM_ACTOR, { orgId: org.id, name: `e2e ${key}` });
    fixtures[key] = { orgId: org.id, token, ownerEmail };
    if (key === "mapping") {
      // An Admin made in the portal, whom the IdP will provision later (not taken over until handed to SCIM).
      const heldAdminEmail = `held-admin-${run}@example.com`;
      const [account] = await handle.db.insert(accounts).values({ email: heldAdminEmail, name: "Held Admin" }).returning();
      await handle.db.insert(memberships).values({ orgId: org.id, accountId: account!.id, role: "admin", scimManaged: false });
      fixtures[key].heldAdminEmail = heldAdminEmail;
    }
  }
  // Single sign-on: orgs whose IdP is the suite's OpenID Provider (client `org-<orgId>`, secret `secret-org-<orgId>`).
  const sso: Record<string, unknown> = {};
  const connect = async (orgId: string, extra: { requireSso?: boolean; issuer?: string } = {}) => {
    await configureSso(handle.db, SYSTEM_ACTOR, {
      orgId,
      issuer: extra.issuer ?? E2E_IDP_ISSUER,
      clientId: `org-${orgId}`,
      clientSecret: `secret-org-${orgId}`,
      requireSso: extra.requireSso,
      by: null,
      skipDiscovery: true,
    });
    if (extra.requireSso) await recordSsoCheck(handle.db, orgId, { ok: true });
  };
  const ssoOrg = async (key: string, opts: { scim?: boolean } = {}) => {
    const ownerEmail = `sso-owner-${key}-${run}@example.com`;
    const { org } = await createOrganization(handle.db, { name: `SSO ${key} ${run}`, ownerEmail, ownerPassword: SCIM_OWNER_PASSWORD });
    let token = "";
    if (opts.scim !== false) {
      await setScimEnabled(handle.db, org.id, true, SYSTEM_ACTOR);
      token = (await createScimToken(handle.db, SYSTEM_ACTOR, { orgId: org.id, name: `e2e ${key}` })).token;
    }
    return { orgId: org.id, name: org.name, token, ownerEmail };
  };
  const addMember = async (orgId: string, email: string, role: "admin" | "member", password?: string) => {
    const account =
      (await findAccountByEmail(handle.db, email)) ??
      (
        await handle.db
          .insert(accounts)
          .values({ email, name: email.split("@")[0]!, passwordHash: password ? await hashPassword(password) : null })
          .returning()
      )[0]!;
    await handle.db.insert(memberships).values({ orgId, accountId: account.id, role }).onConflictDoNothing();
  };
  {
    // The org people sign in to; its stacks and a mapped group (Member + Developer on Developer stack).
    const main = await ssoOrg("main");
    await connect(main.orgId);
    const devStack = await handle.db.transaction(async (tx) => {
      const ids = [];
      for (const name of DEMO.stacks) ids.push(await createStack(tx, SYSTEM_ACTOR, main.orgId, name));
      return ids[0]!;
    });
    const ctx = { db: handle.db, orgId: main.orgId, base: "" };
    const group = await createGroup(ctx, { displayName: "Engineering" }, { attributes: [], excludedAttributes: [] });
    const [developer] = await handle.db
      .select()
      .from(stackRoles)
      .where(and(eq(stackRoles.stackId, devStack.id), eq(stackRoles.name, "Developer")));
    const owner = await findAccountByEmail(handle.db, main.ownerEmail);
    await saveMapping(
      handle.db,
      SYSTEM_ACTOR,
      main.orgId,
      { groupId: group.resourceId!, orgRole: "member", stackRoles: { [devStack.id]: developer!.id } },
      owner!.id,
    );
    // A second org with SSO where a person of the main org is an Admin by hand (a session from main's IdP must not open it).
    const other = await ssoOrg("other");
    await connect(other.orgId);
    const crossEmail = `sso-cross-${run}@example.org`;
    await addMember(other.orgId, crossEmail, "admin", SSO_MEMBER_PASSWORD);
    // Require SSO on, with a Member who has a password.
    const required = await ssoOrg("required", { scim: false });
    await connect(required.orgId, { requireSso: true });
    const requiredMember = `sso-required-member-${run}@example.org`;
    await addMember(required.orgId, requiredMember, "member", SSO_MEMBER_PASSWORD);
    // Configured with the IdP reached by another name: its ID tokens name an issuer that is not the configured one.
    const wrong = await ssoOrg("wrong");
    await connect(wrong.orgId, { issuer: E2E_IDP_ISSUER.replace("127.0.0.1", "localhost") });
    // Set up through the Single sign-on page by its Owner.
    const ui = await ssoOrg("ui", { scim: false });
    Object.assign(sso, {
      main: { ...main, groupId: group.resourceId },
      other: { ...other, crossEmail },
      required: { ...required, memberEmail: requiredMember },
      wrong,
      ui,
    });
  }
  {
    // Members managed by hand: an org of its own (the spec changes roles and ownership), with a hand-made Admin, an
    // account that is not a member yet, an IdP-managed member, and an invitation link that has expired.
    const ownerEmail = `members-owner-${run}@example.com`;
    const { org } = await createOrganization(handle.db, { name: `Members ${run}`, ownerEmail, ownerPassword: MEMBERS_PASSWORD });
    const person = async (email: string) =>
      (
        await handle.db
          .insert(accounts)
          .values({ email, name: email.split("@")[0]!, passwordHash: await hashPassword(MEMBERS_PASSWORD) })
          .returning()
      )[0]!;
    const adminEmail = `members-admin-${run}@example.com`;
    await handle.db.insert(memberships).values({ orgId: org.id, accountId: (await person(adminEmail)).id, role: "admin" });
    const outsiderEmail = `members-outsider-${run}@example.com`;
    await person(outsiderEmail);
    const scimMemberEmail = `members-scim-${run}@example.com`;
    await handle.db
      .insert(memberships)
      .values({ orgId: org.id, accountId: (await person(scimMemberEmail)).id, role: "member", scimManaged: true });
    const expired = await createInvitation(handle.db, SYSTEM_ACTOR, {
      orgId: org.id,
      email: `members-late-${run}@example.com`,
      role: "member",
    });
    await handle.db
      .update(invitations)
      .set({ expiresAt: new Date(Date.now() - 60_000) })
      .where(eq(invitations.id, expired.invitation.id));
    const fixture: MembersFixture = {
      orgId: org.id,
      orgName: org.name,
      ownerEmail,
      adminEmail,
      outsiderEmail,
      scimMemberEmail,
      expiredInvitationPath: new URL(expired.url).pathname,
    };
    mkdirSync(path.dirname(MEMBERS_FIXTURES_FILE), { recursive: true });
    writeFileSync(MEMBERS_FIXTURES_FILE, JSON.stringify(fixture, null, 2));
  }
  mkdirSync(path.dirname(SCIM_FIXTURES_FILE), { recursive: true });
  writeFileSync(SSO_FIXTURES_FILE, JSON.stringify(sso, null, 2));
  writeFileSync(SCIM_FIXTURES_FILE, JSON.stringify(fixtures satisfies Record<keyof ScimFixtures, unknown>, null, 2));
} finally {
  await handle.close();
}
