import { and, eq } from "drizzle-orm";
import { scimGroups } from "@/db/schema";
import { parseFilter } from "@/lib/scim/filter";
import { compileGroupFilter } from "../filter-sql";
import { project, resolveProjection, wantsAttribute, type ListQuery, type Projection } from "@/lib/scim/query";
import type { Outcome } from "../transaction";
import { listPage, listResponse } from "../paging";
import type { Ctx } from "../users";
import { GROUP_RESOURCE, renderGroup } from "./resource";
import { membersIfWanted, membersOf } from "./statements";
import { getResource } from "../generic";

// GET /Groups/{id} and GET /Groups.

export function getGroup(ctx: Ctx, id: string, projection: Projection): Promise<Outcome> {
  return getResource(ctx, GROUP_RESOURCE, id, projection, async () => {
    const [row] = await ctx.db
      .select()
      .from(scimGroups)
      .where(and(eq(scimGroups.orgId, ctx.orgId), eq(scimGroups.id, id)))
      .limit(1);
    return row && { row, related: await membersIfWanted(ctx.db, row.id, projection) };
  });
}

export async function listGroups(ctx: Ctx, q: ListQuery): Promise<Outcome> {
  const filter = q.filter ? compileGroupFilter(parseFilter(q.filter)) : undefined;
  const { rows, total } = await listPage(ctx.db, ctx.orgId, GROUP_RESOURCE, q, filter, (onPage, order) =>
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
  const projection = resolveProjection("Group", q);
  return {
    status: 200,
    body: listResponse(
      q,
      total,
      rows.map((r) => project("Group", renderGroup(r, ctx.base, members?.get(r.id)), projection)),
    ),
  };
}
