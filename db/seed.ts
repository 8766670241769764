import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { accounts, memberships, organizations, type OrgRole } from "@/db/schema";
import { SYSTEM_ACTOR } from "@/lib/audit/record";
import { hashPassword } from "@/lib/auth/password";
import { findAccountByEmail } from "@/lib/orgs/accounts";
import { createOrganization } from "@/lib/orgs/create-organization";
import { createStack, findStackByName } from "@/lib/stacks/create-stack";

/** The demo data the README promises. Passwords are for a local demo only. */
export const DEMO = {
  orgName: "Acme Corporation",
  people: [
    { email: "owner@example.com", password: "owner-demo-pass", name: "Olivia Owner", role: "owner" },
    { email: "admin@example.com", password: "admin-demo-pass", name: "Adam Admin", role: "admin" },
    { email: "member@example.com", password: "member-demo-pass", name: "Mia Member", role: "member" },
  ] as { email: string; password: string; name: string; role: OrgRole }[],
  stacks: ["Developer stack", "Marketing site"],
} as const;

/** The demo org: the org named DEMO.orgName whose Owner is the demo owner. */
async function findDemoOrg(db: Db): Promise<string | undefined> {
  const [row] = await db
    .select({ id: organizations.id })
    .from(organizations)
    .innerJoin(memberships, and(eq(memberships.orgId, organizations.id), eq(memberships.role, "owner")))
    .innerJoin(accounts, eq(accounts.id, memberships.accountId))
    .where(and(eq(organizations.name, DEMO.orgName), sql`lower(${accounts.email}) = lower(${DEMO.people[0]!.email})`))
    .limit(1);
  return row?.id;
}

/** Idempotent: creates what is missing of the demo organization and leaves the rest as it is. */
export async function seedDemo(db: Db): Promise<{ orgId: string; created: boolean }> {
  let orgId = await findDemoOrg(db);
  let created = false;
  if (!orgId) {
    const [owner] = DEMO.people;
    const result = await createOrganization(db, {
      name: DEMO.orgName,
      ownerEmail: owner!.email,
      ownerPassword: owner!.password,
      ownerName: owner!.name,
    });
    orgId = result.org.id;
    created = true;
  }
  const hashes = await Promise.all(DEMO.people.map((p) => hashPassword(p.password)));
  await db.transaction(async (tx) => {
    for (const [i, person] of DEMO.people.entries()) {
      if (person.role === "owner") continue;
      await tx.insert(accounts).values({ email: person.email, name: person.name, passwordHash: hashes[i]! }).onConflictDoNothing();
      const account = await findAccountByEmail(tx, person.email);
      if (!account) throw new Error(`demo account ${person.email} missing`);
      await tx.insert(memberships).values({ orgId: orgId!, accountId: account.id, role: person.role }).onConflictDoNothing();
    }
    for (const name of DEMO.stacks) {
      if (!(await findStackByName(tx, orgId!, name))) await createStack(tx, SYSTEM_ACTOR, orgId!, name);
    }
  });
  return { orgId, created };
}
