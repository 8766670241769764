import { and, desc, eq, lt, sql } from "drizzle-orm";
import { queryRows, type DbOrTx } from "@/db/client";
import { provisioningEvents } from "@/db/schema";
import { logger } from "@/lib/logger";
import type { AccessEffect } from "./transaction";

/** The log keeps this many events per organization; older ones are pruned. */
export const LOG_MAX_PER_ORG = 100_000;
const PRUNE_EVERY = 500;

export type ProvisioningEvent = {
  orgId: string;
  requestId: string;
  credentialKind?: "scim_token" | "oauth";
  credentialId?: string;
  method: string;
  path: string;
  status: number;
  durationMs: number;
  resourceType?: string;
  resourceId?: string;
  request?: unknown;
  errorDetail?: string;
  access?: AccessEffect;
};

function accessSummary(a: AccessEffect | undefined) {
  if (!a) return null;
  const empty = !a.membership && a.roleChanges + a.stackGrants + a.stackRevocations === 0;
  return empty ? null : a;
}

/** An event as a row, in the database's column names (written as one JSON document per batch). */
function toRow(e: ProvisioningEvent) {
  return {
    org_id: e.orgId,
    at: new Date().toISOString(),
    request_id: e.requestId,
    credential_kind: e.credentialKind ?? null,
    credential_id: e.credentialId ?? null,
    method: e.method,
    path: e.path.slice(0, 2000),
    status: e.status,
    duration_ms: Math.round(e.durationMs),
    resource_type: e.resourceType ?? null,
    resource_id: e.resourceId ?? null,
    request: e.request ?? null,
    error_detail: e.errorDetail ?? null,
    access_changes: accessSummary(e.access),
  };
}

/**
 * Events wait here briefly and are written in one multi-row insert (at most FLUSH_MS later, or at once when
 * BATCH_MAX are waiting), so recording a request adds no database round trip to it. A crash can lose the last
 * FLUSH_MS of events; a normal shutdown flushes them.
 */
const FLUSH_MS = 50;
const BATCH_MAX = 500;
type Pending = { db: DbOrTx; rows: ReturnType<typeof toRow>[]; timer?: ReturnType<typeof setTimeout>; flushing?: Promise<void> };
const globalForLog = globalThis as unknown as { __provisioningLog?: Pending };

/** The batch as JSON; NUL characters (which PostgreSQL text and jsonb refuse) become U+FFFD rather than losing it. */
function batchJson(rows: ReturnType<typeof toRow>[]): string {
  const json = JSON.stringify(rows);
  return json.includes("\\u0000")
    ? JSON.stringify(rows, (_k, v: unknown) => (typeof v === "string" ? v.replace(/\0/g, "\uFFFD") : v))
    : json;
}

/** One multi-row insert of a batch (one parameter however many events: the batch as JSON, unpacked by the database). */
function insertRows(db: DbOrTx, rows: ReturnType<typeof toRow>[]) {
  return queryRows<{ id: number | string; org_id: string }>(
    db,
    sql`insert into ${provisioningEvents} (org_id, at, request_id, credential_kind, credential_id, method, path, status, duration_ms, resource_type, resource_id, request, error_detail, access_changes)
        select org_id, at, request_id, credential_kind, credential_id, method, path, status, duration_ms, resource_type, resource_id, request, error_detail, access_changes
        from jsonb_to_recordset(${batchJson(rows)}::jsonb) as x(org_id text, at timestamptz, request_id text, credential_kind credential_kind, credential_id uuid,
          method text, path text, status int, duration_ms int, resource_type text, resource_id uuid, request jsonb, error_detail text, access_changes jsonb)
        returning id, org_id`,
  ).then((r) => r.map((w) => ({ id: Number(w.id), orgId: w.org_id })));
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * Writes a batch in one statement. If that fails (one event the database refuses — its org deleted meanwhile,
 * say — fails the whole statement), each event is written on its own, so only the refused ones are lost (and
 * logged); the other events of the batch, other tenants' included, are kept.
 */
async function writeBatch(db: DbOrTx, rows: ReturnType<typeof toRow>[]): Promise<void> {
  let written: { id: number; orgId: string }[] = [];
  try {
    written = await insertRows(db, rows);
  } catch (err) {
    if (rows.length === 1) {
      logger().error(
        { err: errorText(err), orgId: rows[0]!.org_id, requestId: rows[0]!.request_id },
        "could not record a provisioning event",
      );
      return;
    }
    for (const row of rows) {
      try {
        written.push(...(await insertRows(db, [row])));
      } catch (one) {
        logger().error({ err: errorText(one), orgId: row.org_id, requestId: row.request_id }, "could not record a provisioning event");
      }
    }
  }
  try {
    // Prune an org now and then (its ids are increasing): when one of the new ids crosses a multiple of PRUNE_EVERY.
    const orgs = new Set(written.filter((w) => w.id % PRUNE_EVERY === 0).map((w) => w.orgId));
    for (const orgId of orgs) await pruneLog(db, orgId);
  } catch (err) {
    logger().error({ err: errorText(err) }, "could not prune the provisioning log");
  }
}

/**
 * Writes whatever is waiting, and returns once every event recorded before the call is in the table — also those a
 * flush started by the timer is still writing. The server calls it on shutdown; tests call it before reading the log.
 */
export async function flushProvisioningLog(): Promise<void> {
  const pending = globalForLog.__provisioningLog;
  if (!pending) return;
  while (pending.flushing || pending.rows.length) {
    if (pending.flushing) {
      await pending.flushing;
      continue;
    }
    if (pending.timer) clearTimeout(pending.timer);
    pending.timer = undefined;
    const flushing = writeBatch(pending.db, pending.rows.splice(0)).finally(() => {
      if (pending.flushing === flushing) pending.flushing = undefined;
    });
    pending.flushing = flushing;
    await flushing;
  }
}

/** Records one SCIM request (batched, see above). Never throws. */
export function recordEvent(db: DbOrTx, e: ProvisioningEvent): void {
  let pending = globalForLog.__provisioningLog;
  if (!pending || pending.db !== db) {
    if (pending?.rows.length) void writeBatch(pending.db, pending.rows.splice(0));
    if (pending?.timer) clearTimeout(pending.timer);
    pending = globalForLog.__provisioningLog = { db, rows: [] };
  }
  pending.rows.push(toRow(e));
  if (pending.rows.length >= BATCH_MAX) void flushProvisioningLog();
  else pending.timer ??= setTimeout(() => void flushProvisioningLog(), FLUSH_MS);
}

/** Deletes an org's events beyond the newest LOG_MAX_PER_ORG (index range scan on (org_id, id)). */
export async function pruneLog(db: DbOrTx, orgId: string, keep = LOG_MAX_PER_ORG): Promise<number> {
  const [edge] = await queryRows<{ id: number }>(
    db,
    sql`select id from ${provisioningEvents} where org_id = ${orgId} order by id desc offset ${keep} limit 1`,
  );
  if (!edge) return 0;
  const deleted = await db
    .delete(provisioningEvents)
    .where(and(eq(provisioningEvents.orgId, orgId), lt(provisioningEvents.id, Number(edge.id) + 1)))
    .returning({ id: provisioningEvents.id });
  return deleted.length;
}

export async function recentEvents(db: DbOrTx, orgId: string, limit = 50) {
  return db.select().from(provisioningEvents).where(eq(provisioningEvents.orgId, orgId)).orderBy(desc(provisioningEvents.id)).limit(limit);
}
