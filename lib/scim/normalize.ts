/**
 * Turns the User and Group JSON that provisioning clients send into our canonical stored form: canonical camelCase
 * attribute names (from schemas.ts), enterprise attributes under their URN key, booleans as booleans, multi-valued
 * attributes as arrays of canonical elements, and nothing that is absent (null, "", {}, []), read-only, write-only
 * (password) or unknown. The PATCH engine (patch.ts) uses the same pieces, so a value means the same thing in a
 * POST, a PUT and a PATCH.
 */
import { invalidSyntax, invalidValue } from "./errors";
import {
  ENTERPRISE_USER_SCHEMA,
  ENTERPRISE_USER_SCHEMA_DEF,
  RESOURCE_SCHEMAS,
  resolveAttribute,
  type AttributeDef,
  type ResolvedAttribute,
  type ResourceKind,
} from "./schemas";
import { quoteJson } from "./quote";

/** A User in canonical form: core attributes at the top, enterprise ones under ENTERPRISE_USER_SCHEMA. */
export type UserResource = Record<string, unknown>;
/** A Group in canonical form. Members are not part of it: they live in their own table. */
export type GroupResource = { displayName: string; externalId?: string; extra: Record<string, unknown> };

type Obj = Record<string, unknown>;

export const isObject = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** null, undefined and "" are how clients say "no value". */
export const isAbsent = (v: unknown): boolean => v === null || v === undefined || v === "";

const MANAGER = ENTERPRISE_USER_SCHEMA_DEF.attributes.find((a) => a.name === "manager");

const findSub = (attr: AttributeDef, key: string) => attr.subAttributes?.find((s) => s.name.toLowerCase() === key.toLowerCase());

/**
 * Whether a sub-attribute is kept in storage. Read-only ones (manager.displayName, members.display) are computed by
 * the server; the manager is stored as `{ value }` only, its `$ref` being derived from the id.
 */
export const isStoredSub = (attr: AttributeDef, sub: AttributeDef): boolean =>
  sub.mutability !== "readOnly" && (attr !== MANAGER || sub.name === "value");

/** The schema URN a top-level key names when it is one (any letter case), e.g. the enterprise extension's. */
export const schemaKey = (kind: ResourceKind, key: string): string | undefined =>
  RESOURCE_SCHEMAS[kind].find((s) => s.id.toLowerCase() === key.toLowerCase())?.id;

function canonicalScalar(def: AttributeDef, value: unknown, name: string): unknown {
  if (isAbsent(value)) return undefined;
  switch (def.type) {
    case "boolean": {
      if (typeof value === "boolean") return value;
      const lower = typeof value === "string" ? value.trim().toLowerCase() : "";
      if (lower === "true") return true;
      if (lower === "false") return false;
      throw invalidValue(`${name} must be a boolean (true or false), not ${quoteJson(value)}`);
    }
    case "integer":
    case "decimal": {
      const n = typeof value === "string" ? Number(value.trim()) : value;
      if (typeof n === "number" && Number.isFinite(n) && (def.type === "decimal" || Number.isInteger(n))) return n;
      throw invalidValue(`${name} must be a${def.type === "integer" ? "n integer" : " number"}, not ${quoteJson(value)}`);
    }
    default:
      if (typeof value === "string") return value;
      if (typeof value === "number" || typeof value === "boolean") return String(value);
      throw invalidValue(`${name} must be a string, not ${quoteJson(value)}`);
  }
}

/** A sub-attribute value: `primary: false` is stored as no `primary` at all. */
function canonicalSub(sub: AttributeDef, value: unknown, name: string): unknown {
  const v = canonicalScalar(sub, value, name);
  return sub.name === "primary" && v === false ? undefined : v;
}

/**
 * What a complex value says about each stored sub-attribute: `set` holds the canonical values given, `cleared`
 * the sub-attributes given as absent (null, "", primary false). A bare string or number stands for `{ value }`.
 */
export function subAttributeChanges(attr: AttributeDef, value: unknown, name: string): { set: Obj; cleared: string[] } {
  if (!isObject(value)) {
    if ((typeof value === "string" || typeof value === "number") && findSub(attr, "value")) {
      return subAttributeChanges(attr, { value }, name);
    }
    throw invalidValue(`${name} must be an object with sub-attributes, not ${quoteJson(value)}`);
  }
  const set: Obj = {};
  const cleared: string[] = [];
  for (const [key, raw] of Object.entries(value)) {
    const sub = findSub(attr, key);
    if (!sub || !isStoredSub(attr, sub)) continue;
    const v = canonicalSub(sub, raw, `${name}.${sub.name}`);
    if (v === undefined) cleared.push(sub.name);
    else set[sub.name] = v;
  }
  return { set, cleared };
}

function canonicalComplex(attr: AttributeDef, value: unknown, name: string): Obj | undefined {
  if (isAbsent(value)) return undefined;
  const { set } = subAttributeChanges(attr, value, name);
  if (attr === MANAGER && set.value === undefined) return undefined;
  return Object.keys(set).length > 0 ? set : undefined;
}

function canonicalAttribute(attr: AttributeDef, value: unknown, name: string): unknown {
  if (attr.multiValued) {
    if (isAbsent(value)) return undefined;
    const items = (Array.isArray(value) ? value : [value])
      .map((item) => (attr.type === "complex" ? canonicalComplex(attr, item, name) : canonicalScalar(attr, item, name)))
      .filter((item) => item !== undefined);
    return items.length > 0 ? items : undefined;
  }
  if (attr.type === "complex") return canonicalComplex(attr, value, name);
  return canonicalScalar(attr, value, name);
}

/**
 * Coerces the value of one attribute (or of one sub-attribute, when `path.sub` is set) to canonical form:
 * booleans from "True"/"False", canonical sub-attribute names, a single element wrapped into an array for a
 * multi-valued attribute. Returns undefined for "no value". Throws invalidValue for a value of the wrong type.
 */
export function canonicalizeValue(kind: ResourceKind, path: ResolvedAttribute, value: unknown): unknown {
  const name = path.path.join(".");
  if (path.sub) return canonicalSub(path.sub, value, name);
  return canonicalAttribute(path.attribute, value, name);
}

/** The object holding an attribute of `schema` within a User: the resource itself, or its enterprise extension. */
export function containerFor(resource: UserResource, schema: string, create: boolean): Obj | undefined {
  if (schema !== ENTERPRISE_USER_SCHEMA) return resource;
  const existing = resource[ENTERPRISE_USER_SCHEMA];
  if (isObject(existing)) return existing;
  if (!create) return undefined;
  const ext: Obj = {};
  resource[ENTERPRISE_USER_SCHEMA] = ext;
  return ext;
}

/**
 * Brings a User's canonical form back into shape after edits: drops absent values, empty objects and arrays,
 * elements without a `value` for attributes that have one, and an empty enterprise extension; checks that at most
 * one element of each multi-valued attribute is primary and that userName is there.
 */
export function finishUser(resource: UserResource): UserResource {
  for (const def of RESOURCE_SCHEMAS.User) {
    const container = containerFor(resource, def.id, false);
    if (!container) continue;
    for (const [key, value] of Object.entries(container)) {
      if (key === ENTERPRISE_USER_SCHEMA) continue;
      const attr = resolveAttribute("User", `${def.id}:${key}`)?.attribute ?? resolveAttribute("User", key)?.attribute;
      if (Array.isArray(value)) {
        const needsValue = attr ? findSub(attr, "value") !== undefined : false;
        const kept = value.filter((e) => (isObject(e) ? Object.keys(e).length > 0 && (!needsValue || !isAbsent(e.value)) : !isAbsent(e)));
        if (kept.filter((e) => isObject(e) && e.primary === true).length > 1) {
          throw invalidValue(`Only one of ${key} may be primary`);
        }
        if (kept.length > 0) container[key] = kept;
        else delete container[key];
      } else if (isAbsent(value) || (isObject(value) && Object.keys(value).length === 0)) {
        delete container[key];
      }
    }
  }
  const ext = resource[ENTERPRISE_USER_SCHEMA];
  if (ext !== undefined && (!isObject(ext) || Object.keys(ext).length === 0)) delete resource[ENTERPRISE_USER_SCHEMA];
  const userName = resource.userName;
  if (typeof userName !== "string" || userName.trim() === "") throw invalidValue("userName is required");
  return resource;
}

function assignUserKeys(body: Obj, out: UserResource, prefix: string): void {
  for (const [key, raw] of Object.entries(body)) {
    const schema = schemaKey("User", key);
    if (schema) {
      if (isObject(raw) && !prefix) assignUserKeys(raw, out, `${schema}:`);
      continue;
    }
    const resolved = resolveAttribute("User", prefix + key);
    // Unknown attributes (Microsoft's extension URNs included), dotted paths, id/meta/groups and password are dropped.
    if (!resolved || resolved.sub || resolved.attribute.mutability === "readOnly" || resolved.attribute.mutability === "writeOnly")
      continue;
    const container = containerFor(out, resolved.schema, true)!;
    const value = canonicalizeValue("User", resolved, raw);
    if (value === undefined) delete container[resolved.attribute.name];
    else container[resolved.attribute.name] = value;
  }
}

/** A POST or PUT /Users body → the canonical User. */
export function normalizeUserInput(body: unknown): UserResource {
  if (!isObject(body)) throw invalidSyntax("The request body must be a JSON object describing a User");
  const out: UserResource = {};
  assignUserKeys(body, out, "");
  return finishUser(out);
}

/** Member ids from `[{ value }]` (or one such object, or bare id strings), deduplicated, in order. */
export function memberIdsFrom(value: unknown): string[] {
  if (value === null || value === undefined) return [];
  const ids: string[] = [];
  for (const item of Array.isArray(value) ? value : [value]) {
    let id: unknown = item;
    if (isObject(item)) id = Object.entries(item).find(([k]) => k.toLowerCase() === "value")?.[1];
    if (typeof id !== "string" || id.trim() === "") {
      throw invalidValue(`Each member needs a "value" holding the member's id, not ${quoteJson(item)}`);
    }
    if (!ids.includes(id)) ids.push(id);
  }
  return ids;
}

/** A POST or PUT /Groups body → the canonical Group and the ids of its members. */
export function normalizeGroupInput(body: unknown): { group: GroupResource; memberIds: string[] } {
  if (!isObject(body)) throw invalidSyntax("The request body must be a JSON object describing a Group");
  let displayName: unknown;
  let externalId: unknown;
  let memberIds: string[] = [];
  const visit = (obj: Obj, prefix: string) => {
    for (const [key, raw] of Object.entries(obj)) {
      const schema = schemaKey("Group", key);
      if (schema) {
        if (isObject(raw) && !prefix) visit(raw, `${schema}:`);
        continue;
      }
      const resolved = resolveAttribute("Group", prefix + key);
      if (!resolved || resolved.sub) continue;
      const name = resolved.attribute.name;
      if (name === "displayName") displayName = canonicalizeValue("Group", resolved, raw);
      else if (name === "externalId") externalId = canonicalizeValue("Group", resolved, raw);
      else if (name === "members") memberIds = memberIdsFrom(raw);
    }
  };
  visit(body, "");
  if (typeof displayName !== "string" || displayName.trim() === "") throw invalidValue("displayName is required");
  const group: GroupResource = { displayName, extra: {} };
  if (typeof externalId === "string") group.externalId = externalId;
  return { group, memberIds };
}
