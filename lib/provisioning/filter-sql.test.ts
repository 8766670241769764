import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, type DatabaseHandle } from "@/db/client";
import { accounts, organizations, scimGroupMembers, scimGroups, scimUsers } from "@/db/schema";
import { openTestDatabase, uniqueSuffix } from "@/db/test-support";
import { newOpaqueId } from "@/lib/ids";
import { ScimError } from "@/lib/scim/errors";
import { parseFilter } from "@/lib/scim/filter";
import { compileGroupFilter, compileUserFilter } from "./filter-sql";

const ENT = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

type UserKey = "u1" | "u2" | "u3" | "u4" | "u5" | "u6";
type GroupKey = "g1" | "g2" | "g3";
const uid = { u1: randomUUID(), u2: randomUUID(), u3: randomUUID(), u4: randomUUID(), u5: randomUUID(), u6: randomUUID() } satisfies Record<
  UserKey,
  string
>;
const gid = { g1: randomUUID(), g2: randomUUID(), g3: randomUUID() } satisfies Record<GroupKey, string>;
const ALL_USERS: UserKey[] = ["u1", "u2", "u3", "u4", "u5", "u6"];

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

async function users(filter: string): Promise<string[]> {
  const where = compileUserFilter(parseFilter(filter));
  const rows = await queryRows<{ id: string }>(
    h.db,
    sql`select ${scimUsers.id} as id from ${scimUsers} where ${scimUsers.orgId} = ${orgId} and (${where})`,
  );
  return rows.map((r) => labelOf.get(r.id) ?? r.id).sort();
}

async function groups(filter: string): Promise<string[]> {
  const where = compileGroupFilter(parseFilter(filter));
  const rows = await queryRows<{ id: string }>(
    h.db,
    sql`select ${scimGroups.id} as id from ${scimGroups} where ${scimGroups.orgId} = ${orgId} and (${where})`,
  );
  return rows.map((r) => labelOf.get(r.id) ?? r.id).sort();
}

function compileError(fn: () => unknown): ScimError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ScimError);
    expect((e as ScimError).scimType).toBe("invalidFilter");
    return e as ScimError;
  }
  throw new Error("expected invalidFilter");
}

const except = (...keys: UserKey[]) => ALL_USERS.filter((k) => !keys.includes(k));

describe(`user filters in SQL (${process.env.DATABASE_URL ? "PostgreSQL" : "PGlite"})`, () => {
  it.each<[string, string[]]>([
    // userName: case-insensitive; LIKE wildcards in values are literal.
    ['userName eq "JANE.DOE@acme.COM"', ["u1"]],
    ["userName eq jane.doe@acme.com", ["u1"]],
    ['userName sw "BOB_"', ["u2"]],
    ['userName co "_"', ["u2"]],
    ['userName co "%"', ["u6"]],
    ['userName co "\\\\"', ["u4"]],
    ['userName sw "dave\\\\a"', ["u4"]],
    ['userName ew "@ACME.com"', ["u1", "u2", "u5", "u6"]],
    ['userName gt "e"', ["u1", "u5", "u6"]],
    ['displayName co "100%"', ["u2"]],
    ['displayName co "0% s"', ["u2"]],
    ['userName eq "\'); drop table scim_users; --"', []],
    // name
    ['name.familyName eq "DOE"', ["u1"]],
    ['name.givenName sw "b"', ["u2"]],
    ['urn:ietf:params:scim:schemas:core:2.0:User:name.givenName eq "jane"', ["u1"]],
    // emails (email_values and the resource jsonb)
    ['emails.value eq "JANE@home.example"', ["u1"]],
    ['emails eq "shared@x.com"', ["u3", "u5"]],
    ['emails co "@ACME"', ["u1", "u2", "u6"]],
    ['emails.value sw "carol"', ["u3"]],
    ['emails ew ".example"', ["u1"]],
    ['emails.value ne "shared@x.com"', except("u3", "u5")],
    ['emails[type eq "work" and value co "@acme"]', ["u1", "u2"]],
    ['emails[type eq "work"].value eq "shared@x.com"', ["u5"]],
    ['emails[type eq "WORK"].value eq "Jane.Doe@acme.com"', ["u1"]],
    ['emails[type eq "home"].value eq "shared@x.com"', ["u3"]],
    ['emails[type eq "work" and primary eq true]', ["u1", "u3"]],
    ['emails[not (type eq "work")]', ["u1", "u3", "u6"]],
    ["emails[type pr]", except("u4", "u6")],
    ['emails.type eq "home"', ["u1", "u3"]],
    ["emails pr", except("u4")],
    ["not (emails pr)", ["u4"]],
    // enterprise extension
    [`${ENT}:employeeNumber eq "701984"`, ["u1"]],
    ["employeeNumber eq 42", ["u2"]],
    [`${ENT}:department eq "r&d"`, ["u1"]],
    [`${ENT}:manager.value eq "${uid.u3}"`, ["u1"]],
    [`manager eq ${uid.u3}`, ["u1"]],
    [`${ENT}:manager pr`, ["u1"]],
    // other core attributes in the jsonb
    ['userType eq "contractor"', ["u2"]],
    ["title pr", ["u2"]],
    // active
    ['active eq "True"', except("u2")],
    ["active eq true", except("u2")],
    ["active eq false", ["u2"]],
    ['active ne "TRUE"', ["u2"]],
    ["active pr", ALL_USERS],
    // meta
    ['meta.lastModified gt "2023-01-01T00:00:00Z"', ["u1", "u3", "u5"]],
    ["meta.lastModified gt 2023-01-01T00:00:00Z", ["u1", "u3", "u5"]],
    ['meta.lastModified ge "2024-06-01T14:00:00+02:00"', ["u1", "u5"]],
    ['meta.created lt "2021-06-01"', ["u2", "u6"]],
    ['meta.lastModified eq "2020-01-01T00:00:00.000Z"', ["u2"]],
    ['meta.resourceType eq "User"', ALL_USERS],
    ['meta.version eq "W/\\"1\\""', ALL_USERS],
    // id (uuid)
    [`id eq "${uid.u1}"`, ["u1"]],
    [`id eq "${uid.u1.toUpperCase()}"`, ["u1"]],
    ['id eq "not-a-uuid"', []],
    ['id ne "x"', ALL_USERS],
    [`id ne "${uid.u2}"`, except("u2")],
    ["id eq 123 and manager eq 456", []],
    // externalId: case-exact; ne includes absent
    ['externalId eq "EXT-1"', ["u1"]],
    ['externalId eq "ext-1"', ["u2"]],
    ['externalId ne "EXT-1"', except("u1")],
    ['externalId sw "E"', ["u1", "u4", "u5"]],
    ["externalId pr", ["u1", "u2", "u4", "u5"]],
    // pr, null, not, or
    ["displayName pr", ["u1", "u2", "u5", "u6"]],
    ["displayName eq null", ["u3", "u4"]],
    ["displayName ne null", ["u1", "u2", "u5", "u6"]],
    ['not (displayName eq "Jane Doe")', except("u1")],
    ['not (userName sw "bob") and not (emails pr)', ["u4"]],
    ['userName eq "erin@acme.com" or externalId eq "ext-1"', ["u2", "u5"]],
    ['(userName eq "erin@acme.com" or externalId eq "ext-1") and active eq false', ["u2"]],
    ['not (not (userName eq "erin@acme.com"))', ["u5"]],
    // groups
    [`groups.value eq "${gid.g1}"`, ["u1", "u2"]],
    [`groups eq "${gid.g2}"`, ["u3"]],
    ['groups.value eq "nope"', []],
    ['groups.display eq "SALES"', ["u3"]],
    [`groups[value eq "${gid.g1}" or display eq "sales"]`, ["u1", "u2", "u3"]],
    ["not (groups pr)", ["u4", "u5", "u6"]],
  ])("%s", async (filter, expected) => {
    expect(await users(filter)).toEqual(expected);
  });

  it("runs a long chain of conditions", async () => {
    const filter = Array.from({ length: 300 }, (_, i) => `userName ne "nobody${i}"`).join(" and ");
    expect(await users(filter)).toEqual(ALL_USERS);
  });

  it.each<[string, RegExp]>([
    ['nickname2 eq "x"', /"nickname2"/],
    ["urn:example:schema:foo eq 1", /"urn:example:schema:foo"/],
    ["emails.foo eq 1", /emails\.foo/],
    ['name.middle eq "x"', /name\.middle/],
    ['password eq "x"', /password/],
    ['groups.$ref eq "x"', /not supported/],
    ['active eq "yes"', /boolean/],
    ["active eq 1", /boolean/],
    ['active gt "a"', /boolean/],
    ['active co "t"', /boolean/],
    ['meta.created co "2020"', /dateTime/],
    ['meta.lastModified gt "yesterday"', /not a date/],
    ["meta.lastModified gt 20200101", /not a date/],
    ['meta.created eq "2020-13-45"', /not a date/],
    ['meta.location eq "x"', /not supported/],
    ['userName[value eq "x"]', /cannot take a value filter/],
    ['name eq "x"', /complex attribute/],
    ['emails[foo eq "x"]', /emails\.foo/],
  ])("rejects %s", (filter, detail) => {
    expect(compileError(() => compileUserFilter(parseFilter(filter))).detail).toMatch(detail);
  });

  it("passes every value as a parameter", async () => {
    const { PgDialect } = await import("drizzle-orm/pg-core");
    const evil = "x') or true; --";
    const q = new PgDialect().sqlToQuery(
      compileUserFilter(parseFilter(`userName eq "${evil}" or emails[type eq "${evil}"] or manager.value co "${evil}"`)),
    );
    expect(q.sql).not.toContain(evil);
    expect(q.params).toContain(evil);
  });
});

describe(`group filters in SQL (${process.env.DATABASE_URL ? "PostgreSQL" : "PGlite"})`, () => {
  it.each<[string, string[]]>([
    ['displayName eq "engineering"', ["g1"]],
    ['displayName sw "r&d_"', ["g3"]],
    ['displayName co "_"', ["g3"]],
    ['displayName eq "Engineering" or displayName eq "SALES"', ["g1", "g2"]],
    [`members.value eq "${uid.u1}"`, ["g1"]],
    [`members[value eq "${uid.u3}"]`, ["g2"]],
    [`members eq "${uid.u2}"`, ["g1"]],
    ['members.value eq "not-a-uuid"', []],
    ["members pr", ["g1", "g2"]],
    ["not (members pr)", ["g3"]],
    ['externalId eq "G-EXT"', ["g3"]],
    ['externalId eq "g-ext"', []],
    ['externalId ne "G-EXT"', ["g1", "g2"]],
    [`id eq "${gid.g2}"`, ["g2"]],
    ['urn:ietf:params:scim:schemas:core:2.0:Group:displayName eq "sales"', ["g2"]],
    ['meta.resourceType eq "Group"', ["g1", "g2", "g3"]],
    [`displayName eq "Engineering" and members[value eq "${uid.u2}"]`, ["g1"]],
  ])("%s", async (filter, expected) => {
    expect(await groups(filter)).toEqual(expected);
  });

  it.each<[string, RegExp]>([
    ['userName eq "x"', /"userName"/],
    ['members.display eq "x"', /members\.display.*not supported/],
    ['members.value co "x"', /"co" is not supported for members\.value/],
    ['members ne "x"', /not supported/],
    [`${ENT}:employeeNumber eq "1"`, /employeeNumber/],
  ])("rejects %s", (filter, detail) => {
    expect(compileError(() => compileGroupFilter(parseFilter(filter))).detail).toMatch(detail);
  });
});
