import { sql, type SQL } from "drizzle-orm";
import { queryRows, type DbOrTx } from "@/db/client";
import { containsPattern } from "@/db/sql";
import { auditEvents } from "@/db/schema";
import type { AuditAction } from "./actions";

/**
 * Reading an org's audit trail: a page for the Audit log (newest first, keyset on id), batches for the export and
 * the CLI, and the people who appear in it. Orgs may hold millions of events, so every statement walks an index
 * of db/schema/audit.ts over a bounded range — never OFFSET, never a count over the table.
 */

export const AUDIT_PAGE_SIZE = 50;
export const AUDIT_EXPORT_BATCH = 1_000;
/**
 * At most this many events (of those the indexes select) are looked at per page when a filter needs a row's own
 * columns (an email substring, Admin CLI): a page that found fewer matches in that window says so and offers to
 * look further, rather than scan an org's whole history in one request.
 */
export const AUDIT_SCAN_WINDOW = 10_000;
/**
 * Longer than any transaction that records an event runs (statement timeouts are a minute): `at` is its
 * transaction's start, ids are taken at insert, so id order and time order agree to within this.
 */
export const CLOCK_SLACK_MS = 5 * 60_000;

export type AuditFilter = {
  action?: AuditAction;
  /** An account's events (indexed on org, actor account, id), or those of the admin command line. */
  actor?: { accountId: string } | { cli: true };
  /** A piece of the actor's email, matched case-insensitively. */
  email?: string;
  /** Events at or after `from` and before `to`. */
  from?: Date;
  to?: Date;
};

/** Where a page starts: the newest events, those older than `before`, or those newer than `after` (ids). */
export type AuditCursor = { before?: number; after?: number };

export type AuditEventRow = typeof auditEvents.$inferSelect;

type RawRow = {
  id: number | string;
  org_id: string;
  at: Date | string;
  actor_account_id: string | null;
  actor_kind: string;
  actor_email: string | null;
  ip: string | null;
  user_agent: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  target_label: string | null;
  details: Record<string, unknown> | string | null;
  scanned: number | string;
  edge: number | string | null;
};

function toEvent(r: RawRow): AuditEventRow {
  return {
    id: Number(r.id),
    orgId: r.org_id,
    at: r.at instanceof Date ? r.at : new Date(r.at),
    actorAccountId: r.actor_account_id,
    actorKind: r.actor_kind,
    actorEmail: r.actor_email,
    ip: r.ip,
    userAgent: r.user_agent,
    action: r.action,
    targetType: r.target_type,
    targetId: r.target_id,
    targetLabel: r.target_label,
    details: typeof r.details === "string" ? (JSON.parse(r.details) as Record<string, unknown>) : r.details,
  };
}

/**
 * The first id of the org's events stamped at or after `t`, by bisecting the org's ids on its (org_id, id) index
 * (each probe one index lookup; about 30 for a billion ids): an org's events are stamped when their transaction
 * starts and numbered when they are inserted, so within CLOCK_SLACK_MS id order is time order. Undefined when
 * every event is older.
 */
export async function firstIdAtOrAfter(db: DbOrTx, orgId: string, t: Date): Promise<number | undefined> {
  const probe = async (above: number, atMost: number) =>
    (
      await queryRows<{ id: number | string; at: Date | string }>(
        db,
        sql`select id, at from ${auditEvents} where org_id = ${orgId} and id > ${above} and id <= ${atMost} order by id desc limit 1`,
      )
    ).map((r) => ({ id: Number(r.id), at: new Date(r.at) }))[0];
  const newest = await probe(0, Number.MAX_SAFE_INTEGER);
  if (!newest || newest.at < t) return undefined;
  // The answer lies in (lo, hi]: lo is below it (or no event), hi an id stamped at or after t.
  let lo = 0;
  let hi = newest.id;
  for (;;) {
    const mid = Math.floor((lo + hi) / 2);
    if (mid <= lo) return hi;
    const row = await probe(lo, mid);
    if (!row) lo = mid;
    else if (row.at >= t) hi = row.id;
    else lo = row.id;
  }
}

/**
 * A time range as a range of the org's ids (found with a margin of CLOCK_SLACK_MS either side): the walk then
 * stays inside it, and `at` itself is still compared for exactness at the edges.
 */
async function idRange(db: DbOrTx, orgId: string, f: AuditFilter): Promise<{ above?: number; below?: number }> {
  const [low, high] = await Promise.all([
    f.from ? firstIdAtOrAfter(db, orgId, new Date(f.from.getTime() - CLOCK_SLACK_MS)) : undefined,
    f.to ? firstIdAtOrAfter(db, orgId, new Date(f.to.getTime() + CLOCK_SLACK_MS)) : undefined,
  ]);
  // Nothing at or after `from` (less the margin): no event can match; an id range that holds none says so.
  if (f.from && low === undefined) return { above: Number.MAX_SAFE_INTEGER - 1 };
  return { above: low === undefined ? undefined : low - 1, below: high };
}

type Scan = { rows: AuditEventRow[]; scanned: number; edge: number | null };

/**
 * One walk of the org's index in one direction: the indexed conditions (org, action or actor, the id range and
 * cursor) pick at most `window` events; the other conditions (time edges, email, Admin CLI) are applied to those;
 * at most `limit` are returned. `scanned` and `edge` (the last id of the window) tell the caller where to go on.
 */
async function scan(
  db: DbOrTx,
  orgId: string,
  f: AuditFilter,
  range: { above?: number; below?: number },
  direction: "older" | "newer",
  window: number,
  limit: number,
): Promise<Scan> {
  const indexed: SQL[] = [sql`org_id = ${orgId}`];
  if (f.action) indexed.push(sql`action = ${f.action}`);
  if (f.actor && "accountId" in f.actor) indexed.push(sql`actor_account_id = ${f.actor.accountId}`);
  if (f.actor && "cli" in f.actor) indexed.push(sql`actor_account_id is null`);
  if (range.above !== undefined) indexed.push(sql`id > ${range.above}`);
  if (range.below !== undefined) indexed.push(sql`id < ${range.below}`);
  const other: SQL[] = [];
  if (f.from) other.push(sql`at >= ${f.from.toISOString()}::timestamptz`);
  if (f.to) other.push(sql`at < ${f.to.toISOString()}::timestamptz`);
  if (f.email?.trim()) other.push(sql`lower(coalesce(actor_email, '')) like ${containsPattern(f.email)}`);
  if (f.actor && "cli" in f.actor) other.push(sql`actor_kind = 'cli'`);
  const order = direction === "older" ? sql`desc` : sql`asc`;
  const edge = direction === "older" ? sql`min(id)` : sql`max(id)`;
  const rows = await queryRows<RawRow>(
    db,
    sql`with w as materialized (
          select * from ${auditEvents} where ${sql.join(indexed, sql` and `)} order by id ${order} limit ${window}
        ), stats as (select count(*)::int as scanned, ${edge} as edge from w)
        select w.*, stats.scanned, stats.edge from stats left join w on ${other.length ? sql.join(other, sql` and `) : sql`true`}
        order by w.id ${order} nulls last limit ${limit}`,
  );
  const stats = rows[0];
  return {
    rows: rows.filter((r) => r.id !== null).map(toEvent),
    scanned: Number(stats?.scanned ?? 0),
    edge: stats?.edge == null ? null : Number(stats.edge),
  };
}

/** A filter needs the window when it compares what no index of the walk holds. */
function needsWindow(f: AuditFilter): boolean {
  // The time edges need none: inside the id range nearly every event is in the time range.
  return Boolean(f.email?.trim() || (f.actor && "cli" in f.actor));
}

export type AuditPage = {
  /** Newest first. */
  rows: AuditEventRow[];
  /** The cursors of the Older and Newer links (null: nothing there). */
  older: number | null;
  newer: number | null;
  /** True when the page stopped at the scan window rather than at AUDIT_PAGE_SIZE matches (see AUDIT_SCAN_WINDOW). */
  windowed: boolean;
};

/** One page of an org's events, newest first, from a cursor. */
export async function auditPage(db: DbOrTx, orgId: string, f: AuditFilter, cursor: AuditCursor = {}): Promise<AuditPage> {
  const range = await idRange(db, orgId, f);
  const direction = cursor.after !== undefined && cursor.before === undefined ? "newer" : "older";
  if (direction === "older" && cursor.before !== undefined) range.below = Math.min(range.below ?? Infinity, cursor.before);
  if (direction === "newer") range.above = Math.max(range.above ?? -Infinity, cursor.after!);
  const window = needsWindow(f) ? AUDIT_SCAN_WINDOW : AUDIT_PAGE_SIZE + 1;
  const found = await scan(db, orgId, f, range, direction, window, AUDIT_PAGE_SIZE + 1);
  const more = found.rows.length > AUDIT_PAGE_SIZE;
  const rows = found.rows.slice(0, AUDIT_PAGE_SIZE);
  // Further in the walk's direction: the page is full (go on after its last row), or the window was (after its edge).
  const onward = more ? rows.at(-1)!.id : found.scanned === window ? found.edge : null;
  const windowed = !more && onward !== null;
  if (direction === "older") {
    // Back towards the newest: after the newest row shown (or from the cursor itself when nothing matched).
    const newer = cursor.before === undefined ? null : rows.length ? rows[0]!.id : cursor.before - 1;
    return { rows, older: onward, newer, windowed };
  }
  const older = rows.length ? rows[0]!.id : cursor.after! + 1;
  return { rows: rows.reverse(), older, newer: onward, windowed };
}

/**
 * Every event of an org that the filter matches, newest first, AUDIT_EXPORT_BATCH index entries per statement
 * (a cursor on id): what the export streams and the CLI prints. Memory holds one batch.
 */
export async function* auditBatches(
  db: DbOrTx,
  orgId: string,
  f: AuditFilter,
  batch = AUDIT_EXPORT_BATCH,
): AsyncGenerator<AuditEventRow[]> {
  const range = await idRange(db, orgId, f);
  for (;;) {
    const found = await scan(db, orgId, f, range, "older", batch, batch);
    if (found.rows.length) yield found.rows;
    if (found.scanned < batch || found.edge === null) return;
    range.below = found.edge;
  }
}

export type AuditActorOption = { accountId: string; email: string };

/** How many of the newest events the person filter's list is drawn from, and how many people it lists. */
const ACTORS_FROM_EVENTS = 10_000;
const ACTORS_MAX = 200;

/**
 * The people who acted most recently in the org (for the person filter): the distinct accounts among its newest
 * ACTORS_FROM_EVENTS events, most recent first, at most ACTORS_MAX, each with the email of their latest event.
 * Anyone else is found with the email search.
 */
export async function auditActors(db: DbOrTx, orgId: string): Promise<AuditActorOption[]> {
  const rows = await queryRows<{ actor_account_id: string; actor_email: string | null }>(
    db,
    sql`select actor_account_id, actor_email from (
          select distinct on (actor_account_id) actor_account_id, actor_email, id from (
            select actor_account_id, actor_email, id from ${auditEvents} where org_id = ${orgId} order by id desc limit ${ACTORS_FROM_EVENTS}
          ) newest where actor_account_id is not null order by actor_account_id, id desc
        ) latest order by id desc limit ${ACTORS_MAX}`,
  );
  return rows.map((r) => ({ accountId: r.actor_account_id, email: r.actor_email ?? r.actor_account_id }));
}
