import { and, asc, count, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { Db, DbOrTx } from "@/db/client";
import { invalidValue } from "@/lib/scim/errors";
import { totalFromPage, type ListQuery } from "@/lib/scim/query";
import { LIST_RESPONSE_SCHEMA } from "@/lib/scim/schemas";
import { countOf } from "./counts";
import type { Resolver } from "./filter-sql-fields";
import type { ListedTable, ResourceDefinition } from "./resource";
import { quote } from "@/lib/scim/quote";

/**
 * What /Users and /Groups lists share: the order of a page and where its total comes from. Both read a page by a
 * deferred join (the page's keys first — an index-only walk for the default order, however deep — then just those
 * rows).
 */

/** The sort a client asked for (`sortBy`, optionally URN-qualified with the core schema), or 400 if unsupported. */
export function sortExpression(table: Record<string, SQL>, sortBy: string | undefined, core: string): SQL | null {
  if (!sortBy) return null;
  let key = sortBy.toLowerCase();
  if (key.startsWith(core.toLowerCase() + ":")) key = key.slice(core.length + 1);
  const expr = table[key];
  if (!expr) throw invalidValue(`sortBy "${quote(sortBy)}" is not supported. Sort by one of: ${Object.keys(table).join(", ")}.`);
  return expr;
}

/** ORDER BY for a page: the requested sort with insertion order as the tie-break, else insertion order (stable). */
export function listOrder(q: ListQuery, table: Record<string, SQL>, core: string, seq: AnyPgColumn): SQL[] {
  const sort = sortExpression(table, q.sortBy, core);
  const dir = q.sortOrder === "descending" ? desc : asc;
  return sort ? [dir(sort), dir(seq)] : [asc(seq)];
}

/**
 * totalResults: from the page itself when it proves it (see totalFromPage), else from the sharded per-org counter
 * when there is no filter, else from an indexed count of the filter's matches.
 */
export async function listTotal(
  db: DbOrTx,
  orgId: string,
  resource: "User" | "Group",
  q: ListQuery,
  rowsOnPage: number,
  countMatches: () => Promise<number>,
): Promise<number> {
  return totalFromPage(q, rowsOnPage) ?? (q.filter ? await countMatches() : await countOf(db, orgId, resource));
}

/**
 * The sort expressions of a resource, from the same attribute → column map the filter compiler reads
 * (a resource's `resolve`, users/resource.ts): a case-insensitive string sorts by lower(column), anything else by the column itself.
 * `overrides`: sort keys that are not a plain scalar (a user's `emails` sorts by the primary email's column).
 */
export function sortKeys(resolve: Resolver, paths: string[], overrides: Record<string, SQL> = {}): Record<string, SQL> {
  const keys: Record<string, SQL> = {};
  for (const path of paths) {
    const r = resolve(path);
    if (r.kind !== "scalar") throw new Error(`sortKeys: ${path} is not a scalar attribute`);
    keys[path.toLowerCase()] = r.field.type === "string" && !r.field.caseExact ? sql`lower(${r.field.expr})` : r.field.expr;
  }
  return { ...keys, ...overrides };
}

/**
 * One page of a SCIM list (GET /Users, GET /Groups) and its totalResults: the page's keys first (an index-only walk
 * for the default order, however deep), then `read` fetches just those rows in that order.
 */
export async function listPage<T>(
  db: Db,
  orgId: string,
  def: Pick<ResourceDefinition<ListedTable, unknown, never, unknown>, "type" | "table" | "sort" | "core">,
  q: ListQuery,
  filter: SQL | undefined,
  read: (onPage: SQL, order: SQL[]) => Promise<T[]>,
): Promise<{ rows: T[]; total: number }> {
  const { table } = def;
  const where = and(eq(table.orgId, orgId), filter);
  const order = listOrder(q, def.sort, def.core, table.seq);
  const page = db
    .select({ seq: table.seq })
    .from(table)
    .where(where)
    .orderBy(...order)
    .limit(q.count)
    .offset(q.startIndex - 1);
  const rows = q.count > 0 ? await read(and(eq(table.orgId, orgId), inArray(table.seq, page))!, order) : [];
  const total = await listTotal(
    db,
    orgId,
    def.type,
    q,
    rows.length,
    async () => (await db.select({ n: count() }).from(table).where(where))[0]?.n ?? 0,
  );
  return { rows, total };
}

/** The ListResponse envelope of a page. */
export function listResponse(q: ListQuery, total: number, resources: unknown[]) {
  return {
    schemas: [LIST_RESPONSE_SCHEMA],
    totalResults: total,
    startIndex: q.startIndex,
    itemsPerPage: resources.length,
    Resources: resources,
  };
}
