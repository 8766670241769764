import { asc, count, eq, inArray, sql } from "drizzle-orm";
import { queryRows, type DbOrTx, type Tx } from "@/db/client";
import { scimGroupMembers, scimUsers, scimGroups } from "@/db/schema";
import { mergeChanges, NO_CHANGES, type AccessChanges } from "@/lib/access/recompute";
import { withdrawGroup } from "@/lib/access/group-change";
import { isUuid } from "@/lib/ids";
import { type GroupResource } from "@/lib/scim/normalize";
import { type MemberStep } from "@/lib/scim/patch";
import { project, wantsAttribute, type Projection } from "@/lib/scim/query";
import { addMembers, checkMemberIds, removeMembers, removeMembersExcept } from "../group-members";
import { type GroupRow, type MemberRef } from "../render";
import { columnsOf, rowOf } from "../resource";
import { groupNotFound, groupWritten, renderGroup } from "./resource";
import { rethrowAsScim } from "../scim-errors";
import type { Ctx } from "../users";

// The statements of the SCIM Group use cases (read.ts, write.ts): reads, locks, member changes, the row update.

export async function membersOf(db: DbOrTx, groupIds: string[]): Promise<Map<string, MemberRef[]>> {
  const out = new Map<string, MemberRef[]>(groupIds.map((id) => [id, []]));
  if (!groupIds.length) return out;
  const rows = await db
    .select({
      groupId: scimGroupMembers.groupId,
      id: scimUsers.id,
      display: sql<string>`coalesce(${scimUsers.displayName}, ${scimUsers.userName})`,
    })
    .from(scimGroupMembers)
    .innerJoin(scimUsers, eq(scimUsers.id, scimGroupMembers.userId))
    .where(inArray(scimGroupMembers.groupId, groupIds))
    .orderBy(asc(scimUsers.seq));
  for (const r of rows) out.get(r.groupId)?.push({ id: r.id, display: r.display });
  return out;
}

/** A group's members when the projection returns them (excludedAttributes=members never reads the member table). */
export async function membersIfWanted(db: DbOrTx, groupId: string, projection: Projection): Promise<MemberRef[] | undefined> {
  return wantsAttribute("Group", projection, "members") ? (await membersOf(db, [groupId])).get(groupId) : undefined;
}

export async function render(db: DbOrTx, ctx: Ctx, row: GroupRow, projection: Projection) {
  return project("Group", renderGroup(row, ctx.base, await membersIfWanted(db, row.id, projection)), projection);
}

export const mapUniqueViolation = (e: unknown, displayName: string): never => rethrowAsScim({ displayName })(e);

export async function readGroup(tx: Tx, orgId: string, id: string, lock: boolean): Promise<GroupRow> {
  if (!isUuid(id)) throw groupNotFound(id);
  const [row] = await queryRows(
    tx,
    lock
      ? sql`select * from ${scimGroups} where org_id = ${orgId} and id = ${id}::uuid for update`
      : sql`select * from ${scimGroups} where org_id = ${orgId} and id = ${id}::uuid`,
  );
  if (!row) throw groupNotFound(id);
  return rowOf(scimGroups, row);
}

export const lockGroup = (tx: Tx, orgId: string, id: string) => readGroup(tx, orgId, id, true);

/**
 * A PATCH's member steps with each run of consecutive adds and removes folded into its net effect — per member the
 * last of its steps decides — so that a run costs at most two set-based statements (one remove, one add) however
 * many operations it had. Ids are disjoint between the two, so their order no longer matters; a full replace or a
 * removeAll ends a run (it is not commutative with what comes before or after). An added id is checked as an id
 * even when its step folds away (as before: an add of something that is not an id is refused).
 */
export function foldMemberSteps(steps: MemberStep[]): MemberStep[] {
  const out: MemberStep[] = [];
  let run: Map<string, "add" | "remove"> | undefined;
  const flush = () => {
    if (!run) return;
    const ids = { add: [] as string[], remove: [] as string[] };
    for (const [id, action] of run) ids[action].push(id);
    if (ids.remove.length) out.push({ action: "remove", ids: ids.remove });
    if (ids.add.length) out.push({ action: "add", ids: ids.add });
    run = undefined;
  };
  for (const step of steps) {
    if (step.action !== "add" && step.action !== "remove") {
      flush();
      out.push(step);
      continue;
    }
    if (step.action === "add") checkMemberIds(step.ids);
    run ??= new Map();
    for (const id of step.ids) {
      run.delete(id);
      run.set(id, step.action);
    }
  }
  flush();
  return out;
}

/**
 * Runs membership steps in request order (so Entra's add-then-remove of one member ends with it removed) and keeps
 * member_count exact. Says who joined or left (whose access to re-derive); a removeAll on a mapped group (only ever
 * run with the group locked) re-derives before the rows go.
 */
export async function applyMemberSteps(
  tx: Tx,
  orgId: string,
  groupId: string,
  steps: MemberStep[],
  mapped: boolean,
): Promise<{
  delta: number;
  changed: boolean;
  touched: string[];
  added: number;
  removed: number;
  /** Who joined and who left, net of the whole request (for the stack roles they gained and lost). */
  net: { added: string[]; removed: string[] };
  access: AccessChanges;
}> {
  let delta = 0;
  let access = NO_CHANGES;
  const touched = new Set<string>();
  // Net per member (the last step decides), for the log's "Added 2 members to Engineering"; a removeAll counts its rows.
  const net = new Map<string, "added" | "removed">();
  const mark = (ids: string[], how: "added" | "removed") => {
    for (const id of ids) {
      // Removed then added again (or the reverse) in one request: no change for that member.
      if (net.has(id) && net.get(id) !== how) net.delete(id);
      else net.set(id, how);
    }
  };
  let removedByAll = 0;
  let removedAll = false;
  for (const step of foldMemberSteps(steps)) {
    if (step.action === "removeAll") {
      if (mapped) access = mergeChanges(access, await withdrawGroup(tx, orgId, groupId));
      const [row] = await tx.select({ n: count() }).from(scimGroupMembers).where(eq(scimGroupMembers.groupId, groupId));
      await tx.delete(scimGroupMembers).where(eq(scimGroupMembers.groupId, groupId));
      delta -= row?.n ?? 0;
      removedByAll += row?.n ?? 0;
      if (row?.n) removedAll = true;
      continue;
    }
    if (step.action === "replace") {
      const removed = await removeMembersExcept(tx, groupId, step.ids);
      const added = await addMembers(tx, orgId, groupId, step.ids);
      delta += added.length - removed.length;
      for (const id of [...removed, ...added]) touched.add(id);
      mark(removed, "removed");
      mark(added, "added");
      continue;
    }
    const changed = step.action === "add" ? await addMembers(tx, orgId, groupId, step.ids) : await removeMembers(tx, groupId, step.ids);
    delta += step.action === "add" ? changed.length : -changed.length;
    for (const id of changed) touched.add(id);
    mark(changed, step.action === "add" ? "added" : "removed");
  }
  const counts = { added: 0, removed: removedByAll };
  const ids = { added: [] as string[], removed: [] as string[] };
  for (const [id, how] of net) {
    counts[how]++;
    ids[how].push(id);
  }
  return { delta, changed: removedAll || touched.size > 0, touched: [...touched], ...counts, net: ids, access };
}

/**
 * Writes the group row: its attributes when they change (only ever from a locked read), and the member count and
 * version as increments — exact without a lock, as each statement adds what it changed.
 */
export async function saveGroup(tx: Tx, current: GroupRow, group: GroupResource, delta: number, force: boolean): Promise<GroupRow> {
  const attributesChanged = group.displayName !== current.displayName || (group.externalId ?? null) !== current.externalId;
  if (!attributesChanged && delta === 0 && !force) return current;
  const set = attributesChanged ? sql`${columnsOf(scimGroups, groupWritten(group)).assignments}, ` : sql``;
  const [row] = await queryRows(
    tx,
    sql`update ${scimGroups} set ${set}member_count = member_count + ${delta}::int, version = version + 1, updated_at = now()
      where id = ${current.id}::uuid returning *`,
  ).catch((e: unknown) => mapUniqueViolation(e, group.displayName));
  if (!row) throw groupNotFound(current.id); // deleted by a request that committed meanwhile
  return rowOf(scimGroups, row);
}
