import { randomUUID } from "node:crypto";
import { sql, type SQL } from "drizzle-orm";
import { inOrder, inOrderThenCommit, queryRows, transaction, type Db, type DbOrTx } from "@/db/client";
import { ensureScimMembership, removeScimMembership } from "@/lib/access/membership";
import { joinedAccess, joinWithAccess, NO_CHANGES, recomputeAccess } from "@/lib/access/recompute";
import { normalizeUserInput, type UserResource } from "@/lib/scim/normalize";
import { project, wantsAttribute, type Projection } from "@/lib/scim/query";
import { type UserRow } from "../render";
import { rowOf } from "../resource";
import { renderUser, userColumns } from "./resource";
import { bumpCount, countShard } from "../counts";
import { leftOrg, retryingConflicts, type AccessEffect, type Outcome } from "../transaction";
import { accountFor, accountOf, insertUserStatement, mapUniqueViolation, type Ctx } from "./statements";
import { accounts, memberships, scimResourceCounts, scimUsers } from "@/db/schema";

// POST /Users: one statement for a person joining the org, else one transaction.

/**
 * The membership statement of a create that takes the transactional path, and what to make of its result. An
 * active user: an existing membership (someone already in the org) becomes SCIM-managed and is re-derived — a fresh
 * one is right as it is, a new user being in no group. An inactive user: the person leaves the org, which needs
 * nothing more, so the COMMIT can go with the statements (`last`).
 */
function createMembership(tx: DbOrTx, orgId: string, accountId: SQL, active: boolean) {
  if (active) {
    return {
      statement: () => ensureScimMembership(tx, orgId, accountId).then((joined) => ({ joined, removedRole: null as string | null })),
      last: false,
      finish: async (userId: string, r: { joined: boolean }): Promise<AccessEffect> =>
        r.joined ? { ...NO_CHANGES, membership: "joined" } : await recomputeAccess(tx, orgId, { userIds: [userId] }),
    };
  }
  return {
    statement: () => removeScimMembership(tx, orgId, accountId).then((removedRole) => ({ joined: false, removedRole })),
    last: true,
    finish: async (_userId: string, r: { removedRole: string | null }): Promise<AccessEffect> => leftOrg(r.removedRole),
  };
}

/**
 * POST of an active person who is not in the organization yet — what Okta and Entra send almost every time — as
 * one statement, without BEGIN and COMMIT: the account (found or created), the user, the count and the
 * membership. It writes nothing and answers no row when the person is already in the org (their access must be
 * re-derived: the transactional path does that) or when their account was created by a request that committed
 * after this statement began (the transactional path sees it). If the person joined the org meanwhile, the
 * statement fails with a serialization failure, undone as a whole, and the request is retried.
 */
async function createJoiningUser(
  db: Db,
  orgId: string,
  id: string,
  resource: UserResource,
): Promise<{ row: UserRow; access: AccessEffect } | undefined> {
  const { email, name } = accountOf(resource);
  const join = joinWithAccess(orgId, { newUser: true });
  const [row] = await queryRows(
    db,
    sql`with new_account as (
        insert into ${accounts} (email, name) values (${email}, ${name}) on conflict do nothing returning id
      ), account as (
        select id from new_account
        union all
        select id from ${accounts} where lower(email) = lower(${email}) and not exists (select 1 from new_account)
      ), outsider as (
        select a.id from account a where not exists (select 1 from ${memberships} m where m.org_id = ${orgId} and m.account_id = a.id)
      ), u as (
        ${insertUserStatement(orgId, id, resource, sql`outsider.id`, sql` from outsider`)}
      ), counted as (
        insert into ${scimResourceCounts} (org_id, resource, shard, n) select org_id, 'User', ${countShard()}, 1 from u
        on conflict (org_id, resource, shard) do update set n = scim_resource_counts.n + excluded.n
      ), ${join.ctes}
      select u.*, ${join.columns} from u
      where case when exists (select 1 from joined) then true else portal_concurrent_change('the person joined the organization meanwhile') end`,
  ).catch((e: unknown) => mapUniqueViolation(e, resource));
  return row ? { row: rowOf(scimUsers, row), access: { ...joinedAccess(row)!, membership: "joined" } } : undefined;
}

export async function createUser(ctx: Ctx, body: unknown, projection: Projection): Promise<Outcome> {
  const resource = normalizeUserInput(body);
  const cols = userColumns(resource);
  const id = randomUUID(); // known before the insert, so the statements after it can name the user
  const created = (row: UserRow, access: AccessEffect): Outcome => {
    // A new SCIM user is in no group yet.
    const groups = wantsAttribute("User", projection, "groups") ? [] : undefined;
    return {
      status: 201,
      resourceId: row.id,
      version: row.version,
      body: project("User", renderUser(row, ctx.base, groups), projection),
      access,
      facts: { name: row.userName, activeNow: row.active },
    };
  };
  return retryingConflicts(async () => {
    const joined = cols.active ? await createJoiningUser(ctx.db, ctx.orgId, id, resource) : undefined;
    if (joined) return created(joined.row, joined.access);
    return transaction(ctx.db, async (tx) => {
      const account = accountFor(tx, resource);
      const change = createMembership(tx, ctx.orgId, account.id, cols.active);
      // Account, user, count and membership in one round trip (with COMMIT when nothing is left to do); a duplicate
      // userName fails the insert and so the rest.
      const [, row, , effect] = await (change.last ? inOrderThenCommit : inOrder)<
        [unknown, UserRow, unknown, { joined: boolean; removedRole: string | null }]
      >(
        tx,
        account.insert,
        () =>
          queryRows(tx, insertUserStatement(ctx.orgId, id, resource, account.id))
            .then((r) => rowOf(scimUsers, r[0]!))
            .catch((e: unknown) => mapUniqueViolation(e, resource)),
        () => bumpCount(tx, ctx.orgId, "User", 1),
        change.statement,
      );
      return created(row, await change.finish(id, effect));
    });
  });
}
