import { sql, type SQL } from "drizzle-orm";
import { inOrder, inOrderThenCommit, queryRows, transaction, type Tx } from "@/db/client";
import { scimUsers, scimGroupMembers, scimGroups } from "@/db/schema";
import { removeScimMembership, scimMembershipRemoval, scimMembershipUpsert } from "@/lib/access/membership";
import { joinedAccess, joinWithAccess, recomputeAccess, type AccessChanges } from "@/lib/access/recompute";
import { pgCode } from "@/lib/errors";
import { isUuid } from "@/lib/ids";
import { checkIfMatch } from "@/lib/scim/http";
import { normalizeUserInput, type UserResource } from "@/lib/scim/normalize";
import { activeOnlyPatch, applyUserPatch, parsePatchBody } from "@/lib/scim/patch";
import { project, wantsAttribute, type Projection } from "@/lib/scim/query";
import { type GroupRef, type UserRow } from "../render";
import { rowOf } from "../resource";
import { renderUser, userColumns, userNotFound, USER_RESOURCE } from "./resource";
import { deleteResource } from "../generic";
import { inTransaction, leftOrg, type AccessEffect, type Outcome } from "../transaction";
import {
  GROUPS_OF_USER,
  TAKE_LOCKED_PATH,
  joinLocks,
  lockGroupsOf,
  lockUser,
  mapUniqueViolation,
  oneRowOrRetry,
  updateUserCte,
  userById,
  type Ctx,
} from "./statements";

// PUT, PATCH and DELETE /Users/{id}.

type Written = { row: UserRow; groups: GroupRef[]; access?: AccessEffect };

/** The membership statement that goes with a user's update, as a CTE after `u`: the person leaves the org. */
const leaveOrgCte = (orgId: string) => sql`left_org as (${scimMembershipRemoval(orgId, sql`(select account_id from u)`)})`;

/**
 * Runs a user's update (`update`, a CTE `u` that returns the row and its groups; see updateUserCte) with what it
 * means for the person's place in the org. `join`: one transaction whose statements — the update, the membership,
 * the re-derivation of access from the person's groups — go out with its BEGIN and COMMIT in one round trip.
 * `leave` (the membership goes in the same statement) and `none`: one statement, without BEGIN and COMMIT. When
 * the update finds no row, the statement fails with a serialization failure (40001) and nothing is written.
 * Given `locked` (a transaction that holds the user's lock), everything runs in it, and its COMMIT goes with them.
 */
async function runUserUpdate(
  ctx: Ctx,
  id: string,
  buildUpdate: (guard: SQL) => SQL,
  change: "join" | "leave" | "none",
  resource: UserResource,
  locked?: Tx,
): Promise<Written> {
  const written = (r: Record<string, unknown>[]) => ({
    row: rowOf(scimUsers, r[0]!),
    groups: (r[0]!.groups ?? []) as GroupRef[],
    removedRole: (r[0]!.removed_role ?? null) as string | null,
  });
  const unique = (e: unknown) => mapUniqueViolation(e, resource);
  if (change === "join") {
    // A reactivation runs in a transaction whose statements all go out at once (with BEGIN and COMMIT: one round
    // trip): the locks first (joinLocks), then what reads the person's groups — statements of their own, so they
    // read with a snapshot taken after the locks.
    if (!locked)
      // The locks, then one statement that activates the person and gives them what their groups give (the rules
      // read with a snapshot taken after the locks). If they are in the org already (a membership made in the
      // portal, the Owner) it fails as a conflict and the locked path below re-derives their access in full.
      return transaction(ctx.db, async (tx) => {
        const join = joinWithAccess(ctx.orgId);
        const done = await inOrderThenCommit<unknown[]>(tx, ...joinLocks(tx, ctx.orgId, id, { userLocked: false }), () =>
          queryRows(
            tx,
            sql`with ${buildUpdate(sql``)}, ${join.ctes} select u.*, ${join.columns} ${oneRowOrRetry}
              and case when exists (select 1 from joined) then true else portal_concurrent_change('the person is in the organization already') end`,
          ).catch(unique),
        );
        const [row] = done.at(-1) as Record<string, unknown>[];
        return { ...written([row!]), access: { ...joinedAccess(row!)!, membership: "joined" as const } };
      });
    // In the locked path's transaction: the update with the membership (kept as given when there is one), then the
    // full re-derivation.
    const tx = locked;
    const done = await inOrderThenCommit<unknown[]>(
      tx,
      ...joinLocks(tx, ctx.orgId, id, { userLocked: true }),
      () =>
        queryRows(
          tx,
          sql`with ${buildUpdate(sql``)}, joined as (${scimMembershipUpsert(ctx.orgId, sql`select account_id from u`)}) select u.*, (select inserted from joined) as joined ${oneRowOrRetry}`,
        )
          .then((r) => ({ ...written(r), joined: r[0]!.joined === true }))
          .catch(unique),
      () => recomputeAccess(tx, ctx.orgId, { userIds: [id] }, { stacks: { kind: "joined" } }),
    );
    const [u, changes] = done.slice(-2) as [ReturnType<typeof written> & { joined: boolean }, AccessChanges];
    return { row: u.row, groups: u.groups, access: { ...changes, membership: u.joined ? ("joined" as const) : undefined } };
  }
  const update = buildUpdate(sql``);
  const statement =
    change === "leave"
      ? sql`with ${update}, ${leaveOrgCte(ctx.orgId)} select u.*, (select role from left_org) as removed_role ${oneRowOrRetry}`
      : sql`with ${update} select u.* ${oneRowOrRetry}`;
  const u = await (locked ? inOrderThenCommit(locked, () => queryRows(locked, statement)).then(([r]) => r) : queryRows(ctx.db, statement))
    .then(written)
    .catch(unique);
  if (change === "none") return u;
  return { row: u.row, groups: u.groups, access: leftOrg(u.removedRole) };
}

/**
 * A PATCH that only sets `active` (Okta's and Entra's deactivate and reactivate) when it changes the user, without
 * reading the user first: the update sets the flag in the row and in its resource (what the PATCH engine would
 * make of it) where the user is in the other state. Undefined when it does not apply (no such user, already in
 * that state, or changed meanwhile): the caller then takes the general path, which answers each of those.
 */
async function setActive(ctx: Ctx, id: string, active: boolean): Promise<Written | undefined> {
  // `version = (…)`: the row as this statement's snapshot saw it. When a concurrent write (a reactivation) commits
  // while this waits for the row, the update re-checks the newer row, but the membership statement beside it would
  // still read the older snapshot and miss the membership that write made: such a row is left alone here (no row:
  // the general path, which locks first, makes the change).
  const update = (guard: SQL) => sql`u as (
    update ${scimUsers} set resource = jsonb_set(resource, '{active}', to_jsonb(${active}::boolean)), active = ${active}, version = version + 1, updated_at = now()
    where id = ${id}::uuid and org_id = ${ctx.orgId} and active = ${!active}
      and version = (select s.version from ${scimUsers} s where s.id = ${id}::uuid) ${guard}
    returning *, ${GROUPS_OF_USER} as groups)`;
  return runUserUpdate(ctx, id, update, active ? "join" : "leave", {}).catch((e: unknown) => {
    if (TAKE_LOCKED_PATH.has(pgCode(e) ?? "")) return undefined;
    throw e;
  });
}

/**
 * PUT and PATCH. First optimistically: the user is read without a lock (as GET reads it), the change is applied to
 * it, and the write names the version it read (one statement, or one round trip for a reactivation). If another
 * request changed the user in between, that write fails as a whole, and the change is made again in a transaction
 * that locks the user before reading it — so concurrent writes to one user all land, none lost, none refused.
 * `active`: the value a PATCH that only sets `active` sets, tried first without reading at all (setActive).
 */
async function writeUser(
  ctx: Ctx,
  req: Request,
  id: string,
  projection: Projection,
  next: (current: UserRow) => UserResource,
  active?: boolean,
): Promise<Outcome> {
  if (!isUuid(id)) throw userNotFound(id);
  const withGroups = wantsAttribute("User", projection, "groups");
  /** `activeChanged`: the write turned `active` over (a deactivation or a reactivation); `unchanged`: it wrote nothing. */
  const answer = ({ row, groups, access }: Written, how: { activeChanged?: boolean; unchanged?: boolean } = {}): Outcome => ({
    status: 200,
    resourceId: id,
    version: row.version,
    body: project("User", renderUser(row, ctx.base, withGroups ? groups : undefined), projection),
    access,
    facts: { name: row.userName, activeNow: how.activeChanged ? row.active : undefined, unchanged: how.unchanged },
  });
  const fast = active !== undefined && !req.headers.has("if-match") ? await setActive(ctx, id, active) : undefined;
  if (fast) return answer(fast, { activeChanged: true });

  const write = async (locked?: Tx) => {
    const current = locked
      ? (
          await inOrder(
            locked,
            () => lockGroupsOf(locked, id),
            () => lockUser(locked, ctx.orgId, id),
          )
        )[1]
      : await userById(ctx.db, true)
          .execute({ orgId: ctx.orgId, id })
          .then(([found]) => found && { ...found.row, groups: found.groups ?? [] });
    if (!current) throw userNotFound(id);
    checkIfMatch(req, current.version);
    const resource = next(current);
    if (JSON.stringify(resource) === JSON.stringify(current.resource))
      return answer({ row: current, groups: current.groups }, { unchanged: true });
    const nowActive = userColumns(resource).active;
    const change = nowActive === current.active ? "none" : nowActive ? "join" : "leave";
    const written = await runUserUpdate(ctx, id, updateUserCte(ctx.orgId, id, current.version, resource), change, resource, locked);
    return answer(written, { activeChanged: change !== "none" });
  };
  try {
    return await write();
  } catch (e) {
    if (!TAKE_LOCKED_PATH.has(pgCode(e) ?? "")) throw e;
  }
  return inTransaction(ctx.db, write);
}

export function replaceUser(ctx: Ctx, req: Request, id: string, body: unknown, projection: Projection): Promise<Outcome> {
  const resource = normalizeUserInput(body);
  return writeUser(ctx, req, id, projection, () => resource);
}

export function patchUser(ctx: Ctx, req: Request, id: string, body: unknown, projection: Projection): Promise<Outcome> {
  const ops = parsePatchBody(body);
  return writeUser(ctx, req, id, projection, (current) => applyUserPatch(current.resource, ops), activeOnlyPatch(ops));
}

/** DELETE: the SCIM user goes (GET → 404), the person leaves the org, the account stays. */
export function deleteUser(ctx: Ctx, req: Request, id: string): Promise<Outcome> {
  return deleteResource(
    ctx,
    USER_RESOURCE,
    req,
    id,
    (tx) => lockUser(tx, ctx.orgId, id),
    async (tx, current) => {
      await queryRows(
        tx,
        sql`update ${scimGroups} g set member_count = g.member_count - 1, version = g.version + 1, updated_at = now()
          from ${scimGroupMembers} m where m.group_id = g.id and m.user_id = ${id}::uuid`,
      );
      return leftOrg(await removeScimMembership(tx, ctx.orgId, current.accountId));
    },
    (current) => current.userName,
  );
}
