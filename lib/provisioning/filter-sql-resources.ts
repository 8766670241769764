/**
 * Where each SCIM attribute lives in the database, for the filter compiler (filter-sql.ts): indexed columns for the
 * attributes clients filter on (userName, externalId, emails.value, displayName, …), group membership rows for
 * `groups` / `members`, and the `resource` jsonb for everything else. Names are resolved with schemas.ts.
 */
import { sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { scimGroupMembers, scimGroups, scimUsers } from "@/db/schema";
import { invalidFilter } from "@/lib/scim/errors";
import type { CompareOp, Filter } from "@/lib/scim/filter-ast";
import {
  COMMON_ATTRIBUTES,
  GROUP_SCHEMA,
  RESOURCE_SCHEMAS,
  USER_SCHEMA,
  resolveAttribute,
  type AttributeDef,
  type ResolvedAttribute,
  type ResourceKind,
} from "@/lib/scim/schemas";

export type FieldType = "string" | "boolean" | "dateTime" | "uuid";

/** One comparable value: a column, a jsonb text, a constant. */
export type ScalarField = {
  label: string;
  type: FieldType;
  caseExact: boolean;
  /** text for string, boolean for boolean, timestamptz for dateTime, uuid for uuid. */
  expr: SQL;
  /** The operators allowed, when not all are. */
  ops?: readonly CompareOp[];
  /** The SQL for `pr`, when not the type's default. */
  present?: SQL;
};

/** The elements of a multi-valued attribute (jsonb array elements, membership rows). */
export type ElementSet = {
  label: string;
  /** `exists (select 1 from <elements> where <cond>)`. */
  exists(cond: SQL): SQL;
  /** The attribute has at least one element. */
  any: SQL;
  /** A sub-attribute of one element (throws invalidFilter for an unknown one). */
  field(sub: string): ScalarField;
  /** An index-friendly comparison of the `value` sub-attribute (emails.value → email_values). */
  compareValue?(op: CompareOp, value: string): SQL | undefined;
  /** An index-friendly condition implied by a value filter, checked before the per-element one. */
  hint?(filter: Filter): SQL | undefined;
};

export type Resolved =
  | { kind: "scalar"; field: ScalarField }
  | { kind: "multi"; set: ElementSet; sub?: string }
  | { kind: "complex"; label: string; present: SQL; field(sub: string): ScalarField; hasValue: boolean };

export type Resolver = (attrPath: string) => Resolved;

const scalar = (field: ScalarField): Resolved => ({ kind: "scalar", field });
const str = (label: string, expr: SQL | AnyPgColumn, caseExact = false): ScalarField => ({
  label,
  type: "string",
  caseExact,
  expr: sql`${expr}`,
});

function notSupported(label: string, hint = ""): never {
  throw invalidFilter(`Filtering on "${label}" is not supported${hint}`);
}

/** Resolves a path, also accepting the common attributes (id, externalId, meta) qualified with the core schema URN. */
function resolveDef(kind: ResourceKind, attrPath: string): ResolvedAttribute {
  let r = resolveAttribute(kind, attrPath);
  const core = RESOURCE_SCHEMAS[kind][0]!.id;
  if (!r && attrPath.toLowerCase().startsWith(core.toLowerCase() + ":")) {
    const common = resolveAttribute(kind, attrPath.slice(core.length + 1));
    if (common && COMMON_ATTRIBUTES.includes(common.attribute)) r = common;
  }
  if (!r) throw invalidFilter(`Unknown attribute "${attrPath}" in the filter: ${kind} resources have no such attribute`);
  if (r.attribute.name === "password") throw invalidFilter(`"${attrPath}" cannot be used in a filter`);
  return r;
}

function findSub(def: AttributeDef, sub: string, label: string): AttributeDef {
  const found = def.subAttributes?.find((s) => s.name.toLowerCase() === sub.toLowerCase());
  if (!found) throw invalidFilter(`Unknown attribute "${label}.${sub}" in the filter: ${label} has no sub-attribute "${sub}"`);
  return found;
}

// ─── jsonb ───────────────────────────────────────────────────────────────────────────────────────────────────

/** A field from a jsonb text value (`obj ->> key`), typed by its definition. */
function jsonScalar(label: string, def: AttributeDef, text: SQL): ScalarField {
  if (def.type === "boolean") {
    // `lower(…) = 'true'` rather than a ::boolean cast, so a stored "True" matches and a stray value never errors.
    return { label, type: "boolean", caseExact: false, expr: sql`(lower(${text}) = 'true')`, present: sql`(${text} is not null)` };
  }
  return str(label, text, def.caseExact);
}

function jsonArraySet(label: string, def: AttributeDef, arr: SQL): ElementSet {
  const elements = sql`jsonb_array_elements(case when jsonb_typeof(${arr}) = 'array' then ${arr} else '[]'::jsonb end)`;
  return {
    label,
    exists: (cond) => sql`exists (select 1 from ${elements} as el where ${cond})`,
    any: sql`(case when jsonb_typeof(${arr}) = 'array' then jsonb_array_length(${arr}) > 0 else false end)`,
    field(sub) {
      if (sub.toLowerCase() === "value") {
        // A simple element (a string) is its own value.
        const text = sql`coalesce(el ->> 'value', case when jsonb_typeof(el) in ('string', 'number', 'boolean') then el #>> '{}' end)`;
        return jsonScalar(`${label}.value`, def.subAttributes ? findSub(def, sub, label) : def, text);
      }
      const s = findSub(def, sub, label);
      return jsonScalar(`${label}.${s.name}`, s, sql`(el ->> ${s.name}::text)`);
    },
  };
}

/** Any attribute stored only in the resource jsonb (core attributes at the top, extensions under their URN). */
function jsonResolved(r: ResolvedAttribute, resource: AnyPgColumn, coreSchema: string, label: string): Resolved {
  const obj = r.schema === coreSchema ? sql`${resource}` : sql`(${resource} -> ${r.schema}::text)`;
  const a = r.attribute;
  const node = sql`(${obj} -> ${a.name}::text)`;
  if (a.multiValued) return { kind: "multi", set: jsonArraySet(a.name, a, node), sub: r.sub?.name };
  if (a.type !== "complex") return scalar(jsonScalar(label, a, sql`(${obj} ->> ${a.name}::text)`));
  if (r.sub) return scalar(jsonScalar(label, r.sub, sql`(${node} ->> ${r.sub.name}::text)`));
  return {
    kind: "complex",
    label,
    present: sql`(jsonb_typeof(${node}) = 'object' and jsonb_strip_nulls(${node}) <> '{}'::jsonb)`,
    field: (sub) => {
      const s = findSub(a, sub, label);
      return jsonScalar(`${label}.${s.name}`, s, sql`(${node} ->> ${s.name}::text)`);
    },
    hasValue: a.subAttributes?.some((s) => s.name === "value") ?? false,
  };
}

// ─── Columns shared by users and groups ──────────────────────────────────────────────────────────────────────

type Table = { createdAt: AnyPgColumn; updatedAt: AnyPgColumn; version: AnyPgColumn };

function metaField(kind: ResourceKind, t: Table, sub: string): ScalarField {
  const label = `meta.${sub}`;
  switch (sub) {
    case "created":
      return { label, type: "dateTime", caseExact: true, expr: sql`${t.createdAt}` };
    case "lastModified":
      return { label, type: "dateTime", caseExact: true, expr: sql`${t.updatedAt}` };
    case "version":
      return str(label, sql`('W/"' || ${t.version}::text || '"')`, true);
    case "resourceType":
      return str(label, sql`${kind}::text`, true);
    default:
      return notSupported(label);
  }
}

function metaResolved(kind: ResourceKind, t: Table, r: ResolvedAttribute): Resolved {
  if (r.sub) return scalar(metaField(kind, t, r.sub.name));
  return {
    kind: "complex",
    label: "meta",
    present: sql`true`,
    field: (sub) => metaField(kind, t, findSub(r.attribute, sub, "meta").name),
    hasValue: false,
  };
}

const uuidField = (label: string, col: AnyPgColumn, ops?: readonly CompareOp[]): ScalarField => ({
  label,
  type: "uuid",
  caseExact: true,
  expr: sql`${col}`,
  ops,
});

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

/** A multi-valued attribute backed by the resource's scim_group_members rows (a user's groups, a group's members). */
function membershipSet(label: string, key: AnyPgColumn, owner: AnyPgColumn, field: ElementSet["field"]): ElementSet {
  return {
    label,
    exists: (cond) => sql`exists (select 1 from ${scimGroupMembers} where ${key} = ${owner} and ${cond})`,
    get any() {
      return this.exists(sql`true`);
    },
    field,
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

// ─── Shared SQL pieces ───────────────────────────────────────────────────────────────────────────────────────

export const ORDER_SQL: Record<CompareOp, string> = { eq: "=", ne: "<>", co: "", sw: "", ew: "", gt: ">", ge: ">=", lt: "<", le: "<=" };

/** A LIKE pattern for co/sw/ew with the value's `%`, `_` and `\` escaped (used with ESCAPE '\'). */
export function likePattern(op: CompareOp, value: string): string {
  const v = value.replace(/[\\%_]/g, (c) => "\\" + c);
  return op === "sw" ? `${v}%` : op === "ew" ? `%${v}` : `%${v}%`;
}
