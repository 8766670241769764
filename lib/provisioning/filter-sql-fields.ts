/**
 * The building blocks of where a SCIM attribute lives in the database, for the filter compiler (filter-sql.ts):
 * typed scalar fields, element sets of multi-valued attributes, the resource jsonb, meta, membership rows. The
 * two resources' attribute maps are in users/resource.ts and groups/resource.ts.
 */
import { sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { scimGroupMembers } from "@/db/schema";
import { invalidFilter } from "@/lib/scim/errors";
import type { CompareOp, Filter } from "@/lib/scim/filter-ast";
import {
  COMMON_ATTRIBUTES,
  RESOURCE_SCHEMAS,
  resolveAttribute,
  type AttributeDef,
  type ResolvedAttribute,
  type ResourceKind,
} from "@/lib/scim/schemas";
import { quote } from "@/lib/scim/quote";

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

export const scalar = (field: ScalarField): Resolved => ({ kind: "scalar", field });
export const str = (label: string, expr: SQL | AnyPgColumn, caseExact = false): ScalarField => ({
  label,
  type: "string",
  caseExact,
  expr: sql`${expr}`,
});

export function notSupported(label: string, hint = ""): never {
  throw invalidFilter(`Filtering on "${quote(label)}" is not supported${hint}`);
}

/** Resolves a path, also accepting the common attributes (id, externalId, meta) qualified with the core schema URN. */
export function resolveDef(kind: ResourceKind, attrPath: string): ResolvedAttribute {
  let r = resolveAttribute(kind, attrPath);
  const core = RESOURCE_SCHEMAS[kind][0]!.id;
  if (!r && attrPath.toLowerCase().startsWith(core.toLowerCase() + ":")) {
    const common = resolveAttribute(kind, attrPath.slice(core.length + 1));
    if (common && COMMON_ATTRIBUTES.includes(common.attribute)) r = common;
  }
  if (!r) throw invalidFilter(`Unknown attribute "${quote(attrPath)}" in the filter: ${kind} resources have no such attribute`);
  if (r.attribute.name === "password") throw invalidFilter(`"${quote(attrPath)}" cannot be used in a filter`);
  return r;
}

export function findSub(def: AttributeDef, sub: string, label: string): AttributeDef {
  const found = def.subAttributes?.find((s) => s.name.toLowerCase() === sub.toLowerCase());
  if (!found)
    throw invalidFilter(`Unknown attribute "${quote(label)}.${quote(sub)}" in the filter: ${label} has no sub-attribute "${quote(sub)}"`);
  return found;
}

// ─── jsonb ───────────────────────────────────────────────────────────────────────────────────────────────────

/** A field from a jsonb text value (`obj ->> key`), typed by its definition. */
export function jsonScalar(label: string, def: AttributeDef, text: SQL): ScalarField {
  if (def.type === "boolean") {
    // `lower(…) = 'true'` rather than a ::boolean cast, so a stored "True" matches and a stray value never errors.
    return { label, type: "boolean", caseExact: false, expr: sql`(lower(${text}) = 'true')`, present: sql`(${text} is not null)` };
  }
  return str(label, text, def.caseExact);
}

export function jsonArraySet(label: string, def: AttributeDef, arr: SQL): ElementSet {
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
export function jsonResolved(r: ResolvedAttribute, resource: AnyPgColumn, coreSchema: string, label: string): Resolved {
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

export function metaResolved(kind: ResourceKind, t: Table, r: ResolvedAttribute): Resolved {
  if (r.sub) return scalar(metaField(kind, t, r.sub.name));
  return {
    kind: "complex",
    label: "meta",
    present: sql`true`,
    field: (sub) => metaField(kind, t, findSub(r.attribute, sub, "meta").name),
    hasValue: false,
  };
}

export const uuidField = (label: string, col: AnyPgColumn, ops?: readonly CompareOp[]): ScalarField => ({
  label,
  type: "uuid",
  caseExact: true,
  expr: sql`${col}`,
  ops,
});

/** A multi-valued attribute backed by the resource's scim_group_members rows (a user's groups, a group's members). */
export function membershipSet(label: string, key: AnyPgColumn, owner: AnyPgColumn, field: ElementSet["field"]): ElementSet {
  return {
    label,
    exists: (cond) => sql`exists (select 1 from ${scimGroupMembers} where ${key} = ${owner} and ${cond})`,
    get any() {
      return this.exists(sql`true`);
    },
    field,
  };
}

// ─── Shared SQL pieces ───────────────────────────────────────────────────────────────────────────────────────

export const ORDER_SQL: Record<CompareOp, string> = { eq: "=", ne: "<>", co: "", sw: "", ew: "", gt: ">", ge: ">=", lt: "<", le: "<=" };

/** A LIKE pattern for co/sw/ew with the value's `%`, `_` and `\` escaped (used with ESCAPE '\'). */
export function likePattern(op: CompareOp, value: string): string {
  const v = value.replace(/[\\%_]/g, (c) => "\\" + c);
  return op === "sw" ? `${v}%` : op === "ew" ? `%${v}` : `%${v}%`;
}
