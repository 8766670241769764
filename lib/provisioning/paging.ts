import { asc, desc, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { DbOrTx } from "@/db/client";
import { invalidValue } from "@/lib/scim/errors";
import { totalFromPage, type ListQuery } from "@/lib/scim/query";
import { countOf } from "./counts";

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
  if (!expr) throw invalidValue(`sortBy "${sortBy}" is not supported. Sort by one of: ${Object.keys(table).join(", ")}.`);
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
