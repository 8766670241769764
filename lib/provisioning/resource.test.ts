import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { queryRows } from "@/db/client";
import { scimGroups, scimUsers } from "@/db/schema";
import { uniqueSuffix } from "@/db/test-support";
import { columnsOf, rowOf } from "@/lib/provisioning/resource";
import { PgDialect } from "drizzle-orm/pg-core";
import { call, h, scimOrg, withScimDatabase } from "@/lib/provisioning/test-harness";

// Raw rows read as drizzle reads them.
withScimDatabase();

describe("rowOf", () => {
  it("read raw scim_users and scim_groups rows exactly as drizzle does", async () => {
    const a = await scimOrg();
    const res = await call(a.orgId, a.token, "POST", "/Users", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName: `raw.${uniqueSuffix()}@example.com`,
      externalId: "ext-1",
      displayName: "Raw Row",
      name: { givenName: "Raw", familyName: "Row" },
      emails: [{ value: "Raw.Row@Example.com", type: "work", primary: true }, { value: "second@example.com" }],
      active: true,
    });
    const { id } = (await res.json()) as { id: string };
    const [typed] = await h.db.select().from(scimUsers).where(eq(scimUsers.id, id));
    const [raw] = await queryRows(h.db, sql`select * from scim_users where id = ${id}::uuid`);
    expect(rowOf(scimUsers, raw!)).toEqual(typed);
    const group = (await (
      await call(a.orgId, a.token, "POST", "/Groups", {
        schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
        displayName: `Raw ${uniqueSuffix()}`,
        externalId: "g-ext",
        members: [{ value: id }],
      })
    ).json()) as { id: string };
    const [typedGroup] = await h.db.select().from(scimGroups).where(eq(scimGroups.id, group.id));
    const [rawGroup] = await queryRows(h.db, sql`select * from scim_groups where id = ${group.id}::uuid`);
    expect(rowOf(scimGroups, rawGroup!)).toEqual(typedGroup);
  });
});

describe("columnsOf", () => {
  const dialect = new PgDialect();
  it("names the columns of the table's fields and writes the insert and the update in one order", () => {
    const c = columnsOf(scimGroups, { displayName: "Eng", externalId: null, version: sql`version + 1` });
    expect(dialect.sqlToQuery(sql`insert into t (${c.names}) values (${c.values})`)).toMatchObject({
      sql: 'insert into t ("display_name", "external_id", "version") values ($1, $2, version + 1)',
      params: ["Eng", null],
    });
    expect(dialect.sqlToQuery(sql`update t set ${c.assignments}`).sql).toBe(
      'update t set "display_name" = $1, "external_id" = $2, "version" = version + 1',
    );
  });
  it("refuses a field the table does not have", () => {
    expect(() => columnsOf(scimGroups, { display_name: "Eng" })).toThrow("columnsOf: display_name is not a column of the table");
  });
});
