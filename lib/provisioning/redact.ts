import { parsePatchPath } from "@/lib/scim/filter";
import { RESOURCE_SCHEMAS, resolveAttribute, type AttributeDef, type ResourceKind } from "@/lib/scim/schemas";

/**
 * A bounded, secret-free copy of a SCIM request body for the provisioning log. Secrets are found the way the server
 * reads the body: each attribute resolved against the resource's schemas (case-insensitive, URN-qualified, inside
 * an extension's object, as a PATCH path or inside a pathless PATCH value) — a write-only or never-returned
 * attribute (`password`) is replaced, whatever shape carries it. Keys that merely look secret (token, secret, …)
 * are replaced too. Long strings are cut and long arrays summarised (a 10,000-member PUT is logged as its first
 * members and a count), and the whole copy is at most LOG_REQUEST_MAX characters of JSON.
 */

const SECRET_KEY = /pass(word)?|secret|token|credential|authorization/i;
const REDACTED = "[redacted]";
const MAX_STRING = 300;
const MAX_ARRAY = 20;
const MAX_DEPTH = 6;
const MAX_ANSWER_ARRAY = 5;
/** The largest redacted request a log event keeps (JSON characters). */
export const LOG_REQUEST_MAX = 4096;

const sensitive = (a: AttributeDef | undefined) => !!a && (a.mutability === "writeOnly" || a.returned === "never");

/** Any JSON value, cut to size (lists to their first `maxArray` items and a count), with secret-looking keys replaced. */
function generic(value: unknown, depth: number, maxArray = MAX_ARRAY): unknown {
  if (value === null || typeof value !== "object") {
    return typeof value === "string" && value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}… (${value.length} characters)` : value;
  }
  if (depth >= MAX_DEPTH) return "[…]";
  if (Array.isArray(value)) {
    const head = value.slice(0, maxArray).map((v) => generic(v, depth + 1, maxArray));
    return value.length > maxArray ? [...head, `… and ${value.length - maxArray} more`] : head;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) ? REDACTED : generic(v, depth + 1, maxArray);
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The schema URN a key names, when it is one of the resource's schemas (an extension's object, or the core's). */
function schemaKey(kind: ResourceKind, key: string): string | undefined {
  return RESOURCE_SCHEMAS[kind].find((s) => s.id.toLowerCase() === key.toLowerCase())?.id;
}

/** A resource's attributes (a POST or PUT body, a pathless PATCH value), `prefix` the schema URN they are under. */
function resource(kind: ResourceKind, value: Record<string, unknown>, depth: number, prefix?: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const urn = prefix ? undefined : schemaKey(kind, k);
    if (urn && isObject(v)) {
      out[k] = resource(kind, v, depth + 1, urn);
      continue;
    }
    const name = prefix ? `${prefix}:${k}` : k;
    const r = resolveAttribute(kind, name);
    if (SECRET_KEY.test(k) || sensitive(r?.attribute)) {
      out[k] = REDACTED;
      continue;
    }
    if (r && isObject(v)) {
      // A complex attribute: its sub-attributes resolved the same way.
      const sub: Record<string, unknown> = {};
      for (const [sk, sv] of Object.entries(v))
        sub[sk] = SECRET_KEY.test(sk) || sensitive(resolveAttribute(kind, `${name}.${sk}`)?.sub) ? REDACTED : generic(sv, depth + 2);
      out[k] = sub;
      continue;
    }
    out[k] = generic(v, depth + 1);
  }
  return out;
}

/** Whether a PATCH operation's path names a secret attribute (or a sub-attribute of one). */
function secretPath(kind: ResourceKind, path: unknown): boolean {
  if (typeof path !== "string") return false;
  try {
    const { attrPath, subAttr } = parsePatchPath(path);
    const r = resolveAttribute(kind, attrPath);
    if (sensitive(r?.attribute) || sensitive(r?.sub)) return true;
    return !!subAttr && sensitive(resolveAttribute(kind, `${attrPath}.${subAttr}`)?.sub);
  } catch {
    return SECRET_KEY.test(path);
  }
}

function patchBody(kind: ResourceKind, body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) {
    if (k.toLowerCase() !== "operations" || !Array.isArray(v)) {
      out[k] = generic(v, 1);
      continue;
    }
    const ops = v.slice(0, MAX_ARRAY).map((op) => {
      if (!isObject(op)) return generic(op, 2);
      const pathKey = Object.keys(op).find((x) => x.toLowerCase() === "path");
      const secret = secretPath(kind, pathKey ? op[pathKey] : undefined);
      const copy: Record<string, unknown> = {};
      for (const [ok, ov] of Object.entries(op)) {
        if (ok.toLowerCase() !== "value") copy[ok] = generic(ov, 3);
        else if (secret) copy[ok] = REDACTED;
        else if (!pathKey && isObject(ov)) copy[ok] = resource(kind, ov, 3);
        else copy[ok] = generic(ov, 3);
      }
      return copy;
    });
    out[k] = v.length > MAX_ARRAY ? [...ops, `… and ${v.length - MAX_ARRAY} more`] : ops;
  }
  return out;
}

/**
 * At most LOG_REQUEST_MAX characters of JSON, as text: a larger copy is kept as its beginning, marked as cut. Text,
 * because the log stores it in a json column as written — the keys in the order the IdP sent them (jsonb would sort
 * them).
 */
function boundedJson(copy: unknown): string {
  let json = JSON.stringify(copy) ?? "null";
  // NUL, which PostgreSQL text and jsonb refuse, becomes U+FFFD here too (the copy is cast to json, and read as jsonb by tools).
  if (json.includes("\\u0000")) json = JSON.stringify(copy, (_k, v: unknown) => (typeof v === "string" ? v.replace(/\0/g, "\uFFFD") : v));
  if (json.length <= LOG_REQUEST_MAX) return json;
  // The beginning, cut so that the copy with its quotes escaped stays within the bound too.
  let keep = LOG_REQUEST_MAX - 120;
  for (;;) {
    const cut = JSON.stringify({ truncated: `${json.length} characters of JSON, the first ${keep} kept`, start: json.slice(0, keep) });
    if (cut.length <= LOG_REQUEST_MAX || keep < 100) return cut;
    keep -= cut.length - LOG_REQUEST_MAX;
  }
}

/** The copy of a request body the provisioning log keeps, as JSON text, for `method` on a resource of `kind` (if any). */
export function redactBodyJson(body: unknown, request: { kind?: ResourceKind; method?: string } = {}): string {
  const { kind, method } = request;
  if (!kind || !isObject(body)) return boundedJson(generic(body, 0));
  return boundedJson(method?.toUpperCase() === "PATCH" ? patchBody(kind, body) : resource(kind, body, 0));
}

/** The copy of `body` the provisioning log keeps (redactBodyJson, parsed: what the page shows). */
export function redactBody(body: unknown, request: { kind?: ResourceKind; method?: string } = {}): unknown {
  return JSON.parse(redactBodyJson(body, request));
}

/**
 * The copy of a successful answer the log keeps, as JSON text: a resource as the IdP got it (which never carries a
 * password: those are never returned), with secret-looking keys replaced, long lists summarised, bounded like a request.
 */
export function redactAnswerJson(body: unknown): string {
  // A list answer keeps its first few resources and a count: enough to see what the IdP got, and cheap to copy.
  return boundedJson(generic(body, 0, MAX_ANSWER_ARRAY));
}
