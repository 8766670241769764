import { describe, expect, it } from "vitest";
import { MAX_FILTER_CLAUSES, parseFilter } from "@/lib/scim/filter";
import { compileUserFilter } from "./filter-sql";
import { ALL_USERS, compileError, ENT, except, gid, uid, users, withFilterFixture } from "./filter-sql.fixture";

withFilterFixture();

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

  it("runs a chain of as many conditions as a filter may hold", async () => {
    const filter = Array.from({ length: MAX_FILTER_CLAUSES }, (_, i) => `userName ne "nobody${i}"`).join(" and ");
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
