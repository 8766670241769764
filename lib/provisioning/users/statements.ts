import { and, asc, eq, sql, type SQL } from "drizzle-orm";
import { prepared, queryRows, type Db, type DbOrTx } from "@/db/client";
import { scimUsers, accounts, scimGroupMembers, scimGroups } from "@/db/schema";
import { isUuid } from "@/lib/ids";
import { parseFilter } from "@/lib/scim/filter";
import { type UserResource } from "@/lib/scim/normalize";
import { type ListQuery } from "@/lib/scim/query";
import { type GroupRef, type UserRow } from "../render";
import { columnsOf, rowOf } from "../resource";
import { asScimError } from "../scim-errors";
import { resolveUser, userColumns, userNotFound, userWritten } from "./resource";

/**
 * Every statement the SCIM user use cases send, and the row shapes they read: the prepared lookups, the insert, the
 * versioned update, the locks of the joining path. The use cases are create.ts, read.ts and write.ts.
 */
export type Ctx = { db: Db; orgId: string; base: string };

/** A user's groups as JSON, in the query that reads the user: one definition, one round trip. */
export const GROUPS_OF_USER = sql<
  GroupRef[]
>`coalesce((select json_agg(json_build_object('id', g.id, 'displayName', g.display_name) order by lower(g.display_name))
  from ${scimGroupMembers} m join ${scimGroups} g on g.id = m.group_id where m.user_id = scim_users.id), '[]'::json)`;

export function userWithGroups(withGroups: boolean) {
  return { row: scimUsers, groups: withGroups ? GROUPS_OF_USER : sql<null>`null` };
}

/** The user, locked until the end of the transaction, with its groups. */
export async function lockUser(tx: DbOrTx, orgId: string, id: string): Promise<UserRow & { groups: GroupRef[] }> {
  if (!isUuid(id)) throw userNotFound(id);
  const [row] = await queryRows(
    tx,
    sql`select *, ${GROUPS_OF_USER} as groups from ${scimUsers} where org_id = ${orgId} and id = ${id}::uuid for update`,
  );
  if (!row) throw userNotFound(id);
  return { ...rowOf(scimUsers, row), groups: (row.groups ?? []) as GroupRef[] };
}

/** A write's unique violation (userName, the person's account) as the SCIM error that quotes the resource. */
export function mapUniqueViolation(e: unknown, resource: UserResource): never {
  const cols = userColumns(resource);
  throw asScimError(e, { userName: resource.userName, email: cols.primaryEmail ?? resource.userName });
}

/** The account a SCIM user stands for: the one with the same email (primary email, else userName). */
export function accountOf(resource: UserResource) {
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
export function accountFor(tx: DbOrTx, resource: UserResource) {
  const { email, name } = accountOf(resource);
  return {
    insert: () => queryRows(tx, sql`insert into ${accounts} (email, name) values (${email}, ${name}) on conflict do nothing`),
    id: sql`(select id from ${accounts} where lower(email) = lower(${email}))`,
  };
}

export function insertUserStatement(orgId: string, id: string, resource: UserResource, accountId: SQL, from: SQL = sql``) {
  const c = columnsOf(scimUsers, { id: sql`${id}::uuid`, orgId, accountId, ...userWritten(resource) });
  return sql`insert into ${scimUsers} (${c.names}) select ${c.values}${from} returning *`;
}

/**
 * The update of a user read at `version`, as a CTE `u` (the row as written, with its groups). If the row has a
 * newer version by the time the update reaches it, the statement fails with a serialization failure (the request
 * is retried from its read); if it is gone, the statement that selects from `u` through `oneRowOrRetry` does.
 */
export function updateUserCte(orgId: string, id: string, version: number, resource: UserResource) {
  const c = columnsOf(scimUsers, userWritten(resource));
  return (guard: SQL) => sql`u as (
    update ${scimUsers} set ${c.assignments}, version = version + 1, updated_at = now()
    where id = ${id}::uuid and org_id = ${orgId} ${guard}
      and case when id = ${id}::uuid and version <> ${version} then portal_concurrent_change('the user changed since it was read') else true end
    returning *, ${GROUPS_OF_USER} as groups)`;
}

/**
 * The locks a reactivation takes before it writes, as steps to pipeline ahead of its statements (each its own
 * statement, so each reads with a snapshot taken after the ones before it has its locks):
 * 1. the rows of the user's groups, shared — the order member changes take their locks in (group, then person);
 * 2. the user's row, for update — which also waits for a member change of this person still under way (its member
 *    row's foreign key holds the user's row, key-shared) and makes any later one wait for the reactivation;
 * 3. the rows of the user's groups again: with the user locked, no membership of theirs can commit any more, so this
 *    sees all of them — a group joined between 1 and 2 included. A mapping save of one of these groups locks its row
 *    too: it either committed before (the re-derivation after these locks sees the mapping) or waits for the
 *    reactivation and then re-derives the person as active.
 * `userLocked`: the transaction holds the user and their groups' rows already (the locked path took 1 and 2).
 */
export function joinLocks(tx: DbOrTx, orgId: string, id: string, opts: { userLocked: boolean }): (() => Promise<unknown>)[] {
  const groups = () => lockGroupsOf(tx, id);
  if (opts.userLocked) return [groups];
  return [groups, () => queryRows(tx, sql`select id from ${scimUsers} where id = ${id}::uuid and org_id = ${orgId} for update`), groups];
}

/** The rows (`g`) of the groups a user is in, to lock. */
export const groupRowsOf = (id: string) =>
  sql`select g.id from ${scimGroups} g join ${scimGroupMembers} m on m.group_id = g.id where m.user_id = ${id}::uuid`;

/** The shared locks the locked path takes on a user's groups before it locks the user (the order member changes use). */
export function lockGroupsOf(tx: DbOrTx, id: string) {
  return queryRows(tx, sql`${groupRowsOf(id)} order by g.id for share of g`);
}

/** Errors after which a write made without reading under a lock is made again on the locked path: changed meanwhile, or a deadlock. */
export const TAKE_LOCKED_PATH = new Set(["40001", "40P01"]);

/** `from … where …` that yields u's row, or fails with a serialization failure when the update found no row. */
export const oneRowOrRetry = sql`from (values (1)) as one (x) left join u on true
  where case when u.id is not null then true else portal_concurrent_change('the user to update is not there (any more)') end`;

/** GET /Users/{id}, the most frequent read: its SQL is built once per database and prepared on each connection. */
export function userById(db: Db, withGroups: boolean) {
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
export function userByUserName(db: Db, withGroups: boolean) {
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
export function userNameLookup(q: ListQuery): string | undefined {
  if (!q.filter || q.sortBy || q.startIndex !== 1 || q.count < 1) return undefined;
  const f = parseFilter(q.filter);
  if (f.op !== "eq" || typeof f.value !== "string") return undefined;
  const r = resolveUser(f.attrPath);
  return r.kind === "scalar" && r.field.label === "userName" ? f.value : undefined;
}
