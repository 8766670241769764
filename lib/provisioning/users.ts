import { and, asc, count, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { accounts, scimUsers } from "@/db/schema";
import { ensureScimMembership, removeScimMembership } from "@/lib/access/membership";
import { NO_CHANGES, recomputeAccess } from "@/lib/access/recompute";
import { uniqueViolation } from "@/lib/errors";
import { isUuid } from "@/lib/ids";
import { notFound, ScimError, uniqueness, invalidValue } from "@/lib/scim/errors";
import { parseFilter } from "@/lib/scim/filter";
import { compileUserFilter } from "@/lib/scim/filter-sql";
import { checkIfMatch } from "@/lib/scim/http";
import { normalizeUserInput, type UserResource } from "@/lib/scim/normalize";
import { applyUserPatch, parsePatchBody } from "@/lib/scim/patch";
import { project, totalFromPage, wantsAttribute, type ListQuery, type Projection } from "@/lib/scim/query";
import { LIST_RESPONSE_SCHEMA } from "@/lib/scim/schemas";
import { renderUser, userColumns, type GroupRef, type UserRow } from "./render";
import { bumpCount, countOf } from "./counts";
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
  const [row] = await tx.select().from(scimUsers).where(and(eq(scimUsers.orgId, orgId), eq(scimUsers.id, id))).for("update").limit(1);
  if (!row) throw userNotFound(id);
  return row;
}

function mapUniqueViolation(e: unknown, resource: UserResource): never {
  const violation = uniqueViolation(e);
  if (violation?.constraint === "scim_users_org_username_uq")
    throw uniqueness(`A User with userName "${String(resource.userName)}" already exists in this organization (userName is unique, ignoring case).`);
  if (violation?.constraint === "scim_users_org_account_uq")
    throw uniqueness(`Another User in this organization already belongs to the person with email "${userColumns(resource).primaryEmail ?? resource.userName}".`);
  throw e;
}

/** The account a SCIM user stands for: the one with the same email (primary email, else userName); created when missing. */
async function linkAccount(tx: DbOrTx, resource: UserResource): Promise<string> {
  const cols = userColumns(resource);
  const email = cols.primaryEmail ?? cols.userName;
  const name = cols.displayName ?? [cols.givenName, cols.familyName].filter(Boolean).join(" ");
  await tx.insert(accounts).values({ email, name }).onConflictDoNothing();
  const [account] = await tx.select({ id: accounts.id }).from(accounts).where(sql`lower(${accounts.email}) = lower(${email})`).limit(1);
  if (!account) throw new Error("account missing after insert");
  return account.id;
}

/** Applies what an active-state change means for the person's access in the org. */
async function applyActiveChange(tx: DbOrTx, orgId: string, row: UserRow, wasActive: boolean | null) {
  if (row.active && wasActive !== true) {
    const joined = await ensureScimMembership(tx, orgId, row.accountId);
    const changes = await recomputeAccess(tx, orgId, { userIds: [row.id] });
    return { ...changes, membership: joined ? ("joined" as const) : undefined };
  }
  if (!row.active && wasActive !== false) {
    const removedRole = await removeScimMembership(tx, orgId, row.accountId);
    return { ...NO_CHANGES, membership: removedRole ? ("removed" as const) : undefined, removedRole: removedRole ?? undefined };
  }
  return NO_CHANGES;
}

export async function createUser(ctx: Ctx, body: unknown, projection: Projection): Promise<Outcome> {
  const resource = normalizeUserInput(body);
  return inTransaction(ctx.db, async (tx) => {
    const accountId = await linkAccount(tx, resource);
    const row = await tx
      .insert(scimUsers)
      .values({ orgId: ctx.orgId, accountId, resource, ...userColumns(resource) })
      .returning()
      .then((r) => r[0]!)
      .catch((e: unknown) => mapUniqueViolation(e, resource));
    await bumpCount(tx, ctx.orgId, "User", 1);
    const access = await applyActiveChange(tx, ctx.orgId, row, null);
    return { status: 201, resourceId: row.id, version: row.version, body: await render(tx, ctx, row, projection), access };
  });
}

export async function getUser(ctx: Ctx, id: string, projection: Projection): Promise<Outcome> {
  if (!isUuid(id)) throw userNotFound(id);
  const [found] = await ctx.db
    .select(userWithGroups(wantsAttribute("User", projection, "groups")))
    .from(scimUsers)
    .where(and(eq(scimUsers.orgId, ctx.orgId), eq(scimUsers.id, id)))
    .limit(1);
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
    const row = await tx
      .update(scimUsers)
      .set({ resource, ...userColumns(resource), version: sql`${scimUsers.version} + 1`, updatedAt: new Date() })
      .where(eq(scimUsers.id, id))
      .returning()
      .then((r) => r[0]!)
      .catch((e: unknown) => mapUniqueViolation(e, resource));
    const access = await applyActiveChange(tx, ctx.orgId, row, current.active);
    return { status: 200, resourceId: id, version: row.version, body: await render(tx, ctx, row, projection), access };
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
    await tx.execute(
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

export function sortExpression(table: Record<string, SQL>, sortBy: string | undefined, core: string): SQL | null {
  if (!sortBy) return null;
  let key = sortBy.toLowerCase();
  if (key.startsWith(core.toLowerCase() + ":")) key = key.slice(core.length + 1);
  const expr = table[key];
  if (!expr) throw invalidValue(`sortBy "${sortBy}" is not supported. Sort by one of: ${Object.keys(table).join(", ")}.`);
  return expr;
}

export async function listUsers(ctx: Ctx, q: ListQuery): Promise<Outcome> {
  const where = and(eq(scimUsers.orgId, ctx.orgId), q.filter ? compileUserFilter(parseFilter(q.filter)) : undefined);
  const sort = sortExpression(USER_SORT, q.sortBy, "urn:ietf:params:scim:schemas:core:2.0:User");
  const dir = q.sortOrder === "descending" ? desc : asc;
  const order = sort ? [dir(sort), dir(scimUsers.seq)] : [asc(scimUsers.seq)];
  // Deferred join: find the page's keys first (an index-only walk for the default order, however deep the page),
  // then read just those rows. The total comes from the sharded counter when there is no filter.
  // The total then comes from the page itself when it can (see totalFromPage), else from the sharded counter when
  // there is no filter, else from an indexed count.
  const page = ctx.db.select({ seq: scimUsers.seq }).from(scimUsers).where(where).orderBy(...order).limit(q.count).offset(q.startIndex - 1);
  const found =
    q.count > 0
      ? await ctx.db
          .select(userWithGroups(wantsAttribute("User", q, "groups")))
          .from(scimUsers)
          .where(and(eq(scimUsers.orgId, ctx.orgId), inArray(scimUsers.seq, page)))
          .orderBy(...order)
      : [];
  const total =
    totalFromPage(q, found.length) ??
    (q.filter ? await ctx.db.select({ n: count() }).from(scimUsers).where(where).then((r) => r[0]?.n ?? 0) : await countOf(ctx.db, ctx.orgId, "User"));
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
