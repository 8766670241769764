/**
 * The RFC 7644 §3.5.2 PATCH engine, accepting every shape Okta and Entra ID send (docs/IDP-BEHAVIOUR.md).
 * Users are patched in memory (pure: a new canonical resource comes back); Groups are planned: attribute changes
 * applied to the group, membership changes returned as ordered steps the caller runs as set-based SQL.
 */
import { invalidFilter, invalidPath, invalidSyntax, invalidValue, noTarget, tooMany } from "./errors";
import type { Filter } from "./filter-ast";
import { canonicalizeValue, finishUser, isObject, memberIdsFrom, schemaKey, type GroupResource, type UserResource } from "./normalize";
import { explicitTarget, implicitTarget, type PatchTarget } from "./patch-paths";
import { applyNoPathOp, applyPathOp, type UserPatchState } from "./patch-user";
import { PATCH_OP_SCHEMA, USER_SCHEMA } from "./schemas";
import { quoteJson } from "./quote";

export type PatchOperation = { op: "add" | "replace" | "remove"; path?: string; value?: unknown };

const field = (obj: Record<string, unknown>, name: string): [string, unknown] | undefined =>
  Object.entries(obj).find(([k]) => k.toLowerCase() === name);

/** Validates a PATCH body (`{schemas: [PatchOp], Operations: [...]}`, leniently) and returns its operations. */
/** Operations in one PATCH request (a group PATCH of members carries many values in one operation instead). */
export const MAX_PATCH_OPERATIONS = 1000;

export function parsePatchBody(body: unknown): PatchOperation[] {
  if (!isObject(body)) throw invalidSyntax('A PATCH body must be a JSON object with an "Operations" array');
  const schemas = field(body, "schemas")?.[1];
  if (schemas !== undefined && schemas !== null) {
    const list = Array.isArray(schemas) ? schemas : [schemas];
    if (!list.some((s) => typeof s === "string" && s.toLowerCase() === PATCH_OP_SCHEMA.toLowerCase())) {
      throw invalidSyntax(`A PATCH body's "schemas" must include "${PATCH_OP_SCHEMA}"`);
    }
  }
  const operations = field(body, "operations")?.[1];
  if (!Array.isArray(operations)) throw invalidSyntax('A PATCH body needs an "Operations" array');
  if (operations.length === 0) throw invalidSyntax('"Operations" is empty: send at least one operation');
  if (operations.length > MAX_PATCH_OPERATIONS)
    throw tooMany(
      `A PATCH request has at most ${MAX_PATCH_OPERATIONS} operations (this one has ${operations.length}): send them in several requests.`,
    );
  return operations.map((raw, i): PatchOperation => {
    const where = `Operations[${i}]`;
    if (!isObject(raw)) throw invalidSyntax(`${where} must be an object with "op", "path" and "value"`);
    const opRaw = field(raw, "op")?.[1];
    const op = typeof opRaw === "string" ? opRaw.trim().toLowerCase() : "";
    if (op !== "add" && op !== "replace" && op !== "remove") {
      throw invalidSyntax(`${where}.op must be "add", "replace" or "remove", not ${quoteJson(opRaw ?? null)}`);
    }
    const pathRaw = field(raw, "path")?.[1];
    if (pathRaw !== undefined && pathRaw !== null && typeof pathRaw !== "string") {
      throw invalidSyntax(`${where}.path must be a string`);
    }
    const valueField = field(raw, "value");
    if (op !== "remove" && !valueField) throw invalidSyntax(`${where} (${op}) needs a "value"`);
    const path = typeof pathRaw === "string" && pathRaw.trim() !== "" ? pathRaw.trim() : undefined;
    return { op, ...(path !== undefined ? { path } : {}), ...(valueField ? { value: valueField[1] } : {}) };
  });
}

const NO_PATH_REMOVE = 'A "remove" operation needs a "path" naming what to remove';

/**
 * Applies PATCH operations to a canonical User, in order, and returns the new canonical User. Never mutates its
 * input; throws a ScimError at the first failing operation (the caller discards everything: PATCH is atomic).
 */
export function applyUserPatch(resource: UserResource, ops: PatchOperation[]): UserResource {
  const state: UserPatchState = { resource: structuredClone(resource), madePrimary: new WeakSet() };
  for (const { op, path, value } of ops) {
    if (path !== undefined) applyPathOp(state, op, path, value);
    else if (op === "remove") throw noTarget(NO_PATH_REMOVE);
    else applyNoPathOp(state, op, value);
  }
  settlePrimaries(state);
  return finishUser(state.resource);
}

const ACTIVE_PATHS = new Set(["active", `${USER_SCHEMA}:active`.toLowerCase()]);

/**
 * The `active` value a User PATCH sets when setting it is all the PATCH does — how Okta and Entra ID deactivate
 * and reactivate people (`{"op":"replace","value":{"active":false}}`, `{"op":"Replace","path":"active","value":"False"}`)
 * — else undefined. The value is the one the engine itself would set (its coercion, its errors), so a caller may
 * apply it without reading the user first.
 */
export function activeOnlyPatch(ops: PatchOperation[]): boolean | undefined {
  if (!ops.length) return undefined;
  for (const { op, path, value } of ops) {
    if (op === "remove") return undefined;
    const keys = path !== undefined ? [path] : isObject(value) ? Object.keys(value) : [];
    if (keys.length !== 1 || !ACTIVE_PATHS.has(keys[0]!.toLowerCase())) return undefined;
  }
  try {
    const active = applyUserPatch({ userName: "-" }, ops).active;
    return typeof active === "boolean" ? active : undefined;
  } catch {
    return undefined; // a value the engine refuses: the general path answers it (after finding the user)
  }
}

/** When an operation made one element primary, the others of that attribute stop being primary. */
function settlePrimaries({ resource, madePrimary }: UserPatchState): void {
  for (const value of Object.values(resource)) {
    if (!Array.isArray(value)) continue;
    const primaries = value.filter(isObject).filter((e) => e.primary === true);
    const fresh = primaries.filter((e) => madePrimary.has(e));
    if (primaries.length > 1 && fresh.length === 1) {
      primaries.filter((e) => e !== fresh[0]).forEach((e) => delete e.primary);
    }
  }
}

/** A membership change, run in order by the caller. */
export type MemberStep = { action: "add" | "remove"; ids: string[] } | { action: "replace"; ids: string[] } | { action: "removeAll" };

/** Plans PATCH operations on a Group: the changed group, and the membership changes as ordered steps. */
export function planGroupPatch(group: GroupResource, ops: PatchOperation[]): { group: GroupResource; memberSteps: MemberStep[] } {
  const next: GroupResource = { ...group, extra: { ...group.extra } };
  const memberSteps: MemberStep[] = [];
  for (const { op, path, value } of ops) {
    if (path !== undefined) {
      const target = explicitTarget("Group", path);
      if (target) planGroupTarget(next, memberSteps, op, target, value);
    } else if (op === "remove") {
      throw noTarget(NO_PATH_REMOVE);
    } else {
      planNoPath(next, memberSteps, op, value, "");
    }
  }
  return { group: next, memberSteps };
}

/**
 * The member steps of PATCH operations that change nothing but the member list, by adds and removes — how Okta and
 * Entra push group memberships — planned without the group (member steps never depend on it); undefined when an
 * operation touches another attribute, replaces the list or removes it whole, or is refused (planGroupPatch on the
 * group then says why).
 */
export function memberOnlySteps(ops: PatchOperation[]): MemberStep[] | undefined {
  const blank: GroupResource = { displayName: "\u0000", extra: {} };
  let planned: ReturnType<typeof planGroupPatch>;
  try {
    planned = planGroupPatch(blank, ops);
  } catch {
    return undefined;
  }
  const { group, memberSteps } = planned;
  if (group.displayName !== blank.displayName || group.externalId !== undefined || Object.keys(group.extra).length) return undefined;
  return memberSteps.every((s) => s.action === "add" || s.action === "remove") ? memberSteps : undefined;
}

function planNoPath(group: GroupResource, steps: MemberStep[], op: "add" | "replace", value: unknown, prefix: string): void {
  if (!isObject(value)) throw invalidValue(`"${op}" without a path needs an object value whose keys are attribute names`);
  for (const [key, raw] of Object.entries(value)) {
    const schema = schemaKey("Group", key);
    if (schema) {
      if (isObject(raw) && !prefix) planNoPath(group, steps, op, raw, `${schema}:`);
      continue;
    }
    // Okta sends {"id": "…", "displayName": "…"} before every membership change: id (read-only) is ignored.
    const target = implicitTarget("Group", prefix + key);
    if (target) planGroupTarget(group, steps, op, target, raw);
  }
}

function planGroupTarget(group: GroupResource, steps: MemberStep[], op: PatchOperation["op"], target: PatchTarget, value: unknown): void {
  const { resolved } = target;
  const name = resolved.attribute.name;
  if (name === "members") {
    planMembers(steps, op, target, value);
    return;
  }
  if (target.filter) throw invalidPath(`A value filter can only select values of a multi-valued attribute, not ${name}`);
  if (op === "remove") {
    if (name === "displayName") throw invalidValue("displayName is required and cannot be removed");
    delete group.externalId;
    return;
  }
  const v = canonicalizeValue("Group", resolved, value);
  if (name === "displayName") {
    if (typeof v !== "string" || v.trim() === "") throw invalidValue("displayName is required");
    group.displayName = v;
  } else if (typeof v === "string") {
    group.externalId = v;
  } else {
    delete group.externalId;
  }
}

function planMembers(steps: MemberStep[], op: PatchOperation["op"], target: PatchTarget, value: unknown): void {
  // members[value eq "x"].display and the like: display is read-only, value/type immutable. Nothing to store.
  if (target.resolved.sub) return;
  if (target.filter) {
    const ids = memberIdsInFilter(target.filter);
    if (op === "remove") steps.push({ action: "remove", ids });
    return;
  }
  if (op === "remove") {
    if (value === undefined || value === null) steps.push({ action: "removeAll" });
    else {
      const ids = memberIdsFrom(value);
      if (ids.length > 0) steps.push({ action: "remove", ids });
    }
    return;
  }
  const ids = memberIdsFrom(value);
  if (op === "replace") steps.push(ids.length > 0 ? { action: "replace", ids } : { action: "removeAll" });
  else if (ids.length > 0) steps.push({ action: "add", ids });
}

/** The ids of `members[value eq "a"]` or `members[value eq "a" or value eq "b"]`; any other filter is refused. */
function memberIdsInFilter(filter: Filter): string[] {
  if (filter.op === "or") return [...new Set([...memberIdsInFilter(filter.left), ...memberIdsInFilter(filter.right)])];
  if (filter.op === "eq" && ["value", "members.value"].includes(filter.attrPath.toLowerCase())) {
    if (typeof filter.value === "string" && filter.value.trim() !== "") return [filter.value];
    throw invalidValue(`A member id must be a non-empty string, not ${quoteJson(filter.value)}`);
  }
  throw invalidFilter('Only members[value eq "…"] is supported when selecting group members');
}
