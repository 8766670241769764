import { and, count, eq, inArray, sql, type SQL } from "drizzle-orm";
import { scimUsers } from "@/db/schema";
import { isUuid } from "@/lib/ids";
import { parseFilter } from "@/lib/scim/filter";
import { compileUserFilter } from "@/lib/provisioning/filter-sql";
import { project, wantsAttribute, type ListQuery, type Projection } from "@/lib/scim/query";
import { LIST_RESPONSE_SCHEMA, USER_SCHEMA } from "@/lib/scim/schemas";
import { renderUser, type GroupRef, type UserRow } from "../render";
import { listOrder, listTotal } from "../paging";
import { type Outcome } from "../transaction";
import { userById, userByUserName, userNameLookup, userNotFound, userWithGroups, type Ctx } from "./statements";

// GET /Users/{id} and GET /Users (filter, sort, paging).

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
