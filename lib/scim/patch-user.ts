/**
 * Applies one RFC 7644 §3.5.2 PATCH operation to a User held in canonical form (normalize.ts), in place. patch.ts
 * clones the resource first, runs every operation through here in order, then settles primaries and finishes.
 */
import { invalidPath, invalidValue, noTarget } from "./errors";
import { matchesFilter } from "./filter-match";
import type { Filter } from "./filter-ast";
import {
  canonicalizeValue,
  containerFor,
  isAbsent,
  isObject,
  isStoredSub,
  schemaKey,
  subAttributeChanges,
  type UserResource,
} from "./normalize";
import { explicitTarget, implicitTarget, typeEqualityOf, type PatchTarget } from "./patch-paths";
import type { AttributeDef, ResolvedAttribute } from "./schemas";
import { quote } from "./quote";

type Obj = Record<string, unknown>;
export type PatchOp = "add" | "replace" | "remove";

/** The state of one PATCH request: the resource being edited and the elements an operation made primary. */
export type UserPatchState = { resource: UserResource; madePrimary: WeakSet<object> };

const sameScalar = (a: unknown, b: unknown) =>
  typeof a === "string" && typeof b === "string" ? a.toLowerCase() === b.toLowerCase() : a === b;

/** Two elements of a multi-valued attribute are the same when their value and type are (RFC 7644 §3.5.2.1). */
const sameElement = (a: Obj, b: Obj) => sameScalar(a.value, b.value) && sameScalar(a.type, b.type);

/** An element matches a removal pattern when it has every sub-attribute value the pattern gives. */
const matchesPattern = (element: Obj, pattern: Obj) => Object.entries(pattern).every(([k, v]) => sameScalar(element[k], v));

const elementsOf = (value: unknown): Obj[] => (Array.isArray(value) ? value.filter(isObject) : []);

function notePrimary(state: UserPatchState, element: Obj): void {
  if (element.primary === true) state.madePrimary.add(element);
}

/** Applies one operation that has a path. */
export function applyPathOp(state: UserPatchState, op: PatchOp, path: string, value: unknown): void {
  const target = explicitTarget("User", path);
  if (target) applyTarget(state, op, target, value, path);
}

/** Applies an add or replace without a path: each key of `value` is an operation on that attribute path. */
export function applyNoPathOp(state: UserPatchState, op: "add" | "replace", value: unknown, prefix = ""): void {
  if (!isObject(value)) throw invalidValue(`"${op}" without a path needs an object value whose keys are attribute names`);
  for (const [key, raw] of Object.entries(value)) {
    const schema = schemaKey("User", key);
    if (schema) {
      if (isObject(raw) && !prefix) applyNoPathOp(state, op, raw, `${schema}:`);
      continue;
    }
    const target = implicitTarget("User", prefix + key);
    if (target) applyTarget(state, op, target, raw, prefix + key);
  }
}

function applyTarget(state: UserPatchState, op: PatchOp, target: PatchTarget, value: unknown, label: string): void {
  const { resolved, filter } = target;
  const attr = resolved.attribute;
  const container = containerFor(state.resource, resolved.schema, op !== "remove");
  if (!container) return;
  if (attr.multiValued) {
    if (filter || resolved.sub) applyToElements(state, op, container, target, value, label);
    else applyToArray(state, op, container, resolved, value);
    return;
  }
  if (filter) throw invalidPath(`"${quote(label)}": a value filter can only select values of a multi-valued attribute`);
  if (resolved.sub) {
    applyToSub(op, container, attr, resolved.sub, op === "remove" ? undefined : canonicalizeValue("User", resolved, value));
    return;
  }
  if (op === "remove" || isAbsent(value)) {
    delete container[attr.name];
  } else if (attr.type === "complex") {
    // add and replace both merge sub-attributes into a complex attribute (RFC 7644 §3.5.2.1, §3.5.2.3).
    mergeInto(state, container, attr.name, value, attr, resolved.path.join("."));
  } else {
    const v = canonicalizeValue("User", resolved, value);
    if (v === undefined) delete container[attr.name];
    else container[attr.name] = v;
  }
}

/** Merges a complex value into `holder[key]` (creating it), deleting the sub-attributes it gives as absent. */
function mergeInto(state: UserPatchState, holder: Obj, key: string, value: unknown, attr: AttributeDef, name: string): Obj {
  const { set, cleared } = subAttributeChanges(attr, Array.isArray(value) && value.length === 1 ? value[0] : value, name);
  const current = holder[key];
  const merged: Obj = isObject(current) ? current : {};
  for (const sub of cleared) delete merged[sub];
  Object.assign(merged, set);
  holder[key] = merged;
  if (set.primary === true) state.madePrimary.add(merged);
  return merged;
}

function applyToSub(op: PatchOp, container: Obj, attr: AttributeDef, sub: AttributeDef, v: unknown): void {
  const current = container[attr.name];
  if (!isStoredSub(attr, sub)) return;
  if (op === "remove" || v === undefined) {
    if (isObject(current)) delete current[sub.name];
    return;
  }
  container[attr.name] = { ...(isObject(current) ? current : {}), [sub.name]: v };
}

/** A multi-valued attribute as a whole: `emails`. */
function applyToArray(state: UserPatchState, op: PatchOp, container: Obj, resolved: ResolvedAttribute, value: unknown): void {
  const name = resolved.attribute.name;
  if (op === "remove") {
    // Entra removes some values with {"op":"Remove","path":"emails","value":[{"value":"x"}]}; no value removes all.
    if (isAbsent(value)) delete container[name];
    else {
      const patterns = elementsOf(canonicalizeValue("User", resolved, value));
      if (patterns.length > 0) container[name] = elementsOf(container[name]).filter((e) => !patterns.some((p) => matchesPattern(e, p)));
    }
    return;
  }
  const items = elementsOf(canonicalizeValue("User", resolved, value));
  if (op === "replace") {
    container[name] = items;
    items.forEach((e) => notePrimary(state, e));
    return;
  }
  const current = elementsOf(container[name]);
  for (const item of items) {
    const same = current.find((e) => sameElement(e, item));
    if (same) Object.assign(same, item);
    else current.push(item);
    notePrimary(state, same ?? item);
  }
  container[name] = current;
}

/**
 * Values of a multi-valued attribute selected by a value filter (`emails[type eq "work"]`, with or without
 * `.value`), or all of them for a sub-attribute path without filter (`emails.value`).
 */
function applyToElements(state: UserPatchState, op: PatchOp, container: Obj, target: PatchTarget, value: unknown, label: string): void {
  const { resolved, filter } = target;
  const attr = resolved.attribute;
  const sub = resolved.sub;
  const current = elementsOf(container[attr.name]);
  const selects = (e: Obj) => (filter ? matchesFilter(filter, e) : true);
  const matched = current.filter(selects);

  if (op === "remove") {
    if (sub) matched.forEach((e) => delete e[sub.name]);
    else if (matched.length > 0) container[attr.name] = current.filter((e) => !selects(e));
    return;
  }
  if (sub) {
    if (!isStoredSub(attr, sub)) return;
    const v = canonicalizeValue("User", resolved, value);
    for (const e of matched) {
      if (v === undefined) delete e[sub.name];
      else e[sub.name] = v;
      notePrimary(state, e);
    }
    if (matched.length === 0 && v !== undefined) {
      const created = createElement(filter, { [sub.name]: v }, label);
      container[attr.name] = [...current, created];
      notePrimary(state, created);
    }
    return;
  }
  if (isAbsent(value)) return;
  const name = resolved.path.join(".");
  if (matched.length === 0) {
    const holder: Obj = {};
    const created = createElement(filter, mergeInto(state, holder, "element", value, attr, name), label);
    container[attr.name] = [...current, created];
    notePrimary(state, created);
    return;
  }
  matched.forEach((e, i) => {
    const holder: Obj = { element: e };
    mergeInto(state, holder, "element", value, attr, `${name}[${i}]`);
  });
}

/** The element a filtered add/replace creates when nothing matches: only for `[type eq "…"]` (else noTarget). */
function createElement(filter: Filter | undefined, content: Obj, label: string): Obj {
  if (!filter) return content;
  const type = typeEqualityOf(filter);
  if (type === undefined) throw noTarget(`No value matches "${quote(label)}"`);
  return { type, ...content };
}
