/**
 * In-memory evaluation of a parsed SCIM filter against a resource or a multi-valued attribute's element — what a
 * PATCH value filter (`emails[type eq "work"]`) selects. The parser is filter.ts; SQL is lib/provisioning/filter-sql.ts.
 */
import type { CompareOp, Filter, FilterValue } from "./filter-ast";

const ORDER_OPS: ReadonlySet<string> = new Set(["gt", "ge", "lt", "le"]);

export type MatchOptions = {
  /** Attribute paths (as written in the filter) whose string values compare case-sensitively. Default: none. */
  caseExact?: (attrPath: string) => boolean;
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function getKey(obj: Record<string, unknown>, key: string): unknown {
  if (key in obj) return obj[key];
  const lower = key.toLowerCase();
  for (const k of Object.keys(obj)) if (k.toLowerCase() === lower) return obj[k];
  return undefined;
}

/** The values at `attrPath` in an element (case-insensitive names; arrays are flattened). */
function valuesAt(element: unknown, attrPath: string): unknown[] {
  let path = attrPath;
  let roots: unknown[] = [element];
  if (/^urn:/i.test(path)) {
    const colon = path.lastIndexOf(":");
    const urn = path.slice(0, colon);
    path = path.slice(colon + 1);
    const ext = isObject(element) ? getKey(element, urn) : undefined;
    if (ext !== undefined) roots = [ext];
  }
  for (const part of path.split(".")) {
    const next: unknown[] = [];
    for (const r of roots.flat()) {
      if (isObject(r)) next.push(getKey(r, part));
      else if (part.toLowerCase() === "value" && r !== undefined && r !== null) next.push(r); // a simple element is its own value
    }
    roots = next;
  }
  return roots.flat().filter((v) => v !== undefined && v !== null);
}

function isPresent(v: unknown): boolean {
  if (v === undefined || v === null || v === "") return false;
  if (Array.isArray(v)) return v.some(isPresent);
  if (isObject(v)) return Object.values(v).some(isPresent);
  return true;
}

const NUMERIC = /^\s*-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?\s*$/;
const DATE_LIKE = /^\d{4}-\d{2}-\d{2}/;

function asBool(v: unknown): boolean | undefined {
  if (typeof v === "boolean") return v;
  if (typeof v === "string" && /^(true|false)$/i.test(v)) return v.toLowerCase() === "true";
  return undefined;
}

/** Compares one attribute value with a filter value; undefined when they cannot be compared. */
function compare(actual: unknown, expected: FilterValue, caseExact: boolean): number | undefined {
  if (expected === null || actual === null || actual === undefined || typeof actual === "object") return undefined;
  if (typeof actual === "boolean" || typeof expected === "boolean") {
    const [a, e] = [asBool(actual), asBool(expected)];
    return a === undefined || e === undefined ? undefined : a === e ? 0 : 1;
  }
  if (typeof actual === "number" || typeof expected === "number") {
    const a = typeof actual === "number" ? actual : NUMERIC.test(String(actual)) ? Number(actual) : NaN;
    const e = typeof expected === "number" ? expected : NUMERIC.test(expected) ? Number(expected) : NaN;
    if (!Number.isNaN(a) && !Number.isNaN(e)) return a === e ? 0 : a < e ? -1 : 1;
  }
  let [a, e] = [String(actual), String(expected)];
  if (DATE_LIKE.test(a) && DATE_LIKE.test(e)) {
    const [da, de] = [Date.parse(a), Date.parse(e)];
    if (!Number.isNaN(da) && !Number.isNaN(de)) return da === de ? 0 : da < de ? -1 : 1;
  }
  if (!caseExact) [a, e] = [a.toLowerCase(), e.toLowerCase()];
  return a === e ? 0 : a < e ? -1 : 1;
}

function matchOne(op: CompareOp, actual: unknown, expected: FilterValue, caseExact: boolean): boolean {
  if (op === "co" || op === "sw" || op === "ew") {
    if (expected === null || typeof expected === "boolean" || (typeof actual !== "string" && typeof actual !== "number")) return false;
    let [a, e] = [String(actual), String(expected)];
    if (!caseExact) [a, e] = [a.toLowerCase(), e.toLowerCase()];
    return op === "co" ? a.includes(e) : op === "sw" ? a.startsWith(e) : a.endsWith(e);
  }
  const c = compare(actual, expected, caseExact);
  if (c === undefined) return false;
  if (ORDER_OPS.has(op) && (typeof actual === "boolean" || typeof expected === "boolean")) return false;
  switch (op) {
    case "gt":
      return c > 0;
    case "ge":
      return c >= 0;
    case "lt":
      return c < 0;
    case "le":
      return c <= 0;
    default:
      return c === 0;
  }
}

/**
 * Evaluates a value filter against ONE element of a multi-valued attribute (e.g. `{type:"work",value:"a@x"}`).
 * Names are case-insensitive; strings compare case-insensitively unless `options.caseExact` says otherwise;
 * `ne` is true for an absent attribute; `eq null` means absent.
 */
export function matchesFilter(filter: Filter, element: unknown, options: MatchOptions = {}): boolean {
  switch (filter.op) {
    case "and":
      return matchesFilter(filter.left, element, options) && matchesFilter(filter.right, element, options);
    case "or":
      return matchesFilter(filter.left, element, options) || matchesFilter(filter.right, element, options);
    case "not":
      return !matchesFilter(filter.filter, element, options);
    case "pr":
      return valuesAt(element, filter.attrPath).some(isPresent);
    case "valuePath":
      return valuesAt(element, filter.attrPath).some((el) => matchesFilter(filter.filter, el, options));
    default: {
      const values = valuesAt(element, filter.attrPath);
      if (filter.value === null) {
        const present = values.some(isPresent);
        return filter.op === "eq" ? !present : filter.op === "ne" ? present : false;
      }
      const caseExact = options.caseExact?.(filter.attrPath) ?? false;
      if (filter.op === "ne") return !values.some((v) => matchOne("eq", v, filter.value, caseExact));
      return values.some((v) => matchOne(filter.op, v, filter.value, caseExact));
    }
  }
}
