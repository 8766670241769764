import { randomUUID } from "node:crypto";
import { and, asc, count, eq, inArray, sql, type SQL } from "drizzle-orm";
import { inOrder, inOrderThenCommit, prepared, queryRows, type Db, type DbOrTx } from "@/db/client";
import { scimUsers } from "@/db/schema";
import { ensureScimMembership, removeScimMembership } from "@/lib/access/membership";
import { NO_CHANGES, recomputeAccess } from "@/lib/access/recompute";
import { uniqueViolation } from "@/lib/errors";
import { isUuid } from "@/lib/ids";
import { notFound, ScimError, uniqueness } from "@/lib/scim/errors";
import { parseFilter } from "@/lib/scim/filter";
import { compileUserFilter } from "@/lib/scim/filter-sql";
import { resolveUser } from "@/lib/scim/filter-sql-resources";
import { checkIfMatch } from "@/lib/scim/http";
import { normalizeUserInput, type UserResource } from "@/lib/scim/normalize";
import { applyUserPatch, parsePatchBody } from "@/lib/scim/patch";
import { project, wantsAttribute, type ListQuery, type Projection } from "@/lib/scim/query";
import { LIST_RESPONSE_SCHEMA, USER_SCHEMA } from "@/lib/scim/schemas";
import { renderUser, userColumns, userRowOf, type GroupRef, type UserRow } from "./render";
import { bumpCount } from "./counts";
import { listOrder, listTotal } from "./paging";
import { inTransaction, type Outcome } from "./transaction";

export type Ctx = { db: Db; orgId: string; base: string };

function userNotFound(id: string): ScimError {
  return notFound(`No User with id "${id}" exists in this organization.`);
}

/** A user's groups as JSON, in the query that reads the user: one definition, one round trip. */
const GROUPS_OF_USER = sql<GroupRef[]>`coalesce((select json_agg(json_build_object('id', g.id, 'displayName', g.display_name) order by lower(g.display_name))
  from scim_group_members m join scim_groups g on g.id = m.group_id where m.user_id = scim_users.id), '[]'::json)`;

function userWithGroups(withGroups: boolean) {
  return { row: scimUsers, groups: withGroups ? GROUPS_OF_USER : sql<null>`null` };
}

/** The response for a row just written (its groups read in the same transaction when they are wanted). */
async function render(db: DbOrTx, ctx: Ctx, row: UserRow, projection: Projection): Promise<Record<string, unknown>> {
  const groups = wantsAttribute("User", projection, "groups")
    ? ((await db.select({ groups: GROUPS_OF_USER }).from(scimUsers).where(eq(scimUsers.id, row.id)))[0]?.groups ?? [])
    : undefined;
  return project("User", renderUser(row, ctx.base, groups), projection);
}

async function lockUser(tx: DbOrTx, orgId: string, id: string): Promise<UserRow> {
  if (!isUuid(id)) throw userNotFound(id);
  const [row] = await queryRows(tx, sql`select * from scim_users where org_id = ${orgId} and id = ${id}::uuid for update`);
  if (!row) throw userNotFound(id);
  return userRowOf(row);
}

function mapUniqueViolation(e: unknown, resource: UserResource): never {
  const violation = uniqueViolation(e);
  if (violation?.constraint === "scim_users_org_username_uq")
    throw uniqueness(`A User with userName "${String(resource.userName)}" already exists in this organization (userName is unique, ignoring case).`);
  if (violation?.constraint === "scim_users_org_account_uq")
    throw uniqueness(`Another User in this organization already belongs to the person with email "${userColumns(resource).primaryEmail ?? resource.userName}".`);
  throw e;
}

/**
 * The account a SCIM user stands for: the one with the same email (primary email, else userName), created when
 * missing. As statements to pipeline: the insert (nothing on conflict), and the account's id as a subquery for the
 * statements after it — each runs with a fresh snapshot, so it also sees an account a concurrent request committed.
 */
function accountFor(tx: DbOrTx, resource: UserResource) {
  const cols = userColumns(resource);
  const email = cols.primaryEmail ?? cols.userName;
  const name = cols.displayName ?? [cols.givenName, cols.familyName].filter(Boolean).join(" ");
  return {
    insert: () => queryRows(tx, sql`insert into accounts (email, name) values (${email}, ${name}) on conflict do nothing`),
    id: sql`(select id from accounts where lower(email) = lower(${email}))`,
  };
}

/**
 * What an active-state change means for the person's access in the org: a membership statement to send after the
 * user's own write, and what to make of its result. Joining may need access re-derived (from the person's groups;
 * a membership that existed before SCIM becomes SCIM-managed) — but a person who has just joined and is in no group
 * has exactly what a fresh membership gives (Member, no SCIM stack roles). Leaving needs nothing more, so the
 * COMMIT can go with those statements (`last`).
 */
function activeChange(tx: DbOrTx, orgId: string, accountId: string | SQL, nowActive: boolean, wasActive: boolean | null) {
  if (nowActive && wasActive !== true) {
    return {
      statement: () => ensureScimMembership(tx, orgId, accountId).then((joined) => ({ joined, removedRole: null as string | null })),
      last: false,
      finish: async (userId: string, hasGroups: boolean, r: { joined: boolean }) => {
        const changes = r.joined && !hasGroups ? NO_CHANGES : await recomputeAccess(tx, orgId, { userIds: [userId] });
        return { ...changes, membership: r.joined ? ("joined" as const) : undefined };
      },
    };
  }
  if (!nowActive && wasActive !== false) {
    return {
      statement: () => removeScimMembership(tx, orgId, accountId).then((removedRole) => ({ joined: false, removedRole })),
      last: true,
      finish: async (_userId: string, _hasGroups: boolean, r: { removedRole: string | null }) => ({
        ...NO_CHANGES,
        membership: r.removedRole ? ("removed" as const) : undefined,
        removedRole: r.removedRole ?? undefined,
      }),
    };
  }
  return { statement: async () => ({ joined: false, removedRole: null as string | null }), last: true, finish: async () => NO_CHANGES };
}

export async function createUser(ctx: Ctx, body: unknown, projection: Projection): Promise<Outcome> {
  const resource = normalizeUserInput(body);
  const cols = userColumns(resource);
  const id = randomUUID(); // known before the insert, so the statements after it can name the user
  return inTransaction(ctx.db, async (tx) => {
    const account = accountFor(tx, resource);
    const change = activeChange(tx, ctx.orgId, account.id, cols.active, null);
    // Account, user, count and membership in one round trip (with COMMIT when nothing is left to do); a duplicate
    // userName fails the insert and so the rest.
    const [, row, , effect] = await (change.last ? inOrderThenCommit : inOrder)<[unknown, UserRow, unknown, { joined: boolean; removedRole: string | null }]>(
      tx,
      account.insert,
      () =>
        queryRows(
          tx,
          sql`insert into scim_users (id, org_id, account_id, user_name, external_id, active, display_name, given_name, family_name, primary_email, email_values, resource)
              values (${id}::uuid, ${ctx.orgId}, ${account.id}, ${cols.userName}, ${cols.externalId}, ${cols.active}, ${cols.displayName}, ${cols.givenName},
                ${cols.familyName}, ${cols.primaryEmail}, array(select jsonb_array_elements_text(${JSON.stringify(cols.emailValues)}::jsonb)),
                ${JSON.stringify(resource)}::jsonb)
              returning *`,
        )
          .then((r) => userRowOf(r[0]!))
          .catch((e: unknown) => mapUniqueViolation(e, resource)),
      () => bumpCount(tx, ctx.orgId, "User", 1),
      change.statement,
    );
    // A new SCIM user is in no group yet.
    const access = await change.finish(id, false, effect);
    const groups = wantsAttribute("User", projection, "groups") ? [] : undefined;
    return { status: 201, resourceId: row.id, version: row.version, body: project("User", renderUser(row, ctx.base, groups), projection), access };
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
      .where(and(eq(scimUsers.orgId, sql.placeholder("orgId")), sql`lower(${scimUsers.userName}) = lower(${sql.placeholder("userName")}::text)`))
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
  return { status: 200, resourceId: row.id, version: row.version, body: project("User", renderUser(row, ctx.base, groups ?? undefined), projection) };
}

async function writeUser(ctx: Ctx, req: Request, id: string, projection: Projection, next: (current: UserRow) => UserResource): Promise<Outcome> {
  return inTransaction(ctx.db, async (tx) => {
    const current = await lockUser(tx, ctx.orgId, id);
    checkIfMatch(req, current.version);
    const resource = next(current);
    if (JSON.stringify(resource) === JSON.stringify(current.resource)) {
      return { status: 200, resourceId: id, version: current.version, body: await render(tx, ctx, current, projection) };
    }
    const cols = userColumns(resource);
    const change = activeChange(tx, ctx.orgId, current.accountId, cols.active, current.active);
    // The update (reading the user's groups as it returns) and the membership change in one round trip (with COMMIT
    // when nothing is left to do).
    const [updated, effect] = await (change.last ? inOrderThenCommit : inOrder)<[UserRow & { groups: GroupRef[] }, { joined: boolean; removedRole: string | null }]>(
      tx,
      () =>
        queryRows(
          tx,
          sql`update scim_users set resource = ${JSON.stringify(resource)}::jsonb, user_name = ${cols.userName}, external_id = ${cols.externalId},
                active = ${cols.active}, display_name = ${cols.displayName}, given_name = ${cols.givenName}, family_name = ${cols.familyName},
                primary_email = ${cols.primaryEmail}, email_values = array(select jsonb_array_elements_text(${JSON.stringify(cols.emailValues)}::jsonb)),
                version = version + 1, updated_at = now()
              where id = ${id}::uuid
              returning *, ${GROUPS_OF_USER} as groups`,
        )
          .then((r) => ({ ...userRowOf(r[0]!), groups: (r[0]!.groups ?? []) as GroupRef[] }))
          .catch((e: unknown) => mapUniqueViolation(e, resource)),
      change.statement,
    );
    const { groups, ...row } = updated;
    const access = await change.finish(id, groups.length > 0, effect);
    const body = project("User", renderUser(row, ctx.base, wantsAttribute("User", projection, "groups") ? groups : undefined), projection);
    return { status: 200, resourceId: id, version: row.version, body, access };
  });
}

export function replaceUser(ctx: Ctx, req: Request, id: string, body: unknown, projection: Projection): Promise<Outcome> {
  const resource = normalizeUserInput(body);
  return writeUser(ctx, req, id, projection, () => resource);
}

export function patchUser(ctx: Ctx, req: Request, id: string, body: unknown, projection: Projection): Promise<Outcome> {
  const ops = parsePatchBody(body);
  return writeUser(ctx, req, id, projection, (current) => applyUserPatch(current.resource, ops));
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
    return { status: 204, resourceId: id, access: { ...NO_CHANGES, membership: removedRole ? "removed" : undefined, removedRole: removedRole ?? undefined } };
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
  const page = ctx.db.select({ seq: scimUsers.seq }).from(scimUsers).where(where).orderBy(...order).limit(q.count).offset(q.startIndex - 1);
  const found =
    q.count > 0
      ? await ctx.db
          .select(userWithGroups(wantsAttribute("User", q, "groups")))
          .from(scimUsers)
          .where(and(eq(scimUsers.orgId, ctx.orgId), inArray(scimUsers.seq, page)))
          .orderBy(...order)
      : [];
  const total = await listTotal(ctx.db, ctx.orgId, "User", q, found.length, async () => (await ctx.db.select({ n: count() }).from(scimUsers).where(where))[0]?.n ?? 0);
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
