import { and, asc, count, eq, inArray, sql, type SQL } from "drizzle-orm";
import { inOrder, inOrderThenCommit, queryRows, type DbOrTx, type Tx } from "@/db/client";
import { uuidArray } from "@/db/sql";
import { scimGroupMembers, scimGroups, scimUsers } from "@/db/schema";
import { mergeChanges, NO_CHANGES, recomputeAccess, type AccessChanges } from "@/lib/access/recompute";
import { isUuid } from "@/lib/ids";
import { notFound, ScimError } from "@/lib/scim/errors";
import { parseFilter } from "@/lib/scim/filter";
import { compileGroupFilter } from "./filter-sql";
import { checkIfMatch } from "@/lib/scim/http";
import { normalizeGroupInput, type GroupResource } from "@/lib/scim/normalize";
import { parsePatchBody, planGroupPatch, type MemberStep } from "@/lib/scim/patch";
import { project, wantsAttribute, type ListQuery, type Projection } from "@/lib/scim/query";
import { GROUP_SCHEMA, LIST_RESPONSE_SCHEMA } from "@/lib/scim/schemas";
import { addMembers, groupIsMapped, removeMembers, removeMembersExcept } from "./group-members";
import { groupRowOf, renderGroup, type GroupRow, type MemberRef } from "./render";
import { bumpCount } from "./counts";
import { rethrowAsScim, whenGone } from "./scim-errors";
import { inTransaction, type Outcome } from "./transaction";
import { listOrder, listTotal } from "./paging";
import type { Ctx } from "./users";

function groupNotFound(id: string): ScimError {
  return notFound(`No Group with id "${id}" exists in this organization.`);
}

async function membersOf(db: DbOrTx, groupIds: string[]): Promise<Map<string, MemberRef[]>> {
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

async function render(db: DbOrTx, ctx: Ctx, row: GroupRow, projection: Projection) {
  // excludedAttributes=members never reads the member table.
  const members = wantsAttribute("Group", projection, "members") ? (await membersOf(db, [row.id])).get(row.id) : undefined;
  return project("Group", renderGroup(row, ctx.base, members), projection);
}

const mapUniqueViolation = (e: unknown, displayName: string): never => rethrowAsScim({ displayName })(e);

async function readGroup(tx: Tx, orgId: string, id: string, lock: boolean): Promise<GroupRow> {
  if (!isUuid(id)) throw groupNotFound(id);
  const [row] = await queryRows(
    tx,
    lock
      ? sql`select * from scim_groups where org_id = ${orgId} and id = ${id}::uuid for update`
      : sql`select * from scim_groups where org_id = ${orgId} and id = ${id}::uuid`,
  );
  if (!row) throw groupNotFound(id);
  return groupRowOf(row);
}

const lockGroup = (tx: Tx, orgId: string, id: string) => readGroup(tx, orgId, id, true);

/**
 * Runs membership steps in request order (so Entra's add-then-remove of one member ends with it removed) and keeps
 * member_count exact. Says who joined or left (whose access to re-derive); a removeAll on a mapped group (only ever
 * run with the group locked) re-derives before the rows go.
 */
async function applyMemberSteps(
  tx: Tx,
  orgId: string,
  groupId: string,
  steps: MemberStep[],
  mapped: boolean,
): Promise<{ delta: number; changed: boolean; touched: string[]; access: AccessChanges }> {
  let delta = 0;
  let access = NO_CHANGES;
  const touched = new Set<string>();
  let removedAll = false;
  for (const step of steps) {
    if (step.action === "removeAll") {
      if (mapped) access = mergeChanges(access, await recomputeAccess(tx, orgId, { groupId }, { excludeGroupId: groupId }));
      const [row] = await tx.select({ n: count() }).from(scimGroupMembers).where(eq(scimGroupMembers.groupId, groupId));
      await tx.delete(scimGroupMembers).where(eq(scimGroupMembers.groupId, groupId));
      delta -= row?.n ?? 0;
      if (row?.n) removedAll = true;
      continue;
    }
    if (step.action === "replace") {
      const removed = await removeMembersExcept(tx, groupId, step.ids);
      const added = await addMembers(tx, orgId, groupId, step.ids);
      delta += added.length - removed.length;
      for (const id of [...removed, ...added]) touched.add(id);
      continue;
    }
    const changed = step.action === "add" ? await addMembers(tx, orgId, groupId, step.ids) : await removeMembers(tx, groupId, step.ids);
    delta += step.action === "add" ? changed.length : -changed.length;
    for (const id of changed) touched.add(id);
  }
  return { delta, changed: removedAll || touched.size > 0, touched: [...touched], access };
}

/**
 * Writes the group row: its attributes when they change (only ever from a locked read), and the member count and
 * version as increments — exact without a lock, as each statement adds what it changed.
 */
async function saveGroup(tx: Tx, current: GroupRow, group: GroupResource, delta: number, force: boolean): Promise<GroupRow> {
  const attributesChanged = group.displayName !== current.displayName || (group.externalId ?? null) !== current.externalId;
  if (!attributesChanged && delta === 0 && !force) return current;
  const [row] = await queryRows(
    tx,
    attributesChanged
      ? sql`update scim_groups set display_name = ${group.displayName}, external_id = ${group.externalId ?? null}, member_count = member_count + ${delta}::int,
              version = version + 1, updated_at = now() where id = ${current.id}::uuid returning *`
      : sql`update scim_groups set member_count = member_count + ${delta}::int, version = version + 1, updated_at = now() where id = ${current.id}::uuid returning *`,
  ).catch((e: unknown) => mapUniqueViolation(e, group.displayName));
  if (!row) throw groupNotFound(current.id); // deleted by a request that committed meanwhile
  return groupRowOf(row);
}

export async function createGroup(ctx: Ctx, body: unknown, projection: Projection): Promise<Outcome> {
  const { group, memberIds } = normalizeGroupInput(body);
  return inTransaction(ctx.db, async (tx) => {
    const [created] = await tx
      .insert(scimGroups)
      .values({ orgId: ctx.orgId, displayName: group.displayName, externalId: group.externalId ?? null, resource: group.extra })
      .returning()
      .catch((e: unknown) => mapUniqueViolation(e, group.displayName));
    await bumpCount(tx, ctx.orgId, "Group", 1);
    const added = await addMembers(tx, ctx.orgId, created!.id, memberIds);
    const row = added.length ? await saveGroup(tx, created!, group, added.length, false) : created!;
    return { status: 201, resourceId: row.id, version: row.version, body: await render(tx, ctx, row, projection) };
  });
}

export async function getGroup(ctx: Ctx, id: string, projection: Projection): Promise<Outcome> {
  if (!isUuid(id)) throw groupNotFound(id);
  const [row] = await ctx.db
    .select()
    .from(scimGroups)
    .where(and(eq(scimGroups.orgId, ctx.orgId), eq(scimGroups.id, id)))
    .limit(1);
  if (!row) throw groupNotFound(id);
  return { status: 200, resourceId: row.id, version: row.version, body: await render(ctx.db, ctx, row, projection) };
}

/**
 * PUT and PATCH: plan the change against the group, run the member steps, save the group and re-derive access for
 * whoever joined or left — three round trips for a PATCH (BEGIN rides with the first, COMMIT with the last),
 * however many members change.
 *
 * Adding and removing members (how Okta and Entra push groups, often many requests at once on one group) locks the
 * group row only at its final update, so concurrent changes to one group do not queue behind each other for the
 * whole transaction: the member rows' unique index settles races, and the count moves by what each statement
 * changed. Access is re-derived after that update, in a statement that sees the mapping as it is then (mapping
 * changes lock the group row too, so neither side misses the other). A change of displayName or externalId, a full
 * member replace, or an If-Match header locks the row first, as before.
 */
async function writeGroup(
  tx: Tx,
  ctx: Ctx,
  req: Request,
  id: string,
  plan: (current: GroupRow) => { group: GroupResource; memberSteps: MemberStep[] },
  /** Nothing reads the transaction afterwards: COMMIT may go with the last statements. */
  last = false,
): Promise<{ row: GroupRow; access: AccessChanges }> {
  let locked = req.headers.has("if-match");
  // The row (locked for a conditional request) and whether the group is mapped, in one round trip.
  const mappedNow = () => (isUuid(id) ? groupIsMapped(tx, id) : Promise.resolve(false));
  let [current, mapped] = await inOrder(tx, () => readGroup(tx, ctx.orgId, id, locked), mappedNow);
  let planned = plan(current);
  const attributesChange = planned.group.displayName !== current.displayName || (planned.group.externalId ?? null) !== current.externalId;
  if (!locked && (attributesChange || planned.memberSteps.some((s) => s.action === "replace" || s.action === "removeAll"))) {
    [current, mapped] = await inOrder(tx, () => lockGroup(tx, ctx.orgId, id), mappedNow);
    planned = plan(current);
    locked = true;
  }
  checkIfMatch(req, current.version);
  const steps = await applyMemberSteps(tx, ctx.orgId, id, planned.memberSteps, mapped).catch((e: unknown) => {
    // The group was deleted by a request that committed after it was read.
    throw whenGone(e, () => groupNotFound(id));
  });
  const rederive = () => {
    if (!steps.touched.length || (locked && !mapped)) return Promise.resolve(NO_CHANGES);
    // The people whose access is re-derived are locked (shared) first: a reactivation of one of them, which reads
    // their groups with its own snapshot, either finishes before this looks at them or waits for this to commit.
    const ifMapped = locked ? sql`` : sql` and exists (select 1 from group_mappings where group_id = ${id}::uuid)`;
    const held = queryRows(tx, sql`select id from scim_users where id = any(${uuidArray(steps.touched)})${ifMapped} order by id for share`);
    const derived = recomputeAccess(tx, ctx.orgId, locked ? { userIds: steps.touched } : { userIds: steps.touched, ifGroupMapped: id });
    return Promise.all([held, derived]).then(([, changes]) => changes);
  };
  // Saving the group and re-deriving access, in one round trip (the save first: it takes the row lock).
  const [row, derived] = await (last ? inOrderThenCommit : inOrder)<[GroupRow, AccessChanges]>(
    tx,
    () => saveGroup(tx, current, planned.group, steps.delta, steps.changed),
    rederive,
  );
  return { row, access: mergeChanges(steps.access, derived) };
}

export async function replaceGroup(ctx: Ctx, req: Request, id: string, body: unknown, projection: Projection): Promise<Outcome> {
  const { group, memberIds } = normalizeGroupInput(body);
  return inTransaction(ctx.db, async (tx) => {
    const { row, access } = await writeGroup(tx, ctx, req, id, () => ({ group, memberSteps: [{ action: "replace", ids: memberIds }] }));
    return { status: 200, resourceId: id, version: row.version, body: await render(tx, ctx, row, projection), access };
  });
}

/** PATCH answers 204, or 200 with the resource when the client asked for attributes/excludedAttributes. */
export async function patchGroup(ctx: Ctx, req: Request, id: string, body: unknown, projection: Projection): Promise<Outcome> {
  const ops = parsePatchBody(body);
  const wantsBody = projection.attributes.length > 0 || projection.excludedAttributes.length > 0;
  return inTransaction(ctx.db, async (tx) => {
    const { row, access } = await writeGroup(
      tx,
      ctx,
      req,
      id,
      (current) =>
        planGroupPatch({ displayName: current.displayName, externalId: current.externalId ?? undefined, extra: current.resource }, ops),
      !wantsBody,
    );
    return {
      status: wantsBody ? 200 : 204,
      resourceId: id,
      version: row.version,
      body: wantsBody ? await render(tx, ctx, row, projection) : undefined,
      access,
    };
  });
}

export async function deleteGroup(ctx: Ctx, req: Request, id: string): Promise<Outcome> {
  return inTransaction(ctx.db, async (tx) => {
    const current = await lockGroup(tx, ctx.orgId, id);
    checkIfMatch(req, current.version);
    const access = (await groupIsMapped(tx, id))
      ? await recomputeAccess(tx, ctx.orgId, { groupId: id }, { excludeGroupId: id })
      : NO_CHANGES;
    await tx.delete(scimGroups).where(eq(scimGroups.id, id));
    await bumpCount(tx, ctx.orgId, "Group", -1);
    return { status: 204, resourceId: id, access };
  });
}

const GROUP_SORT: Record<string, SQL> = {
  id: sql`${scimGroups.id}`,
  displayname: sql`lower(${scimGroups.displayName})`,
  externalid: sql`${scimGroups.externalId}`,
  "meta.created": sql`${scimGroups.createdAt}`,
  "meta.lastmodified": sql`${scimGroups.updatedAt}`,
};

export async function listGroups(ctx: Ctx, q: ListQuery): Promise<Outcome> {
  const where = and(eq(scimGroups.orgId, ctx.orgId), q.filter ? compileGroupFilter(parseFilter(q.filter)) : undefined);
  const order = listOrder(q, GROUP_SORT, GROUP_SCHEMA, scimGroups.seq);
  const page = ctx.db
    .select({ seq: scimGroups.seq })
    .from(scimGroups)
    .where(where)
    .orderBy(...order)
    .limit(q.count)
    .offset(q.startIndex - 1);
  const rows =
    q.count > 0
      ? await ctx.db
          .select()
          .from(scimGroups)
          .where(and(eq(scimGroups.orgId, ctx.orgId), inArray(scimGroups.seq, page)))
          .orderBy(...order)
      : [];
  const total = await listTotal(
    ctx.db,
    ctx.orgId,
    "Group",
    q,
    rows.length,
    async () => (await ctx.db.select({ n: count() }).from(scimGroups).where(where))[0]?.n ?? 0,
  );
  const members = wantsAttribute("Group", q, "members")
    ? await membersOf(
        ctx.db,
        rows.map((r) => r.id),
      )
    : undefined;
  return {
    status: 200,
    body: {
      schemas: [LIST_RESPONSE_SCHEMA],
      totalResults: total,
      startIndex: q.startIndex,
      itemsPerPage: rows.length,
      Resources: rows.map((r) => project("Group", renderGroup(r, ctx.base, members?.get(r.id)), q)),
    },
  };
}
