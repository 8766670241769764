import { randomUUID } from "node:crypto";
import { and, asc, count, eq, inArray, sql, type SQL } from "drizzle-orm";
import { inOrder, inOrderThenCommit, prepared, queryRows, transaction, type Db, type DbOrTx, type Tx } from "@/db/client";
import { scimUsers } from "@/db/schema";
import { ensureScimMembership, removeScimMembership, scimMembershipRemoval, scimMembershipUpsert } from "@/lib/access/membership";
import { joinedAccess, joinWithAccess, NO_CHANGES, recomputeAccess, type AccessChanges } from "@/lib/access/recompute";
import { pgCode } from "@/lib/errors";
import { isUuid } from "@/lib/ids";
import { notFound, type ScimError } from "@/lib/scim/errors";
import { parseFilter } from "@/lib/scim/filter";
import { compileUserFilter } from "@/lib/provisioning/filter-sql";
import { resolveUser } from "@/lib/provisioning/filter-sql-resources";
import { checkIfMatch } from "@/lib/scim/http";
import { normalizeUserInput, type UserResource } from "@/lib/scim/normalize";
import { activeOnlyPatch, applyUserPatch, parsePatchBody } from "@/lib/scim/patch";
import { project, wantsAttribute, type ListQuery, type Projection } from "@/lib/scim/query";
import { LIST_RESPONSE_SCHEMA, USER_SCHEMA } from "@/lib/scim/schemas";
import { renderUser, userColumns, userRowOf, type GroupRef, type UserRow } from "./render";
import { bumpCount, countShard } from "./counts";
import { listOrder, listTotal } from "./paging";
import { asScimError } from "./scim-errors";
import { inTransaction, leftOrg, retryingConflicts, type AccessEffect, type Outcome } from "./transaction";

export type Ctx = { db: Db; orgId: string; base: string };

function userNotFound(id: string): ScimError {
  return notFound(`No User with id "${id}" exists in this organization.`);
}

/** A user's groups as JSON, in the query that reads the user: one definition, one round trip. */
const GROUPS_OF_USER = sql<
  GroupRef[]
>`coalesce((select json_agg(json_build_object('id', g.id, 'displayName', g.display_name) order by lower(g.display_name))
  from scim_group_members m join scim_groups g on g.id = m.group_id where m.user_id = scim_users.id), '[]'::json)`;

function userWithGroups(withGroups: boolean) {
  return { row: scimUsers, groups: withGroups ? GROUPS_OF_USER : sql<null>`null` };
}

/** The user, locked until the end of the transaction, with its groups. */
async function lockUser(tx: DbOrTx, orgId: string, id: string): Promise<UserRow & { groups: GroupRef[] }> {
  if (!isUuid(id)) throw userNotFound(id);
  const [row] = await queryRows(
    tx,
    sql`select *, ${GROUPS_OF_USER} as groups from scim_users where org_id = ${orgId} and id = ${id}::uuid for update`,
  );
  if (!row) throw userNotFound(id);
  return { ...userRowOf(row), groups: (row.groups ?? []) as GroupRef[] };
}

/** A write's unique violation (userName, the person's account) as the SCIM error that quotes the resource. */
function mapUniqueViolation(e: unknown, resource: UserResource): never {
  const cols = userColumns(resource);
  throw asScimError(e, { userName: resource.userName, email: cols.primaryEmail ?? resource.userName });
}

/** The account a SCIM user stands for: the one with the same email (primary email, else userName). */
function accountOf(resource: UserResource) {
  const cols = userColumns(resource);
  return {
    email: cols.primaryEmail ?? cols.userName,
    name: cols.displayName ?? [cols.givenName, cols.familyName].filter(Boolean).join(" "),
  };
}

/**
 * The account as statements to pipeline: the insert when missing (nothing on conflict), and the account's id as a
 * subquery for the statements after it — each runs with a fresh snapshot, so it also sees an account a concurrent
 * request committed.
 */
function accountFor(tx: DbOrTx, resource: UserResource) {
  const { email, name } = accountOf(resource);
  return {
    insert: () => queryRows(tx, sql`insert into accounts (email, name) values (${email}, ${name}) on conflict do nothing`),
    id: sql`(select id from accounts where lower(email) = lower(${email}))`,
  };
}

/** The scim_users columns a write sets from the resource (the same list for insert and update). */
function userValues(resource: UserResource) {
  const cols = userColumns(resource);
  return {
    cols,
    resource: sql`${JSON.stringify(resource)}::jsonb`,
    emailValues: sql`array(select jsonb_array_elements_text(${JSON.stringify(cols.emailValues)}::jsonb))`,
  };
}

function insertUserStatement(orgId: string, id: string, resource: UserResource, accountId: SQL, from: SQL = sql``) {
  const v = userValues(resource);
  const c = v.cols;
  return sql`insert into scim_users (id, org_id, account_id, user_name, external_id, active, display_name, given_name, family_name, primary_email, email_values, resource)
    select ${id}::uuid, ${orgId}, ${accountId}, ${c.userName}, ${c.externalId}, ${c.active}, ${c.displayName}, ${c.givenName}, ${c.familyName},
      ${c.primaryEmail}, ${v.emailValues}, ${v.resource}${from}
    returning *`;
}

/**
 * The update of a user read at `version`, as a CTE `u` (the row as written, with its groups). If the row has a
 * newer version by the time the update reaches it, the statement fails with a serialization failure (the request
 * is retried from its read); if it is gone, the statement that selects from `u` through `oneRowOrRetry` does.
 */
function updateUserCte(orgId: string, id: string, version: number, resource: UserResource) {
  const v = userValues(resource);
  const c = v.cols;
  return (guard: SQL) => sql`u as (
    update scim_users set resource = ${v.resource}, user_name = ${c.userName}, external_id = ${c.externalId}, active = ${c.active},
      display_name = ${c.displayName}, given_name = ${c.givenName}, family_name = ${c.familyName}, primary_email = ${c.primaryEmail},
      email_values = ${v.emailValues}, version = version + 1, updated_at = now()
    where id = ${id}::uuid and org_id = ${orgId} ${guard}
      and case when id = ${id}::uuid and version <> ${version} then portal_concurrent_change('the user changed since it was read') else true end
    returning *, ${GROUPS_OF_USER} as groups)`;
}

/**
 * The locks a joining statement takes before its update, without waiting: the user's row, and (shared) the rows of
 * the groups the user is in. The statement reads the person's groups and their mappings with its own snapshot, so
 * a member change or a mapping save of one of those groups must not be under way: if one holds a lock, this fails
 * with 55P03 and the write is made in a transaction that waits for it (the locked path); if this comes first, they
 * wait for it and then see the person joined. `condition` goes into the update's WHERE so the locks come first.
 * Not covered: such a change that commits in the instant between this statement's snapshot and its locks (the
 * statement reads with the older snapshot and finds nothing held) — closing that needs a second statement after the
 * locks, i.e. a transaction per reactivation.
 */
function joinLocks(orgId: string, id: string) {
  return {
    ctes: sql`held_user as (select id from scim_users where id = ${id}::uuid and org_id = ${orgId} for no key update nowait),
      held_groups as (${groupRowsOf(id)} for share of g nowait)`,
    condition: sql`and id = (select id from held_user) and (select count(*) from held_groups) >= 0`,
  };
}

/** The rows (`g`) of the groups a user is in, to lock. */
const groupRowsOf = (id: string) =>
  sql`select g.id from scim_groups g join scim_group_members m on m.group_id = g.id where m.user_id = ${id}::uuid`;

/** The shared locks the locked path takes on a user's groups before it locks the user (the order member changes use). */
function lockGroupsOf(tx: DbOrTx, id: string) {
  return queryRows(tx, sql`${groupRowsOf(id)} order by g.id for share of g`);
}

/** Errors after which a one-statement write is made again on the locked path: changed meanwhile, or a lock held. */
const TAKE_LOCKED_PATH = new Set(["40001", "55P03"]);

/** `from … where …` that yields u's row, or fails with a serialization failure when the update found no row. */
const oneRowOrRetry = sql`from (values (1)) as one (x) left join u on true
  where case when u.id is not null then true else portal_concurrent_change('the user to update is not there (any more)') end`;

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
  // The same joining statement as a reactivation's, for a user in no group yet.
  const join = joinWithAccess(orgId, { newUser: true });
  const [row] = await queryRows(
    db,
    sql`with new_account as (
        insert into accounts (email, name) values (${email}, ${name}) on conflict do nothing returning id
      ), account as (
        select id from new_account
        union all
        select id from accounts where lower(email) = lower(${email}) and not exists (select 1 from new_account)
      ), outsider as (
        select a.id from account a where not exists (select 1 from memberships m where m.org_id = ${orgId} and m.account_id = a.id)
      ), u as (
        ${insertUserStatement(orgId, id, resource, sql`outsider.id`, sql` from outsider`)}
      ), counted as (
        insert into scim_resource_counts (org_id, resource, shard, n) select org_id, 'User', ${countShard()}, 1 from u
        on conflict (org_id, resource, shard) do update set n = scim_resource_counts.n + excluded.n
      ), ${join.ctes}
      select u.*, ${join.columns} from u
      where case when exists (select 1 from joined) then true else portal_concurrent_change('the person joined the organization meanwhile') end`,
  ).catch((e: unknown) => mapUniqueViolation(e, resource));
  return row ? { row: userRowOf(row), access: { ...joinedAccess(row)!, membership: "joined" } } : undefined;
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
            .then((r) => userRowOf(r[0]!))
            .catch((e: unknown) => mapUniqueViolation(e, resource)),
        () => bumpCount(tx, ctx.orgId, "User", 1),
        change.statement,
      );
      return created(row, await change.finish(id, effect));
    });
  });
}

/** GET /Users/{id}, the most frequent read: its SQL is built once per database and prepared on each connection. */
function userById(db: Db, withGroups: boolean) {
  return prepared(db, withGroups ? "scim_user_by_id_with_groups" : "scim_user_by_id", (d, name) =>
    d
      .select(userWithGroups(withGroups))
      .from(scimUsers)
      .where(and(eq(scimUsers.orgId, sql.placeholder("orgId")), eq(scimUsers.id, sql.placeholder("id"))))
      .limit(1)
      .prepare(name),
  );
}

/**
 * `filter=userName eq "…"` — how Okta and Entra look a person up before creating or matching them — prepared like
 * userById. The same condition the filter compiler writes (userName is case-insensitive: lower() on both sides, on
 * the unique index), the same order.
 */
function userByUserName(db: Db, withGroups: boolean) {
  return prepared(db, withGroups ? "scim_user_by_username_with_groups" : "scim_user_by_username", (d, name) =>
    d
      .select(userWithGroups(withGroups))
      .from(scimUsers)
      .where(
        and(eq(scimUsers.orgId, sql.placeholder("orgId")), sql`lower(${scimUsers.userName}) = lower(${sql.placeholder("userName")}::text)`),
      )
      .orderBy(asc(scimUsers.seq))
      .limit(1)
      .prepare(name),
  );
}

/** The userName of a first-page `userName eq "<string>"` query in the default order, else undefined. */
function userNameLookup(q: ListQuery): string | undefined {
  if (!q.filter || q.sortBy || q.startIndex !== 1 || q.count < 1) return undefined;
  const f = parseFilter(q.filter);
  if (f.op !== "eq" || typeof f.value !== "string") return undefined;
  const r = resolveUser(f.attrPath);
  return r.kind === "scalar" && r.field.label === "userName" ? f.value : undefined;
}

export async function getUser(ctx: Ctx, id: string, projection: Projection): Promise<Outcome> {
  if (!isUuid(id)) throw userNotFound(id);
  const [found] = await userById(ctx.db, wantsAttribute("User", projection, "groups")).execute({ orgId: ctx.orgId, id });
  if (!found) throw userNotFound(id);
  const { row, groups } = found;
  return {
    status: 200,
    resourceId: row.id,
    version: row.version,
    body: project("User", renderUser(row, ctx.base, groups ?? undefined), projection),
  };
}

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
    row: userRowOf(r[0]!),
    groups: (r[0]!.groups ?? []) as GroupRef[],
    removedRole: (r[0]!.removed_role ?? null) as string | null,
  });
  const unique = (e: unknown) => mapUniqueViolation(e, resource);
  if (change === "join" && !locked) {
    // The person joins with the access their groups give, in the statement that activates them. If they are in the
    // org already (a membership made in the portal, the Owner), it fails as a conflict: the locked path re-derives.
    const join = joinWithAccess(ctx.orgId);
    const locks = joinLocks(ctx.orgId, id);
    const [row] = await queryRows(
      ctx.db,
      sql`with ${locks.ctes}, ${buildUpdate(locks.condition)}, ${join.ctes} select u.*, ${join.columns} ${oneRowOrRetry}
        and case when exists (select 1 from joined) then true else portal_concurrent_change('the person is in the organization already') end`,
    ).catch(unique);
    return { ...written([row!]), access: { ...joinedAccess(row!)!, membership: "joined" } };
  }
  const update = buildUpdate(sql``);
  if (change === "join") {
    const tx = locked!;
    // The update and the membership in one statement; the re-derivation after it (it must see both).
    const [u, changes] = await inOrderThenCommit<[ReturnType<typeof written> & { joined: boolean }, AccessChanges]>(
      tx,
      () =>
        queryRows(
          tx,
          sql`with ${update}, joined as (${scimMembershipUpsert(ctx.orgId, sql`select account_id from u`)}) select u.*, (select inserted from joined) as joined ${oneRowOrRetry}`,
        )
          .then((r) => ({ ...written(r), joined: r[0]!.joined === true }))
          .catch(unique),
      () => recomputeAccess(tx, ctx.orgId, { userIds: [id] }),
    );
    return { row: u.row, groups: u.groups, access: { ...changes, membership: u.joined ? "joined" : undefined } };
  }
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
  const update = (guard: SQL) => sql`u as (
    update scim_users set resource = jsonb_set(resource, '{active}', to_jsonb(${active}::boolean)), active = ${active}, version = version + 1, updated_at = now()
    where id = ${id}::uuid and org_id = ${ctx.orgId} and active = ${!active} ${guard}
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
  const answer = ({ row, groups, access }: Written): Outcome => ({
    status: 200,
    resourceId: id,
    version: row.version,
    body: project("User", renderUser(row, ctx.base, withGroups ? groups : undefined), projection),
    access,
  });
  const fast = active !== undefined && !req.headers.has("if-match") ? await setActive(ctx, id, active) : undefined;
  if (fast) return answer(fast);

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
    if (JSON.stringify(resource) === JSON.stringify(current.resource)) return answer({ row: current, groups: current.groups });
    const nowActive = userColumns(resource).active;
    const change = nowActive === current.active ? "none" : nowActive ? "join" : "leave";
    return answer(await runUserUpdate(ctx, id, updateUserCte(ctx.orgId, id, current.version, resource), change, resource, locked));
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
export async function deleteUser(ctx: Ctx, req: Request, id: string): Promise<Outcome> {
  return inTransaction(ctx.db, async (tx) => {
    const current = await lockUser(tx, ctx.orgId, id);
    checkIfMatch(req, current.version);
    await queryRows(
      tx,
      sql`update scim_groups g set member_count = g.member_count - 1, version = g.version + 1, updated_at = now()
          from scim_group_members m where m.group_id = g.id and m.user_id = ${id}::uuid`,
    );
    await tx.delete(scimUsers).where(eq(scimUsers.id, id));
    await bumpCount(tx, ctx.orgId, "User", -1);
    const removedRole = await removeScimMembership(tx, ctx.orgId, current.accountId);
    return { status: 204, resourceId: id, access: leftOrg(removedRole) };
  });
}

const USER_SORT: Record<string, SQL> = {
  id: sql`${scimUsers.id}`,
  username: sql`lower(${scimUsers.userName})`,
  displayname: sql`lower(${scimUsers.displayName})`,
  "name.familyname": sql`lower(${scimUsers.familyName})`,
  "name.givenname": sql`lower(${scimUsers.givenName})`,
  emails: sql`lower(${scimUsers.primaryEmail})`,
  "emails.value": sql`lower(${scimUsers.primaryEmail})`,
  externalid: sql`${scimUsers.externalId}`,
  "meta.created": sql`${scimUsers.createdAt}`,
  "meta.lastmodified": sql`${scimUsers.updatedAt}`,
};

export async function listUsers(ctx: Ctx, q: ListQuery): Promise<Outcome> {
  const userName = userNameLookup(q);
  if (userName !== undefined) {
    // userName is unique in the org: the first page holds every match, so the total is what it holds.
    const found = await userByUserName(ctx.db, wantsAttribute("User", q, "groups")).execute({ orgId: ctx.orgId, userName });
    return listOutcome(ctx, q, found.length, found);
  }
  const where = and(eq(scimUsers.orgId, ctx.orgId), q.filter ? compileUserFilter(parseFilter(q.filter)) : undefined);
  const order = listOrder(q, USER_SORT, USER_SCHEMA, scimUsers.seq);
  const page = ctx.db
    .select({ seq: scimUsers.seq })
    .from(scimUsers)
    .where(where)
    .orderBy(...order)
    .limit(q.count)
    .offset(q.startIndex - 1);
  const found =
    q.count > 0
      ? await ctx.db
          .select(userWithGroups(wantsAttribute("User", q, "groups")))
          .from(scimUsers)
          .where(and(eq(scimUsers.orgId, ctx.orgId), inArray(scimUsers.seq, page)))
          .orderBy(...order)
      : [];
  const total = await listTotal(
    ctx.db,
    ctx.orgId,
    "User",
    q,
    found.length,
    async () => (await ctx.db.select({ n: count() }).from(scimUsers).where(where))[0]?.n ?? 0,
  );
  return listOutcome(ctx, q, total, found);
}

function listOutcome(ctx: Ctx, q: ListQuery, total: number, found: { row: UserRow; groups: GroupRef[] | null }[]): Outcome {
  return {
    status: 200,
    body: {
      schemas: [LIST_RESPONSE_SCHEMA],
      totalResults: total,
      startIndex: q.startIndex,
      itemsPerPage: found.length,
      Resources: found.map(({ row, groups }) => project("User", renderUser(row, ctx.base, groups ?? undefined), q)),
    },
  };
}
