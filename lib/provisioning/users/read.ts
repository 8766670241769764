import { sql } from "drizzle-orm";
import { scimUsers } from "@/db/schema";
import { isUuid } from "@/lib/ids";
import { parseFilter } from "@/lib/scim/filter";
import { compileUserFilter } from "@/lib/provisioning/filter-sql";
import { project, wantsAttribute, type ListQuery, type Projection } from "@/lib/scim/query";
import { USER_SCHEMA } from "@/lib/scim/schemas";
import { renderUser, type GroupRef, type UserRow } from "../render";
import { listPage, listResponse, sortKeys } from "../paging";
import { resolveUser } from "../filter-sql-resources";
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

/** sortBy: the attributes clients sort on, with `emails` by the primary email (what the list shows first). */
export const USER_SORT = sortKeys(
  resolveUser,
  ["id", "userName", "displayName", "name.familyName", "name.givenName", "externalId", "meta.created", "meta.lastModified"],
  {
    emails: sql`lower(${scimUsers.primaryEmail})`,
    "emails.value": sql`lower(${scimUsers.primaryEmail})`,
  },
);

export async function listUsers(ctx: Ctx, q: ListQuery): Promise<Outcome> {
  const withGroups = wantsAttribute("User", q, "groups");
  const userName = userNameLookup(q);
  if (userName !== undefined) {
    // userName is unique in the org: the first page holds every match, so the total is what it holds.
    const found = await userByUserName(ctx.db, withGroups).execute({ orgId: ctx.orgId, userName });
    return listOutcome(ctx, q, found.length, found);
  }
  const filter = q.filter ? compileUserFilter(parseFilter(q.filter)) : undefined;
  const { rows, total } = await listPage(
    ctx.db,
    ctx.orgId,
    "User",
    q,
    { table: scimUsers, filter, sort: USER_SORT, core: USER_SCHEMA },
    (onPage, order) =>
      ctx.db
        .select(userWithGroups(withGroups))
        .from(scimUsers)
        .where(onPage)
        .orderBy(...order),
  );
  return listOutcome(ctx, q, total, rows);
}

function listOutcome(ctx: Ctx, q: ListQuery, total: number, found: { row: UserRow; groups: GroupRef[] | null }[]): Outcome {
  return {
    status: 200,
    body: listResponse(
      q,
      total,
      found.map(({ row, groups }) => project("User", renderUser(row, ctx.base, groups ?? undefined), q)),
    ),
  };
}
