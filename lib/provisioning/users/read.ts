import { scimUsers } from "@/db/schema";
import { parseFilter } from "@/lib/scim/filter";
import { compileUserFilter } from "@/lib/provisioning/filter-sql";
import { project, resolveProjection, wantsAttribute, type ListQuery, type Projection } from "@/lib/scim/query";
import { type GroupRef, type UserRow } from "../render";
import { listPage, listResponse } from "../paging";
import { type Outcome } from "../transaction";
import { renderUser, USER_RESOURCE } from "./resource";
import { userById, userByUserName, userNameLookup, userWithGroups, type Ctx } from "./statements";
import { getResource } from "../generic";

// GET /Users/{id} and GET /Users (filter, sort, paging).

export function getUser(ctx: Ctx, id: string, projection: Projection): Promise<Outcome> {
  return getResource(ctx, USER_RESOURCE, id, projection, async () => {
    const [found] = await userById(ctx.db, wantsAttribute("User", projection, "groups")).execute({ orgId: ctx.orgId, id });
    return found && { row: found.row, related: found.groups ?? undefined };
  });
}

export async function listUsers(ctx: Ctx, q: ListQuery): Promise<Outcome> {
  const withGroups = wantsAttribute("User", q, "groups");
  const userName = userNameLookup(q);
  if (userName !== undefined) {
    // userName is unique in the org: the first page holds every match, so the total is what it holds.
    const found = await userByUserName(ctx.db, withGroups).execute({ orgId: ctx.orgId, userName });
    return listOutcome(ctx, q, found.length, found);
  }
  const filter = q.filter ? compileUserFilter(parseFilter(q.filter)) : undefined;
  const { rows, total } = await listPage(ctx.db, ctx.orgId, USER_RESOURCE, q, filter, (onPage, order) =>
    ctx.db
      .select(userWithGroups(withGroups))
      .from(scimUsers)
      .where(onPage)
      .orderBy(...order),
  );
  return listOutcome(ctx, q, total, rows);
}

function listOutcome(ctx: Ctx, query: ListQuery, total: number, found: { row: UserRow; groups: GroupRef[] | null }[]): Outcome {
  const q = resolveProjection("User", query);
  return {
    status: 200,
    body: listResponse(
      q,
      total,
      found.map(({ row, groups }) => project("User", renderUser(row, ctx.base, groups ?? undefined), q)),
    ),
  };
}
