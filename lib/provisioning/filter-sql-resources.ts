/**
 * Where each SCIM attribute of a User and a Group lives in the database, for the filter compiler (filter-sql.ts) and
 * the sortBy keys (paging.ts): indexed columns for the attributes clients filter on (userName, externalId,
 * emails.value, displayName, …), group membership rows for `groups` / `members`, and the `resource` jsonb for
 * everything else. Names are resolved with schemas.ts; the building blocks are filter-sql-fields.ts.
 */
import { sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { scimGroupMembers, scimGroups, scimUsers } from "@/db/schema";
import { invalidFilter } from "@/lib/scim/errors";
import type { Filter } from "@/lib/scim/filter-ast";
import { GROUP_SCHEMA, USER_SCHEMA, type ResolvedAttribute } from "@/lib/scim/schemas";
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
} from "./filter-sql-fields";

// ─── Users ───────────────────────────────────────────────────────────────────────────────────────────────────

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
      throw invalidFilter(`Unknown attribute "groups.${sub}" in the filter: groups has no sub-attribute "${sub}"`);
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

// ─── Groups ──────────────────────────────────────────────────────────────────────────────────────────────────

const MEMBERS_HINT = ` (only members.value eq "<user id>" and members pr are)`;
const groupMembersSet = membershipSet("members", scimGroupMembers.groupId, scimGroups.id, (sub) => {
  if (sub.toLowerCase() === "value") return uuidField("members.value", scimGroupMembers.userId, ["eq"]);
  if (["display", "type", "$ref"].includes(sub.toLowerCase())) return notSupported(`members.${sub}`, MEMBERS_HINT);
  throw invalidFilter(`Unknown attribute "members.${sub}" in the filter: members has no sub-attribute "${sub}"`);
});

export function resolveGroup(attrPath: string): Resolved {
  const r = resolveDef("Group", attrPath);
  const label = r.path.join(".");
  if (r.schema === GROUP_SCHEMA) {
    switch (r.path[0]) {
      case "id":
        return scalar(uuidField(label, scimGroups.id));
      case "externalId":
        return scalar(str(label, scimGroups.externalId, true));
      case "displayName":
        return scalar(str(label, scimGroups.displayName));
      case "meta":
        return metaResolved("Group", scimGroups, r);
      case "members":
        return { kind: "multi", set: groupMembersSet, sub: r.sub?.name };
    }
  }
  return jsonResolved(r, scimGroups.resource, GROUP_SCHEMA, label);
}
