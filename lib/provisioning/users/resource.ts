import { sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { scimGroupMembers, scimGroups, scimUsers } from "@/db/schema";
import { invalidFilter, notFound, type ScimError } from "@/lib/scim/errors";
import type { Filter } from "@/lib/scim/filter-ast";
import { type UserResource } from "@/lib/scim/normalize";
import { ENTERPRISE_USER_SCHEMA, USER_SCHEMA, type ResolvedAttribute } from "@/lib/scim/schemas";
import {
  jsonArraySet,
  jsonResolved,
  likePattern,
  membershipSet,
  metaResolved,
  notSupported,
  ORDER_SQL,
  resolveDef,
  scalar,
  str,
  uuidField,
  type ElementSet,
  type Resolved,
} from "../filter-sql-fields";
import { sortKeys } from "../paging";
import { metaOf, type GroupRef, type ScimBase, type UserRow } from "../render";
import type { ResourceDefinition } from "../resource";
import { quote } from "@/lib/scim/quote";

/**
 * The SCIM User as stored: where each attribute lives (indexed columns for what clients filter on — userName,
 * externalId, emails.value, displayName, name.* —, the group membership rows for `groups`, the `resource` jsonb for
 * everything else), the columns a write sets, the sortBy keys and the rendering. See resource.ts.
 */

export function userNotFound(id: string): ScimError {
  return notFound(`No User with id "${quote(id)}" exists in this organization.`);
}

// ─── Attributes (the filter compiler and sortBy) ─────────────────────────────────────────────────────────────

const lowerLike = (col: AnyPgColumn, cond: (e: SQL) => SQL) => sql`exists (select 1 from unnest(${col}) as e where ${cond(sql`e`)})`;

/** Top-level `and` conjuncts of a value filter. */
function conjuncts(f: Filter): Filter[] {
  return f.op === "and" ? [...conjuncts(f.left), ...conjuncts(f.right)] : [f];
}

function emailsSet(r: ResolvedAttribute): ElementSet {
  const base = jsonArraySet("emails", r.attribute, sql`(${scimUsers.resource} -> 'emails')`);
  const ev = scimUsers.emailValues;
  const contains = (v: string) => sql`${ev} @> array[lower(${v}::text)]::text[]`;
  return {
    ...base,
    any: sql`(cardinality(${ev}) > 0)`,
    // email_values holds every email value lower-cased (GIN-indexed): eq is a containment test.
    compareValue(op, v) {
      switch (op) {
        case "eq":
          return contains(v);
        case "ne":
          return sql`(not (${contains(v)}))`;
        case "co":
        case "sw":
        case "ew":
          return lowerLike(ev, (e) => sql`${e} like lower(${likePattern(op, v)}::text) escape '\\'`);
        default:
          return lowerLike(ev, (e) => sql`${e} ${sql.raw(ORDER_SQL[op])} lower(${v}::text)`);
      }
    },
    hint(filter) {
      const eq = conjuncts(filter).find(
        (c) => c.op === "eq" && c.attrPath.toLowerCase() === "value" && (typeof c.value === "string" || typeof c.value === "number"),
      );
      return eq && eq.op === "eq" ? contains(String(eq.value)) : undefined;
    },
  };
}

const userGroupsSet = membershipSet("groups", scimGroupMembers.userId, scimUsers.id, (sub) => {
  switch (sub.toLowerCase()) {
    case "value":
      return uuidField("groups.value", scimGroupMembers.groupId);
    case "display":
      return str(
        "groups.display",
        sql`(select ${scimGroups.displayName} from ${scimGroups} where ${scimGroups.id} = ${scimGroupMembers.groupId})`,
      );
    case "type":
      return str("groups.type", sql`'direct'::text`);
    case "$ref":
      return notSupported("groups.$ref", " (filter on groups.value)");
    default:
      throw invalidFilter(`Unknown attribute "groups.${quote(sub)}" in the filter: groups has no sub-attribute "${quote(sub)}"`);
  }
});

export function resolveUser(attrPath: string): Resolved {
  const r = resolveDef("User", attrPath);
  const [a, s] = r.path;
  const label = r.path.join(".");
  if (r.schema === USER_SCHEMA) {
    switch (a) {
      case "id":
        return scalar(uuidField(label, scimUsers.id));
      case "externalId":
        return scalar(str(label, scimUsers.externalId, true));
      case "userName":
        return scalar(str(label, scimUsers.userName));
      case "displayName":
        return scalar(str(label, scimUsers.displayName));
      case "active":
        return scalar({ label, type: "boolean", caseExact: false, expr: sql`${scimUsers.active}` });
      case "meta":
        return metaResolved("User", scimUsers, r);
      case "emails":
        return { kind: "multi", set: emailsSet(r), sub: r.sub?.name };
      case "groups":
        return { kind: "multi", set: userGroupsSet, sub: r.sub?.name };
      case "name":
        if (s === "givenName") return scalar(str(label, scimUsers.givenName));
        if (s === "familyName") return scalar(str(label, scimUsers.familyName));
    }
  }
  return jsonResolved(r, scimUsers.resource, USER_SCHEMA, label);
}

// ─── Columns written, rendering ───────────────────────────────────────────────────────────────────────────────

/** The columns kept beside the jsonb for indexed filtering and sorting. */
export function userColumns(resource: Record<string, unknown>) {
  const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : null);
  const emails = Array.isArray(resource.emails) ? (resource.emails as Record<string, unknown>[]) : [];
  const primary = emails.find((e) => e.primary === true) ?? emails[0];
  const name = (resource.name ?? {}) as Record<string, unknown>;
  return {
    userName: String(resource.userName),
    externalId: str(resource.externalId),
    active: resource.active !== false,
    displayName: str(resource.displayName),
    givenName: str(name.givenName),
    familyName: str(name.familyName),
    primaryEmail: str(primary?.value),
    emailValues: [...new Set(emails.map((e) => str(e.value)?.toLowerCase()).filter((v): v is string => !!v))],
  };
}

/** The scim_users columns a write sets from the resource, as bound values (the insert and the update alike). */
export function userWritten(resource: UserResource): Record<string, unknown> {
  const { emailValues, ...cols } = userColumns(resource);
  return {
    ...cols,
    emailValues: sql`array(select jsonb_array_elements_text(${JSON.stringify(emailValues)}::jsonb))`,
    resource: sql`${JSON.stringify(resource)}::jsonb`,
  };
}

/** The stored canonical resource → the SCIM User JSON, with meta and the read-only groups. */
export function renderUser(row: UserRow, base: ScimBase, groups?: GroupRef[]): Record<string, unknown> {
  const resource = row.resource;
  const hasEnterprise = ENTERPRISE_USER_SCHEMA in resource;
  const out: Record<string, unknown> = {
    schemas: hasEnterprise ? [USER_SCHEMA, ENTERPRISE_USER_SCHEMA] : [USER_SCHEMA],
    id: row.id,
    ...resource,
    userName: row.userName,
    active: row.active,
  };
  if (groups) out.groups = groups.map((g) => ({ value: g.id, display: g.displayName, $ref: `${base}/Groups/${g.id}`, type: "direct" }));
  out.meta = metaOf("User", row, `${base}/Users/${row.id}`);
  return out;
}

/** sortBy: the attributes clients sort on, with `emails` by the primary email (what the list shows first). */
export const USER_SORT = sortKeys(
  resolveUser,
  ["id", "userName", "displayName", "name.familyName", "name.givenName", "externalId", "meta.created", "meta.lastModified"],
  {
    emails: sql`lower(${scimUsers.primaryEmail})`,
    "emails.value": sql`lower(${scimUsers.primaryEmail})`,
  },
);

export const USER_RESOURCE = {
  type: "User",
  core: USER_SCHEMA,
  table: scimUsers,
  resolve: resolveUser,
  sort: USER_SORT,
  written: userWritten,
  render: renderUser,
  notFound: userNotFound,
} satisfies ResourceDefinition<typeof scimUsers, UserRow, UserResource, GroupRef[]>;
