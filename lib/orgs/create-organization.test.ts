import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { accounts, memberships, stackRoles, stacks } from "@/db/schema";
import { DEMO, seedDemo } from "@/db/seed";
import { openTestDatabase, uniqueSuffix } from "@/db/test-support";
import { TEST_ORIGIN } from "@/lib/audit/test-support";
import { authenticate } from "@/lib/auth/authenticate";
import { AppError } from "@/lib/errors";
import { createOrganization } from "./create-organization";
import { listMembers, listOrganizations, orgsOfAccount } from "./queries";

let h: DatabaseHandle;
beforeAll(async () => {
  h = await openTestDatabase();
});
afterAll(async () => {
  await h?.close();
});

describe("createOrganization", () => {
  it("creates the org and a new Owner account whose password works", async () => {
    const email = `Owner.${uniqueSuffix()}@Example.com`;
    const { org, ownerAccountId, ownerCreated } = await createOrganization(h.db, {
      name: "  Initech  ",
      ownerEmail: email,
      ownerPassword: "s3cret-pass",
    });
    expect(org.name).toBe("Initech");
    expect(org.id).toMatch(/^blt[0-9a-f]{16}$/);
    expect(ownerCreated).toBe(true);
    const orgs = await orgsOfAccount(h.db, ownerAccountId);
    expect(orgs).toEqual([{ id: org.id, name: "Initech", role: "owner", sso: false, requireSso: false }]);
    expect(await authenticate(h.db, email.toLowerCase(), "s3cret-pass", TEST_ORIGIN)).toMatchObject({ id: ownerAccountId, email });
    expect(await authenticate(h.db, email, "wrong-pass", TEST_ORIGIN)).toBeNull();
    expect((await listOrganizations(h.db)).find((o) => o.id === org.id)).toMatchObject({
      ownerEmail: email,
      members: 1,
      scimEnabled: false,
    });
  });

  it("makes an existing account the Owner without touching its password", async () => {
    const email = `existing.${uniqueSuffix()}@example.com`;
    const first = await createOrganization(h.db, { name: "First", ownerEmail: email, ownerPassword: "first-password" });
    const second = await createOrganization(h.db, { name: "Second", ownerEmail: email.toUpperCase(), ownerPassword: "ignored-password" });
    expect(second.ownerCreated).toBe(false);
    expect(second.ownerAccountId).toBe(first.ownerAccountId);
    expect(await authenticate(h.db, email, "first-password", TEST_ORIGIN)).not.toBeNull();
    expect(await authenticate(h.db, email, "ignored-password", TEST_ORIGIN)).toBeNull();
    expect((await orgsOfAccount(h.db, first.ownerAccountId)).map((o) => o.name).sort()).toEqual(["First", "Second"]);
  });

  it.each([
    [{ name: "", ownerEmail: "a@example.com", ownerPassword: "long-enough" }, "An organization needs a name."],
    [{ name: "X", ownerEmail: "not-an-email", ownerPassword: "long-enough" }, '"not-an-email" is not an email address.'],
    [{ name: "X", ownerEmail: `new.${uniqueSuffix()}@example.com` }, /give the owner a password/],
    [{ name: "X", ownerEmail: `new.${uniqueSuffix()}@example.com`, ownerPassword: "short" }, /at least 8 characters/],
  ])("refuses bad input with a clear message (%o)", async (input, message) => {
    const err = await createOrganization(h.db, input).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as Error).message).toMatch(message);
  });
});

describe("seedDemo", () => {
  it("is idempotent: the same org, three people and two stacks with the built-in roles", async () => {
    const first = await seedDemo(h.db);
    const second = await seedDemo(h.db);
    expect(second.orgId).toBe(first.orgId);
    expect(second.created).toBe(false);
    const members = await h.db
      .select({ email: accounts.email, role: memberships.role })
      .from(memberships)
      .innerJoin(accounts, eq(accounts.id, memberships.accountId))
      .where(eq(memberships.orgId, first.orgId));
    expect(members.map((m) => `${m.email}:${m.role}`).sort()).toEqual(DEMO.people.map((p) => `${p.email}:${p.role}`).sort());
    const roles = await h.db
      .select({ stack: stacks.name, role: stackRoles.name })
      .from(stacks)
      .innerJoin(stackRoles, and(eq(stackRoles.stackId, stacks.id), eq(stackRoles.builtIn, true)))
      .where(eq(stacks.orgId, first.orgId));
    for (const s of DEMO.stacks) {
      expect(
        roles
          .filter((r) => r.stack === s)
          .map((r) => r.role)
          .sort(),
      ).toEqual(["Admin", "Content Manager", "Developer"]);
    }
    for (const p of DEMO.people) expect(await authenticate(h.db, p.email, p.password, TEST_ORIGIN)).not.toBeNull();
  });
});

describe("listMembers", () => {
  it("searches names and emails as text: % and _ match only themselves", async () => {
    const email = `Search.Me_${uniqueSuffix()}@example.com`;
    const { org } = await createOrganization(h.db, {
      name: "Search Co",
      ownerEmail: email,
      ownerPassword: "password-123",
      ownerName: "Sam Search",
    });
    expect((await listMembers(h.db, org.id, { page: 1, query: "search.me_" })).rows.map((r) => r.email)).toEqual([email]);
    expect((await listMembers(h.db, org.id, { page: 1, query: "sam" })).total).toBe(1);
    expect((await listMembers(h.db, org.id, { page: 1, query: "%" })).total).toBe(0);
    expect((await listMembers(h.db, org.id, { page: 1, query: "search_me" })).total).toBe(0);
  });
});
