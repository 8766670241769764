import { describe, expect, it } from "vitest";
import { parseFilter } from "@/lib/scim/filter";
import { compileGroupFilter } from "./filter-sql";
import { compileError, ENT, gid, groups, uid, withFilterFixture } from "./filter-sql.fixture";

withFilterFixture();

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
