import { sql } from "drizzle-orm";
import { queryRows, type Db, type DbOrTx } from "@/db/client";
import { auditEvents } from "@/db/schema";
import { getEnv } from "@/lib/env";
import { logger } from "@/lib/logger";
import { CLOCK_SLACK_MS, firstIdAtOrAfter } from "./query";

/**
 * Retention: audit events older than AUDIT_RETENTION_DAYS are deleted, PRUNE_BATCH per statement until none is
 * left (short statements: no long lock, no huge WAL burst), at server start and every PRUNE_EVERY_MS after, and by
 * `npm run admin -- audit:prune`.
 */
export const PRUNE_BATCH = 10_000;
const PRUNE_EVERY_MS = 6 * 3_600_000;

/**
 * Deletes the events older than `before` (of one org, or of every org), in batches; returns how many went.
 * Every org: the oldest events on the `at` index. One org: its (org_id, id) index up to the first of its ids stamped
 * after `before` (firstIdAtOrAfter: an org's ids follow time), so the walk never passes the events that stay.
 * `skip locked`: servers pruning at the same moment take different rows instead of waiting on each other.
 */
export async function pruneAuditEvents(db: DbOrTx, opts: { before: Date; orgId?: string; batch?: number }): Promise<number> {
  const batch = opts.batch ?? PRUNE_BATCH;
  const before = opts.before.toISOString();
  // One org: only its ids below the first one stamped after the cut-off (with the margin) can be old enough.
  const below = opts.orgId ? await firstIdAtOrAfter(db, opts.orgId, new Date(opts.before.getTime() + CLOCK_SLACK_MS)) : undefined;
  let total = 0;
  for (;;) {
    const pick = opts.orgId
      ? sql`select id from ${auditEvents} where org_id = ${opts.orgId} ${below === undefined ? sql`` : sql`and id < ${below}`}
              and at < ${before}::timestamptz order by id limit ${batch} for update skip locked`
      : sql`select id from ${auditEvents} where at < ${before}::timestamptz order by at limit ${batch} for update skip locked`;
    const deleted = await queryRows<{ n: number | string }>(
      db,
      sql`with gone as (delete from ${auditEvents} where id in (${pick}) returning 1) select count(*)::int as n from gone`,
    );
    const n = Number(deleted[0]?.n ?? 0);
    total += n;
    if (n < batch) return total;
  }
}

/** The cut-off of the configured retention: now minus AUDIT_RETENTION_DAYS. */
export function retentionCutoff(days = getEnv().auditRetentionDays, now = new Date()): Date {
  return new Date(now.getTime() - days * 86_400_000);
}

const globalForPrune = globalThis as unknown as { __auditPruneTimer?: ReturnType<typeof setInterval> };

/** Server start: prune now, then every PRUNE_EVERY_MS (once per process; the timer does not keep it alive). */
export function startAuditRetention(db: Db): void {
  if (globalForPrune.__auditPruneTimer) return;
  const run = async () => {
    try {
      const deleted = await pruneAuditEvents(db, { before: retentionCutoff() });
      if (deleted) logger().info({ deleted, retentionDays: getEnv().auditRetentionDays }, "pruned old audit events");
    } catch (err) {
      logger().error({ err: err instanceof Error ? err.message : String(err) }, "could not prune the audit trail");
    }
  };
  void run();
  globalForPrune.__auditPruneTimer = setInterval(() => void run(), PRUNE_EVERY_MS);
  globalForPrune.__auditPruneTimer.unref();
}
