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

function toRow(e: ProvisioningEvent) {
  return {
        orgId: e.orgId,
        requestId: e.requestId,
        credentialKind: e.credentialKind ?? null,
        credentialId: e.credentialId ?? null,
        method: e.method,
        path: e.path.slice(0, 2000),
        status: e.status,
        durationMs: Math.round(e.durationMs),
        resourceType: e.resourceType ?? null,
        resourceId: e.resourceId ?? null,
        request: e.request ?? null,
        errorDetail: e.errorDetail ?? null,
        accessChanges: accessSummary(e.access),
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

async function writeBatch(db: DbOrTx, rows: ReturnType<typeof toRow>[]): Promise<void> {
  try {
    const written = await db.insert(provisioningEvents).values(rows).returning({ id: provisioningEvents.id, orgId: provisioningEvents.orgId });
    // Prune an org now and then (its ids are increasing): when one of the new ids crosses a multiple of PRUNE_EVERY.
    const orgs = new Set(written.filter((w) => w.id % PRUNE_EVERY === 0).map((w) => w.orgId));
    for (const orgId of orgs) await pruneLog(db, orgId);
  } catch (err) {
    logger().error({ err: err instanceof Error ? err.message : String(err), events: rows.length }, "could not record provisioning events");
  }
}

/** Writes whatever is waiting. The server calls it on shutdown; tests call it before reading the log. */
export async function flushProvisioningLog(): Promise<void> {
  const pending = globalForLog.__provisioningLog;
  if (!pending) return;
  await pending.flushing;
  if (pending.timer) clearTimeout(pending.timer);
  pending.timer = undefined;
  const rows = pending.rows.splice(0);
  if (rows.length) {
    pending.flushing = writeBatch(pending.db, rows);
    await pending.flushing;
    pending.flushing = undefined;
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
    sql`select id from provisioning_events where org_id = ${orgId} order by id desc offset ${keep} limit 1`,
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
