import { and, eq } from "drizzle-orm";
import { scimGroups } from "@/db/schema";
import { isUuid } from "@/lib/ids";
import { parseFilter } from "@/lib/scim/filter";
import { compileGroupFilter } from "../filter-sql";
import { project, wantsAttribute, type ListQuery, type Projection } from "@/lib/scim/query";
import { GROUP_SCHEMA } from "@/lib/scim/schemas";
import { renderGroup } from "../render";
import type { Outcome } from "../transaction";
import { listPage, listResponse, sortKeys } from "../paging";
import { resolveGroup } from "../filter-sql-resources";
import type { Ctx } from "../users";
import { groupNotFound, membersOf, render } from "./statements";

// GET /Groups/{id} and GET /Groups.

export async function getGroup(ctx: Ctx, id: string, projection: Projection): Promise<Outcome> {
  if (!isUuid(id)) throw groupNotFound(id);
  const [row] = await ctx.db
    .select()
    .from(scimGroups)
    .where(and(eq(scimGroups.orgId, ctx.orgId), eq(scimGroups.id, id)))
    .limit(1);
  if (!row) throw groupNotFound(id);
  return { status: 200, resourceId: row.id, version: row.version, body: await render(ctx.db, ctx, row, projection) };
}

/** sortBy: the attributes clients sort on. */
export const GROUP_SORT = sortKeys(resolveGroup, ["id", "displayName", "externalId", "meta.created", "meta.lastModified"]);

export async function listGroups(ctx: Ctx, q: ListQuery): Promise<Outcome> {
  const filter = q.filter ? compileGroupFilter(parseFilter(q.filter)) : undefined;
  const { rows, total } = await listPage(
    ctx.db,
    ctx.orgId,
    "Group",
    q,
    { table: scimGroups, filter, sort: GROUP_SORT, core: GROUP_SCHEMA },
    (onPage, order) =>
      ctx.db
        .select()
        .from(scimGroups)
        .where(onPage)
        .orderBy(...order),
  );
  // excludedAttributes=members never reads the member table.
  const members = wantsAttribute("Group", q, "members")
    ? await membersOf(
        ctx.db,
        rows.map((r) => r.id),
      )
    : undefined;
  return {
    status: 200,
    body: listResponse(
      q,
      total,
      rows.map((r) => project("Group", renderGroup(r, ctx.base, members?.get(r.id)), q)),
    ),
  };
}
