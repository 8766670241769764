import { sql } from "drizzle-orm";
import { inOrder, inOrderThenCommit, preferGenericPlans, queryRows, type Tx } from "@/db/client";
import { uuidArray } from "@/db/sql";
import { scimGroups, groupMappings, scimUsers } from "@/db/schema";
import { mergeChanges, NO_CHANGES, recomputeAccess, type AccessChanges } from "@/lib/access/recompute";
import { withdrawGroup } from "@/lib/access/group-change";
import { isUuid } from "@/lib/ids";
import { checkIfMatch } from "@/lib/scim/http";
import { normalizeGroupInput, type GroupResource } from "@/lib/scim/normalize";
import { memberOnlySteps, parsePatchBody, planGroupPatch, type MemberStep } from "@/lib/scim/patch";
import { type Projection } from "@/lib/scim/query";
import { addMembers, groupIsMapped } from "../group-members";
import { type GroupRow } from "../render";
import { bumpCount } from "../counts";
import { whenGone } from "../scim-errors";
import { inTransaction, PEOPLE_PER_EVENT, type EventFacts, type Outcome } from "../transaction";
import type { Ctx } from "../users";
import { GROUP_RESOURCE, groupNotFound, groupWritten } from "./resource";
import { deleteResource } from "../generic";
import { render, mapUniqueViolation, readGroup, lockGroup, applyMemberSteps, saveGroup } from "./statements";

// POST /Groups; PUT, PATCH and DELETE /Groups/{id}.

export async function createGroup(ctx: Ctx, body: unknown, projection: Projection): Promise<Outcome> {
  const { group, memberIds } = normalizeGroupInput(body);
  return inTransaction(ctx.db, async (tx) => {
    const [created] = await tx
      .insert(scimGroups)
      .values({ orgId: ctx.orgId, ...groupWritten(group), resource: group.extra })
      .returning()
      .catch((e: unknown) => mapUniqueViolation(e, group.displayName));
    await bumpCount(tx, ctx.orgId, "Group", 1);
    const added = await addMembers(tx, ctx.orgId, created!.id, memberIds);
    const row = added.length ? await saveGroup(tx, created!, group, added.length, false) : created!;
    return {
      status: 201,
      resourceId: row.id,
      version: row.version,
      body: await render(tx, ctx, row, projection),
      facts: { name: row.displayName, membersAdded: added.length, people: added.slice(0, PEOPLE_PER_EVENT) },
    };
  });
}

/**
 * PUT and PATCH: plan the change against the group, run the member steps, save the group and re-derive access for
 * whoever joined or left. BEGIN rides with the first round trip and COMMIT with the last: two round trips for a PATCH
 * that only adds and removes members (its steps do not depend on the group, so they go out with the group's read),
 * three for other changes, however many members change.
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
  opts: {
    /** Nothing reads the transaction afterwards: COMMIT may go with the last statements. */
    last?: boolean;
    /** The request only adds and removes these members (memberOnlySteps). */
    memberSteps?: MemberStep[];
  } = {},
): Promise<{ row: GroupRow; access: AccessChanges; facts: EventFacts }> {
  // The group was deleted by a request that committed after it was read.
  const gone = (e: unknown) => whenGone(e, () => groupNotFound(id));
  let locked = req.headers.has("if-match");
  let current: GroupRow;
  let mapped = false;
  let planned: ReturnType<typeof plan>;
  let steps: Awaited<ReturnType<typeof applyMemberSteps>>;
  if (!locked && opts.memberSteps && isUuid(id)) {
    // Their statements are keyed by ids: on their generic plans instead of planned again for each request.
    preferGenericPlans(tx);
    const [read, applied] = await Promise.allSettled([
      readGroup(tx, ctx.orgId, id, false),
      applyMemberSteps(tx, ctx.orgId, id, opts.memberSteps, false),
    ]);
    if (read.status === "rejected") throw read.reason;
    if (applied.status === "rejected") throw gone(applied.reason);
    current = read.value;
    steps = applied.value;
    planned = plan(current); // the same member steps, and the group as it is (nothing else changes)
  } else {
    // The row (locked for a conditional request) and whether the group is mapped, in one round trip.
    const mappedNow = () => (isUuid(id) ? groupIsMapped(tx, id) : Promise.resolve(false));
    [current, mapped] = await inOrder(tx, () => readGroup(tx, ctx.orgId, id, locked), mappedNow);
    planned = plan(current);
    const attributesChange = planned.group.displayName !== current.displayName || (planned.group.externalId ?? null) !== current.externalId;
    if (!locked && (attributesChange || planned.memberSteps.some((s) => s.action === "replace" || s.action === "removeAll"))) {
      [current, mapped] = await inOrder(tx, () => lockGroup(tx, ctx.orgId, id), mappedNow);
      planned = plan(current);
      locked = true;
    }
    checkIfMatch(req, current.version);
    // Member adds and removes without a lock: as above (a locked write may withdraw a whole group, which wants its
    // custom plan).
    if (!locked) preferGenericPlans(tx);
    steps = await applyMemberSteps(tx, ctx.orgId, id, planned.memberSteps, mapped).catch((e: unknown) => {
      throw gone(e);
    });
  }
  const rederive = () => {
    if (!steps.touched.length || (locked && !mapped)) return Promise.resolve(NO_CHANGES);
    // The people whose access is re-derived are locked (shared) first: a reactivation of one of them, which reads
    // their groups with its own snapshot, either finishes before this looks at them or waits for this to commit.
    const ifMapped = locked ? sql`` : sql` and exists (select 1 from ${groupMappings} where group_id = ${id}::uuid)`;
    const held = queryRows(
      tx,
      sql`select id from ${scimUsers} where id = any(${uuidArray(steps.touched)})${ifMapped} order by id for share`,
    );
    const derived = recomputeAccess(
      tx,
      ctx.orgId,
      { userIds: steps.touched, joinedOrLeft: id },
      {
        stacks: { kind: "members", groupId: id, ...steps.net },
      },
    );
    return Promise.all([held, derived]).then(([, changes]) => changes);
  };
  // Saving the group and re-deriving access, in one round trip (the save first: it takes the row lock).
  const [row, derived] = await (opts.last ? inOrderThenCommit : inOrder)<[GroupRow, AccessChanges]>(
    tx,
    () => saveGroup(tx, current, planned.group, steps.delta, steps.changed),
    rederive,
  );
  const facts: EventFacts = {
    name: row.displayName,
    renamedFrom: row.displayName !== current.displayName ? current.displayName : undefined,
    membersAdded: steps.added,
    membersRemoved: steps.removed,
    people: steps.touched.slice(0, PEOPLE_PER_EVENT),
    unchanged: row.version === current.version,
  };
  return { row, access: mergeChanges(steps.access, derived), facts };
}

export async function replaceGroup(ctx: Ctx, req: Request, id: string, body: unknown, projection: Projection): Promise<Outcome> {
  const { group, memberIds } = normalizeGroupInput(body);
  return inTransaction(ctx.db, async (tx) => {
    const { row, access, facts } = await writeGroup(tx, ctx, req, id, () => ({
      group,
      memberSteps: [{ action: "replace", ids: memberIds }],
    }));
    return { status: 200, resourceId: id, version: row.version, body: await render(tx, ctx, row, projection), access, facts };
  });
}

/** PATCH answers 204, or 200 with the resource when the client asked for attributes/excludedAttributes. */
export async function patchGroup(ctx: Ctx, req: Request, id: string, body: unknown, projection: Projection): Promise<Outcome> {
  const ops = parsePatchBody(body);
  const wantsBody = projection.attributes.length > 0 || projection.excludedAttributes.length > 0;
  return inTransaction(ctx.db, async (tx) => {
    const { row, access, facts } = await writeGroup(
      tx,
      ctx,
      req,
      id,
      (current) =>
        planGroupPatch({ displayName: current.displayName, externalId: current.externalId ?? undefined, extra: current.resource }, ops),
      { last: !wantsBody, memberSteps: memberOnlySteps(ops) },
    );
    return {
      status: wantsBody ? 200 : 204,
      resourceId: id,
      version: row.version,
      body: wantsBody ? await render(tx, ctx, row, projection) : undefined,
      access,
      facts,
    };
  });
}

/** DELETE: the group goes with its member rows; whoever it gave access has it re-derived without it. */
export function deleteGroup(ctx: Ctx, req: Request, id: string): Promise<Outcome> {
  return deleteResource(
    ctx,
    GROUP_RESOURCE,
    req,
    id,
    (tx) => lockGroup(tx, ctx.orgId, id),
    (tx) => withdrawGroup(tx, ctx.orgId, id),
    (current) => current.displayName,
  );
}
