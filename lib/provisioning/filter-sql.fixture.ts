import { randomUUID } from "node:crypto";
import { sql, type SQL } from "drizzle-orm";
import { afterAll, beforeAll, expect } from "vitest";
import { queryRows, type DatabaseHandle } from "@/db/client";
import { accounts, organizations, scimGroupMembers, scimGroups, scimUsers } from "@/db/schema";
import { openTestDatabase, uniqueSuffix } from "@/db/test-support";
import { newOpaqueId } from "@/lib/ids";
import { ScimError } from "@/lib/scim/errors";
import { parseFilter } from "@/lib/scim/filter";
import { compileGroupFilter, compileUserFilter } from "./filter-sql";

export const ENT = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

export type UserKey = "u1" | "u2" | "u3" | "u4" | "u5" | "u6";
type GroupKey = "g1" | "g2" | "g3";
export const uid = {
  u1: randomUUID(),
  u2: randomUUID(),
  u3: randomUUID(),
  u4: randomUUID(),
  u5: randomUUID(),
  u6: randomUUID(),
} satisfies Record<UserKey, string>;
export const gid = { g1: randomUUID(), g2: randomUUID(), g3: randomUUID() } satisfies Record<GroupKey, string>;
export const ALL_USERS: UserKey[] = ["u1", "u2", "u3", "u4", "u5", "u6"];

type Email = { type?: string; value: string; primary?: boolean | string };
type UserSeed = {
  userName: string;
  externalId?: string;
  active?: boolean;
  displayName?: string;
  givenName?: string;
  familyName?: string;
  emails: Email[];
  extra?: Record<string, unknown>;
  updatedAt: string;
};

const USERS: Record<UserKey, UserSeed> = {
  u1: {
    userName: "Jane.Doe@Acme.com",
    externalId: "EXT-1",
    displayName: "Jane Doe",
    givenName: "Jane",
    familyName: "Doe",
    emails: [
      { type: "work", value: "Jane.Doe@Acme.com", primary: true },
      { type: "home", value: "jane@home.example" },
    ],
    extra: { [ENT]: { employeeNumber: "701984", department: "R&D", manager: { value: uid.u3 } } },
    updatedAt: "2024-06-01T12:00:00Z",
  },
  u2: {
    userName: "bob_smith@acme.com",
    externalId: "ext-1",
    active: false,
    displayName: "Bob 100% Smith",
    givenName: "Bob",
    familyName: "Smith",
    emails: [{ type: "work", value: "bob_smith@acme.com" }],
    extra: { userType: "Contractor", title: "Engineer", [ENT]: { employeeNumber: "42" } },
    updatedAt: "2020-01-01T00:00:00Z",
  },
  u3: {
    userName: "carol@Other.org",
    emails: [
      { type: "home", value: "shared@x.com" },
      { type: "work", value: "carol@other.org", primary: "True" },
    ],
    updatedAt: "2023-03-01T00:00:00Z",
  },
  u4: { userName: "dave\\admin", externalId: "E4", displayName: "", emails: [], updatedAt: "2022-01-01T00:00:00Z" },
  u5: {
    userName: "erin@acme.com",
    externalId: "E5",
    displayName: "Erin",
    emails: [{ type: "work", value: "shared@x.com" }],
    updatedAt: "2025-01-01T00:00:00Z",
  },
  u6: { userName: "frank%x@acme.com", displayName: "Frank", emails: [{ value: "frank@acme.com" }], updatedAt: "2021-01-01T00:00:00Z" },
};

let h: DatabaseHandle;
let orgId: string;
const labelOf = new Map<string, string>();

/**
 * The fixture of the filter → SQL tests: six users and three groups with known attributes in an org of their own,
 * on the test database (PGlite, or PostgreSQL with DATABASE_URL). `users(filter)` / `groups(filter)` run a compiled
 * filter and answer the keys of what matched.
 */
export function withFilterFixture(): void {
  beforeAll(async () => {
    h = await openTestDatabase();
    orgId = newOpaqueId();
    await h.db.insert(organizations).values({ id: orgId, name: `Filter org ${uniqueSuffix()}` });
    for (const [key, u] of Object.entries(USERS) as [UserKey, UserSeed][]) {
      const [account] = await h.db
        .insert(accounts)
        .values({ email: `${key}-${uniqueSuffix()}@filter.test` })
        .returning();
      const resource = { userName: u.userName, displayName: u.displayName, emails: u.emails, ...u.extra };
      await h.db.insert(scimUsers).values({
        id: uid[key],
        orgId,
        accountId: account!.id,
        userName: u.userName,
        externalId: u.externalId ?? null,
        active: u.active ?? true,
        displayName: u.displayName ?? null,
        givenName: u.givenName ?? null,
        familyName: u.familyName ?? null,
        primaryEmail: u.emails[0]?.value ?? null,
        emailValues: u.emails.map((e) => e.value.toLowerCase()),
        resource,
        createdAt: new Date(u.updatedAt),
        updatedAt: new Date(u.updatedAt),
      });
      labelOf.set(uid[key], key);
    }
    await h.db.insert(scimGroups).values([
      { id: gid.g1, orgId, displayName: "Engineering", resource: {} },
      { id: gid.g2, orgId, displayName: "Sales", externalId: "g-ext-2", resource: {} },
      { id: gid.g3, orgId, displayName: "R&D_Team", externalId: "G-EXT", resource: {} },
    ]);
    for (const [g, u] of [
      ["g1", "u1"],
      ["g1", "u2"],
      ["g2", "u3"],
    ] as [GroupKey, UserKey][]) {
      await h.db.insert(scimGroupMembers).values({ orgId, groupId: gid[g], userId: uid[u] });
    }
    for (const [key, id] of Object.entries(gid)) labelOf.set(id, key);
  });

  afterAll(async () => {
    await h?.close();
  });
}

/** The keys of the rows of `table` in the fixture's org that a compiled filter matches. */
async function matching(table: typeof scimUsers | typeof scimGroups, where: SQL): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(
    h.db,
    sql`select ${table.id} as id from ${table} where ${table.orgId} = ${orgId} and (${where})`,
  );
  return rows.map((r) => labelOf.get(r.id) ?? r.id).sort();
}

export const users = (filter: string) => matching(scimUsers, compileUserFilter(parseFilter(filter)));
export const groups = (filter: string) => matching(scimGroups, compileGroupFilter(parseFilter(filter)));

export function compileError(fn: () => unknown): ScimError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ScimError);
    expect((e as ScimError).scimType).toBe("invalidFilter");
    return e as ScimError;
  }
  throw new Error("expected invalidFilter");
}

export const except = (...keys: UserKey[]) => ALL_USERS.filter((k) => !keys.includes(k));
