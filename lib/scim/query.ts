import { invalidValue } from "./errors";
import { quote } from "./quote";
import { resolveAttribute, type ResourceKind } from "./schemas";

/** Paging (RFC 7644 §3.4.2.4): 1-based startIndex, default count 100, at most MAX_COUNT a page. */
export const DEFAULT_COUNT = 100;
export const MAX_COUNT = 1000;
/** The largest startIndex (PostgreSQL's int4; a page that far is past any organization's last resource). */
export const MAX_START_INDEX = 2_147_483_647;
/** Names in `attributes` or `excludedAttributes`. */
export const MAX_ATTRIBUTE_NAMES = 100;

export type ListQuery = {
  filter?: string;
  startIndex: number;
  count: number;
  sortBy?: string;
  sortOrder: "ascending" | "descending";
  attributes: string[];
  excludedAttributes: string[];
};

function intParam(name: string, raw: unknown, fallback: number): number {
  if (raw === undefined || raw === null || raw === "") return fallback;
  const n = typeof raw === "number" ? raw : Number(String(raw).trim());
  if (!Number.isFinite(n)) throw invalidValue(`${name} must be an integer, got "${quote(String(raw))}".`);
  return Math.trunc(n);
}

function listParam(name: string, raw: unknown): string[] {
  if (raw === undefined || raw === null || raw === "") return [];
  const parts = (Array.isArray(raw) ? raw.map(String) : String(raw).split(",")).map((p) => p.trim()).filter(Boolean);
  if (parts.length > MAX_ATTRIBUTE_NAMES)
    throw invalidValue(`${name} names at most ${MAX_ATTRIBUTE_NAMES} attributes (${parts.length} given).`);
  return parts;
}

/** startIndex below 1 counts as 1 (RFC 7644 §3.4.2.4); past MAX_START_INDEX it is refused. */
function startIndexOf(n: number): number {
  if (n > MAX_START_INDEX) throw invalidValue(`startIndex is at most ${MAX_START_INDEX}.`);
  return Math.max(1, n);
}

/** From a GET query string or a POST /.search body (same names, RFC 7644 §3.4.3). */
export function parseListQuery(source: URLSearchParams | Record<string, unknown>): ListQuery {
  const get = (name: string): unknown => {
    if (source instanceof URLSearchParams) {
      for (const [k, v] of source) if (k.toLowerCase() === name.toLowerCase()) return v;
      return undefined;
    }
    const key = Object.keys(source).find((k) => k.toLowerCase() === name.toLowerCase());
    return key === undefined ? undefined : source[key];
  };
  const filter = get("filter");
  if (filter !== undefined && typeof filter !== "string") throw invalidValue("filter must be a string.");
  const sortOrderRaw = get("sortOrder");
  const sortOrder = sortOrderRaw === undefined || sortOrderRaw === "" ? "ascending" : String(sortOrderRaw).toLowerCase();
  if (sortOrder !== "ascending" && sortOrder !== "descending")
    throw invalidValue(`sortOrder must be "ascending" or "descending", got "${quote(String(sortOrderRaw))}".`);
  const sortBy = get("sortBy");
  return {
    filter: filter?.trim() ? filter : undefined,
    startIndex: startIndexOf(intParam("startIndex", get("startIndex"), 1)),
    count: Math.min(MAX_COUNT, Math.max(0, intParam("count", get("count"), DEFAULT_COUNT))),
    sortBy: typeof sortBy === "string" && sortBy.trim() ? sortBy.trim() : undefined,
    sortOrder,
    attributes: listParam("attributes", get("attributes")),
    excludedAttributes: listParam("excludedAttributes", get("excludedAttributes")),
  };
}

/**
 * totalResults when a page's own size proves it, else undefined (count it): a page that holds rows but fewer than
 * asked for is the last one, so everything before it (startIndex - 1) plus its rows is the total; an empty first page
 * means none. Lookups such as `userName eq "…"` then cost one query instead of two.
 */
export function totalFromPage(q: Pick<ListQuery, "startIndex" | "count">, rows: number): number | undefined {
  if (rows > 0 && rows < q.count) return q.startIndex - 1 + rows;
  if (rows === 0 && q.count > 0 && q.startIndex === 1) return 0;
  return undefined;
}

export type Projection = {
  attributes: string[];
  excludedAttributes: string[];
  /** The names resolved against a resource type's schema (resolveProjection), for a list's every resource. */
  resolved?: ResolvedProjection;
};
type Resolved = NonNullable<ReturnType<typeof resolveAttribute>>;
type ResolvedProjection = { kind: ResourceKind; attributes: Resolved[]; excludedAttributes: Resolved[] };

const resolveAll = (kind: ResourceKind, list: string[]) =>
  list.map((a) => resolveAttribute(kind, a)).filter((r): r is Resolved => r !== null);

/** The projection with its names resolved once, for projecting every resource of a list page. */
export function resolveProjection<P extends Projection>(kind: ResourceKind, p: P): P {
  if (p.resolved?.kind === kind) return p;
  return {
    ...p,
    resolved: { kind, attributes: resolveAll(kind, p.attributes), excludedAttributes: resolveAll(kind, p.excludedAttributes) },
  };
}

const ALWAYS = new Set(["id", "schemas", "meta"]);

/** Whether the projection would return the named top-level attribute (so we can skip loading it). */
export function wantsAttribute(kind: ResourceKind, p: Projection, name: string): boolean {
  const target = name.toLowerCase();
  const top = (path: string) => resolveAttribute(kind, path)?.path[0]?.toLowerCase() ?? path.toLowerCase().split(".")[0];
  if (p.attributes.length) return p.attributes.some((a) => top(a) === target);
  return !p.excludedAttributes.some((a) => top(a) === target && resolveAttribute(kind, a)?.sub === undefined);
}

/**
 * Applies `attributes` / `excludedAttributes` (RFC 7644 §3.9) to a rendered resource. `id`, `schemas` and
 * `meta.resourceType` are always returned. Names are case-insensitive, may be URN-qualified and may name a
 * sub-attribute (`name.givenName`).
 */
export function project(kind: ResourceKind, resource: Record<string, unknown>, p: Projection): Record<string, unknown> {
  if (!p.attributes.length && !p.excludedAttributes.length) return resource;
  const { resolved } = resolveProjection(kind, p);
  const locate = (r: Resolved) => {
    const ext = r.schema !== RESOURCE_CORE[kind];
    return { container: ext ? r.schema : undefined, name: r.attribute.name, sub: r.sub?.name };
  };
  if (p.attributes.length) {
    const out: Record<string, unknown> = {};
    for (const key of ALWAYS)
      if (key in resource)
        out[key] = key === "meta" ? { resourceType: (resource.meta as Record<string, unknown>)?.resourceType } : resource[key];
    for (const r of resolved!.attributes) {
      const { container, name, sub } = locate(r);
      const from = container ? (resource[container] as Record<string, unknown> | undefined) : resource;
      if (!from || !(name in from)) continue;
      const to = container ? ((out[container] ??= {}) as Record<string, unknown>) : out;
      if (name === "meta") {
        to.meta = sub ? { ...(to.meta as object), [sub]: (from.meta as Record<string, unknown>)[sub] } : from.meta;
        continue;
      }
      const value = from[name];
      if (!sub) to[name] = value;
      else if (Array.isArray(value))
        to[name] = value.map((el) => (el && typeof el === "object" && sub in el ? { [sub]: (el as Record<string, unknown>)[sub] } : {}));
      else if (value && typeof value === "object" && sub in value)
        to[name] = { ...((to[name] as object) ?? {}), [sub]: (value as Record<string, unknown>)[sub] };
    }
    return out;
  }
  const out: Record<string, unknown> = structuredClone(resource);
  for (const r of resolved!.excludedAttributes) {
    const { container, name, sub } = locate(r);
    if (ALWAYS.has(name) && !container) continue;
    const from = container ? (out[container] as Record<string, unknown> | undefined) : out;
    if (!from) continue;
    if (!sub) delete from[name];
    else if (Array.isArray(from[name])) for (const el of from[name] as Record<string, unknown>[]) delete el[sub];
    else if (from[name] && typeof from[name] === "object") delete (from[name] as Record<string, unknown>)[sub];
  }
  return out;
}

const RESOURCE_CORE: Record<ResourceKind, string> = {
  User: "urn:ietf:params:scim:schemas:core:2.0:User",
  Group: "urn:ietf:params:scim:schemas:core:2.0:Group",
};
