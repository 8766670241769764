import { getTableColumns, sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn, PgTable } from "drizzle-orm/pg-core";
import type { ScimError } from "@/lib/scim/errors";
import type { Resolver } from "./filter-sql-fields";

/**
 * One SCIM resource type as the storage knows it (users/resource.ts, groups/resource.ts): its table, where each
 * attribute lives (the filter compiler and the sortBy keys read `resolve` and `sort`), the columns a write sets
 * from the resource (`written`, keyed like the table's fields, for the insert and the update alike), and how a row
 * becomes SCIM JSON (`render`). Adding an attribute kept in a column of its own touches this definition and the
 * table; everything else reads it from here.
 */
export type ResourceDefinition<Table extends ListedTable, Row, Input, Related> = {
  type: "User" | "Group";
  /** The core schema URN (sortBy may be qualified with it). */
  core: string;
  table: Table;
  /** Attribute path → column or expression, for filters. */
  resolve: Resolver;
  /** sortBy key (lower-case) → expression; derived from `resolve` (see paging.ts sortKeys). */
  sort: Record<string, SQL>;
  /** The columns a write sets from the resource. */
  written: (input: Input) => Partial<Record<keyof Table["$inferSelect"] & string, unknown>>;
  render: (row: Row, base: string, related?: Related) => Record<string, unknown>;
  notFound: (id: string) => ScimError;
};

/** The table of a SCIM resource: the org column, the insertion sequence (the default order of a list). */
export type ListedTable = PgTable & { orgId: AnyPgColumn; seq: AnyPgColumn };

/**
 * A row read with raw SQL (`select *` / `returning *`, see queryRows) as the typed row drizzle gives: each column's
 * value through that column's own driver mapping (timestamps, bigint as number, jsonb, arrays). The hot write paths
 * send raw statements; this keeps their rows the rows the query builder reads, from the one table definition.
 */
export function rowOf<T extends PgTable>(table: T, raw: Record<string, unknown>): T["$inferSelect"] {
  const out: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    const value = raw[column.name];
    out[key] = value === null || value === undefined ? null : value instanceof Date ? value : column.mapFromDriverValue(value);
  }
  return out as T["$inferSelect"];
}

/**
 * Column values keyed by the table's field names as the parts of a raw INSERT (`names`, `values`) or UPDATE
 * (`assignments`), in one order: the insert and the update of a resource write the same list. A value is a bound
 * parameter, or SQL as given.
 */
export function columnsOf(table: PgTable, values: Record<string, unknown>) {
  const columns = getTableColumns(table);
  const entries = Object.entries(values).map(([key, value]) => {
    const column = columns[key];
    if (!column) throw new Error(`columnsOf: ${key} is not a column of the table`);
    return { name: sql.identifier(column.name), value: isSql(value) ? value : sql`${value}` };
  });
  return {
    names: sql.join(
      entries.map((e) => e.name),
      sql`, `,
    ),
    values: sql.join(
      entries.map((e) => e.value),
      sql`, `,
    ),
    assignments: sql.join(
      entries.map((e) => sql`${e.name} = ${e.value}`),
      sql`, `,
    ),
  };
}

const isSql = (v: unknown): v is SQL => typeof v === "object" && v !== null && "queryChunks" in v;
