import { and, count, eq, inArray, sql, type SQL } from "drizzle-orm";
import { scimGroups } from "@/db/schema";
import { isUuid } from "@/lib/ids";
import { parseFilter } from "@/lib/scim/filter";
import { compileGroupFilter } from "../filter-sql";
import { project, wantsAttribute, type ListQuery, type Projection } from "@/lib/scim/query";
import { GROUP_SCHEMA, LIST_RESPONSE_SCHEMA } from "@/lib/scim/schemas";
import { renderGroup } from "../render";
import type { Outcome } from "../transaction";
import { listOrder, listTotal } from "../paging";
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

const GROUP_SORT: Record<string, SQL> = {
  id: sql`${scimGroups.id}`,
  displayname: sql`lower(${scimGroups.displayName})`,
  externalid: sql`${scimGroups.externalId}`,
  "meta.created": sql`${scimGroups.createdAt}`,
  "meta.lastmodified": sql`${scimGroups.updatedAt}`,
};

export async function listGroups(ctx: Ctx, q: ListQuery): Promise<Outcome> {
  const where = and(eq(scimGroups.orgId, ctx.orgId), q.filter ? compileGroupFilter(parseFilter(q.filter)) : undefined);
  const order = listOrder(q, GROUP_SORT, GROUP_SCHEMA, scimGroups.seq);
  const page = ctx.db
    .select({ seq: scimGroups.seq })
    .from(scimGroups)
    .where(where)
    .orderBy(...order)
    .limit(q.count)
    .offset(q.startIndex - 1);
  const rows =
    q.count > 0
      ? await ctx.db
          .select()
          .from(scimGroups)
          .where(and(eq(scimGroups.orgId, ctx.orgId), inArray(scimGroups.seq, page)))
          .orderBy(...order)
      : [];
  const total = await listTotal(
    ctx.db,
    ctx.orgId,
    "Group",
    q,
    rows.length,
    async () => (await ctx.db.select({ n: count() }).from(scimGroups).where(where))[0]?.n ?? 0,
  );
  const members = wantsAttribute("Group", q, "members")
    ? await membersOf(
        ctx.db,
        rows.map((r) => r.id),
      )
    : undefined;
  return {
    status: 200,
    body: {
      schemas: [LIST_RESPONSE_SCHEMA],
      totalResults: total,
      startIndex: q.startIndex,
      itemsPerPage: rows.length,
      Resources: rows.map((r) => project("Group", renderGroup(r, ctx.base, members?.get(r.id)), q)),
    },
  };
}
