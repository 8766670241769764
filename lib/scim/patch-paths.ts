/**
 * PATCH targets: what a PATCH path (`emails[type eq "work"].value`, `name.givenName`,
 * `urn:…:enterprise:2.0:User:manager`) designates in a resource's schema. Shared by the User and Group engines.
 */
import { invalidPath, mutability } from "./errors";
import { parsePatchPath } from "./filter";
import type { Filter } from "./filter-ast";
import { resolveAttribute, type ResolvedAttribute, type ResourceKind } from "./schemas";
import { quote } from "./quote";

export type PatchTarget = { resolved: ResolvedAttribute; filter?: Filter };

/**
 * Resolves a PATCH path. Returns null for an attribute the resource does not have (including unknown extension
 * URNs); throws invalidPath for a path that does not parse or names an unknown sub-attribute.
 */
export function resolveTarget(kind: ResourceKind, rawPath: string): PatchTarget | null {
  const parsed = parsePatchPath(rawPath);
  const base = resolveAttribute(kind, parsed.attrPath);
  if (!base) return null;
  const filter = parsed.filter ? { filter: parsed.filter } : {};
  if (parsed.subAttr === undefined) return { resolved: base, ...filter };
  const subName = parsed.subAttr.toLowerCase();
  const sub = base.sub ? undefined : base.attribute.subAttributes?.find((s) => s.name.toLowerCase() === subName);
  if (!sub)
    throw invalidPath(`"${quote(rawPath)}" is not a valid path: ${base.path.join(".")} has no sub-attribute "${quote(parsed.subAttr)}"`);
  return { resolved: { ...base, sub, path: [base.attribute.name, sub.name] }, ...filter };
}

/** Whether the target is never written by clients: id, meta, groups, manager.displayName… */
export const isReadOnly = (t: PatchTarget): boolean =>
  t.resolved.attribute.mutability === "readOnly" || t.resolved.sub?.mutability === "readOnly";

/** Whether the target is accepted but never stored: password. */
export const isWriteOnly = (t: PatchTarget): boolean => t.resolved.attribute.mutability === "writeOnly";

/**
 * The target of an operation that names an explicit path: an unknown attribute is invalidPath, a read-only one
 * is mutability (`schemas` included). Returns null for a write-only attribute, whose operations are ignored.
 */
export function explicitTarget(kind: ResourceKind, rawPath: string): PatchTarget | null {
  if (rawPath.trim().toLowerCase() === "schemas") throw mutability(`"schemas" is read-only and cannot be changed by PATCH`);
  const target = resolveTarget(kind, rawPath);
  if (!target) throw invalidPath(`"${quote(rawPath)}" is not an attribute of a ${kind}`);
  // members[value eq "x"].display is sent by some clients: it changes nothing storable and is ignored later.
  const memberSub = kind === "Group" && target.resolved.attribute.name === "members";
  if (isReadOnly(target) && !memberSub) throw mutability(`"${target.resolved.path.join(".")}" is read-only and cannot be changed`);
  return isWriteOnly(target) ? null : target;
}

/**
 * The target of one key of a no-path add/replace value (`"name.givenName"`, `"urn:…:User:department"`,
 * `"emails[type eq \"work\"].value"`): null when the key is to be ignored (unknown, unparseable, read-only such
 * as id/meta/groups/schemas, or password).
 */
export function implicitTarget(kind: ResourceKind, key: string): PatchTarget | null {
  let target: PatchTarget | null;
  try {
    target = resolveTarget(kind, key);
  } catch {
    return null;
  }
  return target && !isReadOnly(target) && !isWriteOnly(target) ? target : null;
}

/** The `type` a value filter asks for when it is exactly `type eq "…"`: how Entra adds a user's first work email. */
export function typeEqualityOf(filter: Filter | undefined): string | undefined {
  if (filter?.op !== "eq" || typeof filter.value !== "string") return undefined;
  return filter.attrPath.toLowerCase() === "type" ? filter.value : undefined;
}
