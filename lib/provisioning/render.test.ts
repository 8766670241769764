import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { queryRows } from "@/db/client";
import { scimGroups, scimUsers } from "@/db/schema";
import { uniqueSuffix } from "@/db/test-support";
import { groupRowOf, userRowOf } from "@/lib/provisioning/render";
import { call, h, scimOrg, withScimDatabase } from "@/lib/provisioning/test-harness";

// Raw rows read as drizzle reads them.
withScimDatabase();

describe("userRowOf and groupRowOf", () => {
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
    expect(userRowOf(raw!)).toEqual(typed);
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
    expect(groupRowOf(rawGroup!)).toEqual(typedGroup);
  });
});
