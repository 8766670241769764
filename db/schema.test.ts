import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { accounts, memberships, organizations, scimGroups, scimUsers } from "@/db/schema";
import { openTestDatabase, uniqueSuffix } from "@/db/test-support";
import { uniqueViolation } from "@/lib/errors";
import { newOpaqueId } from "@/lib/ids";

let h: DatabaseHandle;
beforeAll(async () => {
  h = await openTestDatabase();
});
afterAll(async () => {
  await h?.close();
});

async function expectUniqueViolation(promise: Promise<unknown>, constraint: string) {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, `expected a unique violation on ${constraint}`).not.toBeNull();
  expect(uniqueViolation(err)?.constraint).toBe(constraint);
}

async function newOrg() {
  const [org] = await h.db
    .insert(organizations)
    .values({ id: newOpaqueId(), name: `Org ${uniqueSuffix()}` })
    .returning();
  return org!;
}

async function newAccount(email = `person-${uniqueSuffix()}@example.com`) {
  const [a] = await h.db.insert(accounts).values({ email }).returning();
  return a!;
}

describe(`schema rules (${process.env.DATABASE_URL ? "PostgreSQL" : "PGlite"})`, () => {
  it("an account email is unique case-insensitively", async () => {
    const email = `Jane.${uniqueSuffix()}@Example.com`;
    await newAccount(email);
    await expectUniqueViolation(newAccount(email.toLowerCase()), "accounts_email_lower_uq");
  });

  it("an organization has at most one Owner", async () => {
    const org = await newOrg();
    const [a, b] = [await newAccount(), await newAccount()];
    await h.db.insert(memberships).values({ orgId: org.id, accountId: a.id, role: "owner" });
    await expectUniqueViolation(
      h.db.insert(memberships).values({ orgId: org.id, accountId: b.id, role: "owner" }),
      "memberships_one_owner_uq",
    );
    // Admins and Members are not limited, and another org has its own Owner.
    await h.db.insert(memberships).values({ orgId: org.id, accountId: b.id, role: "admin" });
    const other = await newOrg();
    await h.db.insert(memberships).values({ orgId: other.id, accountId: b.id, role: "owner" });
    // Promoting the Admin while the Owner exists is refused too.
    await expectUniqueViolation(
      h.db
        .update(memberships)
        .set({ role: "owner" })
        .where(eq(memberships.accountId, b.id))
        .execute()
        .then(() => undefined),
      "memberships_one_owner_uq",
    );
  });

  it("a SCIM userName is unique per organization, case-insensitively, and stored as sent", async () => {
    const [org1, org2] = [await newOrg(), await newOrg()];
    const [a, b, c] = [await newAccount(), await newAccount(), await newAccount()];
    const userName = `Jane.Doe.${uniqueSuffix()}@Acme.com`;
    const [row] = await h.db.insert(scimUsers).values({ orgId: org1.id, accountId: a.id, userName, resource: {} }).returning();
    expect(row!.userName).toBe(userName);
    await expectUniqueViolation(
      h.db.insert(scimUsers).values({ orgId: org1.id, accountId: b.id, userName: userName.toUpperCase(), resource: {} }),
      "scim_users_org_username_uq",
    );
    // The same userName in another organization is a different SCIM user.
    await h.db.insert(scimUsers).values({ orgId: org2.id, accountId: c.id, userName: userName.toLowerCase(), resource: {} });
  });

  it("a SCIM group displayName is unique per organization, case-insensitively", async () => {
    const [org1, org2] = [await newOrg(), await newOrg()];
    await h.db.insert(scimGroups).values({ orgId: org1.id, displayName: "Engineering", resource: {} });
    await expectUniqueViolation(
      h.db.insert(scimGroups).values({ orgId: org1.id, displayName: "ENGINEERING", resource: {} }),
      "scim_groups_org_display_name_uq",
    );
    await h.db.insert(scimGroups).values({ orgId: org2.id, displayName: "engineering", resource: {} });
  });

  it("organization ids are opaque and URL-safe: no underscore", async () => {
    const bad = h.db.insert(organizations).values({ id: "blt_has_underscore", name: "Bad" });
    await expect(bad).rejects.toMatchObject({ cause: { code: "23514" } }); // check_violation of organizations_id_format
    expect(newOpaqueId()).toMatch(/^blt[0-9a-f]{16}$/);
  });

  it("SCIM user ids survive as uuids and a user's insertion order is kept for stable paging", async () => {
    const org = await newOrg();
    const rows = [];
    for (let i = 0; i < 3; i++) {
      const acc = await newAccount();
      const [r] = await h.db
        .insert(scimUsers)
        .values({ orgId: org.id, accountId: acc.id, userName: `u${i}-${uniqueSuffix()}`, resource: {} })
        .returning();
      rows.push(r!);
    }
    expect(rows[0]!.seq).toBeLessThan(rows[1]!.seq);
    expect(rows[1]!.seq).toBeLessThan(rows[2]!.seq);
    expect(rows[0]!.id).toMatch(/^[0-9a-f-]{36}$/);
  });
});
