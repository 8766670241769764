import { PgDialect } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import { GROUP_SORT } from "./groups/resource";
import { USER_SORT } from "./users/resource";

// sortBy keys come from the filter's attribute → column map: the same columns, lower() for case-insensitive text.
const text = (keys: Record<string, Parameters<PgDialect["sqlToQuery"]>[0]>) =>
  Object.fromEntries(Object.entries(keys).map(([k, v]) => [k, new PgDialect().sqlToQuery(v).sql]));

describe("sort keys", () => {
  it("for Users: every supported sortBy on its indexed column", () => {
    expect(text(USER_SORT)).toEqual({
      id: '"scim_users"."id"',
      username: 'lower("scim_users"."user_name")',
      displayname: 'lower("scim_users"."display_name")',
      "name.familyname": 'lower("scim_users"."family_name")',
      "name.givenname": 'lower("scim_users"."given_name")',
      externalid: '"scim_users"."external_id"',
      "meta.created": '"scim_users"."created_at"',
      "meta.lastmodified": '"scim_users"."updated_at"',
      emails: 'lower("scim_users"."primary_email")',
      "emails.value": 'lower("scim_users"."primary_email")',
    });
  });

  it("for Groups", () => {
    expect(text(GROUP_SORT)).toEqual({
      id: '"scim_groups"."id"',
      displayname: 'lower("scim_groups"."display_name")',
      externalid: '"scim_groups"."external_id"',
      "meta.created": '"scim_groups"."created_at"',
      "meta.lastmodified": '"scim_groups"."updated_at"',
    });
  });
});
