/**
 * Compiles a SCIM filter AST (filter.ts) into a parameterized boolean SQL expression over `scim_users` or
 * `scim_groups`. The caller ANDs it with `org_id = …` and does ordering and paging.
 *
 * - Every value is a bind parameter; only constant SQL (operators, casts) is written as text.
 * - Attributes that are not caseExact compare with lower() on both sides, so the lower(...) expression indexes and
 *   the GIN index on email_values serve the filters IdPs send (userName eq, externalId eq, emails.value eq,
 *   displayName eq).
 * - `ne` is true when the attribute is absent; `not (…)` is `(…) is not true`, so an absent attribute never turns a
 *   negation into NULL. `x eq null` means "x is absent", `x ne null` means "x pr".
 * - Values that the database could not cast (a bad date, a non-UUID id) are handled here, never sent to a cast.
 */
import { sql, type SQL } from "drizzle-orm";
import { isUuid } from "@/lib/ids";
import { invalidFilter } from "@/lib/scim/errors";
import type { CompareOp, Filter, FilterValue } from "@/lib/scim/filter-ast";
import { likePattern, ORDER_SQL, type Resolved, type Resolver, type ScalarField } from "./filter-sql-fields";
import { GROUP_RESOURCE } from "./groups/resource";
import { USER_RESOURCE } from "./users/resource";
import { quote, quoteJson } from "@/lib/scim/quote";

export function compileUserFilter(filter: Filter): SQL {
  return compile(filter, USER_RESOURCE.resolve);
}

export function compileGroupFilter(filter: Filter): SQL {
  return compile(filter, GROUP_RESOURCE.resolve);
}

/** The operands of a chain of the same logical operator, iteratively (a long `a and b and c …` stays shallow). */
function flatten(filter: Filter, op: "and" | "or"): Filter[] {
  const out: Filter[] = [];
  const stack: Filter[] = [filter];
  while (stack.length > 0) {
    const f = stack.pop()!;
    if (f.op === op) stack.push(f.right, f.left);
    else out.push(f);
  }
  return out;
}

function compile(f: Filter, resolve: Resolver): SQL {
  switch (f.op) {
    case "and":
    case "or":
      return sql`(${sql.join(
        flatten(f, f.op).map((p) => compile(p, resolve)),
        sql.raw(` ${f.op} `),
      )})`;
    case "not":
      return sql`((${compile(f.filter, resolve)}) is not true)`;
    case "pr":
      return present(resolve(f.attrPath));
    case "valuePath":
      return valuePath(f.attrPath, f.filter, resolve);
    default:
      return compareResolved(resolve(f.attrPath), f.attrPath, f.op, f.value);
  }
}

function valuePath(attrPath: string, filter: Filter, resolve: Resolver): SQL {
  const r = resolve(attrPath);
  if (r.kind === "multi" && r.sub === undefined) {
    const set = r.set;
    const inner = compile(filter, (sub) => ({ kind: "scalar", field: set.field(sub) }));
    const hint = set.hint?.(filter);
    return hint ? sql`(${hint} and ${set.exists(inner)})` : set.exists(inner);
  }
  if (r.kind === "complex") {
    return compile(filter, (sub) => ({ kind: "scalar", field: r.field(sub) }));
  }
  throw invalidFilter(`"${quote(attrPath)}" is not a multi-valued or complex attribute, so it cannot take a value filter in [ ]`);
}

function present(r: Resolved): SQL {
  switch (r.kind) {
    case "scalar":
      return presentField(r.field);
    case "multi":
      return r.sub === undefined ? r.set.any : r.set.exists(presentField(r.set.field(r.sub)));
    case "complex":
      return r.present;
  }
}

function presentField(field: ScalarField): SQL {
  if (field.present) return field.present;
  if (field.type === "string") return sql`(${field.expr} is not null and ${field.expr} <> '')`;
  return sql`(${field.expr} is not null)`;
}

function compareResolved(r: Resolved, attrPath: string, op: CompareOp, value: FilterValue): SQL {
  if (value === null) {
    // eq null: absent; ne null: present.
    if (op === "eq") return sql`((${present(r)}) is not true)`;
    if (op === "ne") return present(r);
    throw invalidFilter(`"${quote(attrPath)} ${op} null" is not a valid comparison: only eq and ne accept null`);
  }
  switch (r.kind) {
    case "scalar":
      return compareField(r.field, op, value);
    case "complex":
      if (!r.hasValue)
        throw invalidFilter(
          `"${quote(attrPath)}" is a complex attribute: filter on one of its sub-attributes (${attrPath}.<sub-attribute>)`,
        );
      return compareField(r.field("value"), op, value);
    case "multi": {
      // A multi-valued attribute matches when one of its elements does; without a sub-attribute, `value` is meant.
      const sub = r.sub ?? "value";
      const field = r.set.field(sub);
      checkOp(field, op);
      if (sub.toLowerCase() === "value" && r.set.compareValue && field.type === "string") {
        const fast = r.set.compareValue(op, stringValue(field, value));
        if (fast) return fast;
      }
      if (op === "ne") return sql`(not ${r.set.exists(compareField(field, "eq", value))})`;
      return r.set.exists(compareField(field, op, value));
    }
  }
}

function checkOp(field: ScalarField, op: CompareOp) {
  if (field.ops && !field.ops.includes(op)) {
    throw invalidFilter(`"${op}" is not supported for ${field.label} (supported: ${field.ops.join(", ")}, pr)`);
  }
}

function stringValue(field: ScalarField, value: FilterValue): string {
  // Lenient: `id eq 123`, `employeeNumber eq 42` compare the number as a string.
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  throw invalidFilter(`${field.label} cannot be compared with null here`);
}

function booleanValue(field: ScalarField, value: FilterValue): boolean {
  if (typeof value === "boolean") return value;
  if (typeof value === "string" && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === "true";
  throw invalidFilter(`${field.label} is a boolean: compare it with true or false, not ${quoteJson(value)}`);
}

const DATE_TIME = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(Z|[+-]\d{2}:?\d{2})?)?$/i;

/** A dateTime filter value as an ISO string the database can always cast, or undefined. */
function dateValue(value: FilterValue): string | undefined {
  if (typeof value !== "string") return undefined;
  const m = DATE_TIME.exec(value.trim());
  if (!m) return undefined;
  const [, date, time, zone] = m;
  const offset = zone === undefined ? "Z" : zone.toUpperCase() === "Z" ? "Z" : zone.replace(/^([+-]\d{2})(\d{2})$/, "$1:$2");
  const ms = Date.parse(time === undefined ? `${date}T00:00:00Z` : `${date}T${time}${offset}`);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

const LIKE_OPS: ReadonlySet<CompareOp> = new Set(["co", "sw", "ew"]);

function compareField(field: ScalarField, op: CompareOp, value: FilterValue): SQL {
  checkOp(field, op);
  const { expr, label } = field;
  switch (field.type) {
    case "boolean": {
      if (op !== "eq" && op !== "ne") throw invalidFilter(`"${op}" cannot be used with ${label}, a boolean: use eq or ne`);
      const b = booleanValue(field, value);
      if (op === "eq") return b ? sql`(${expr})` : sql`(not ${expr})`;
      return b ? sql`(${expr} is not true)` : sql`(${expr} is not false)`;
    }
    case "dateTime": {
      if (LIKE_OPS.has(op)) throw invalidFilter(`"${op}" cannot be used with ${label}, a dateTime: use eq, ne, gt, ge, lt or le`);
      const iso = dateValue(value);
      if (iso === undefined)
        throw invalidFilter(`${label} is a dateTime: ${quoteJson(value)} is not a date such as "2011-05-13T04:42:34Z"`);
      if (op === "ne") return sql`(${expr} is distinct from ${iso}::timestamptz)`;
      return sql`(${expr} ${sql.raw(ORDER_SQL[op])} ${iso}::timestamptz)`;
    }
    case "uuid": {
      const s = stringValue(field, value);
      // The column is a uuid: a value that is not one matches nothing (and is never cast).
      if (op === "eq") return isUuid(s) ? sql`(${expr} = ${s}::uuid)` : sql`false`;
      if (op === "ne") return isUuid(s) ? sql`(${expr} is distinct from ${s}::uuid)` : sql`true`;
      if (LIKE_OPS.has(op)) return sql`(${expr}::text like lower(${likePattern(op, s)}::text) escape '\\')`;
      return sql`(${expr}::text ${sql.raw(ORDER_SQL[op])} lower(${s}::text))`;
    }
    case "string": {
      const s = stringValue(field, value);
      const ci = !field.caseExact;
      const left = ci ? sql`lower(${expr})` : expr;
      const param = (v: string) => (ci ? sql`lower(${v}::text)` : sql`${v}::text`);
      if (op === "ne") return sql`(${left} is distinct from ${param(s)})`;
      if (LIKE_OPS.has(op)) return sql`(${left} like ${param(likePattern(op, s))} escape '\\')`;
      return sql`(${left} ${sql.raw(ORDER_SQL[op])} ${param(s)})`;
    }
  }
}
