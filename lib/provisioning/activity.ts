import { and, asc, eq, gte, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { provisioningActivity } from "@/db/schema";

/**
 * The SCIM page's activity chart: requests and errors per hour for the last 24 hours, or per day for the last 30
 * days (UTC), read from the hourly counters the log's batch insert maintains (log.ts) — at most 720 rows of the
 * (org_id, hour) primary key, never the log itself. Buckets without requests are there with zeros.
 */

export type ActivityRange = "24h" | "30d";
export type ActivityBucket = { start: Date; end: Date; requests: number; errors: number };

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const ACTIVITY_RANGES: Record<ActivityRange, { step: number; buckets: number }> = {
  "24h": { step: HOUR, buckets: 24 },
  "30d": { step: DAY, buckets: 30 },
};

export async function activity(db: DbOrTx, orgId: string, range: ActivityRange, now = new Date()): Promise<ActivityBucket[]> {
  const { step, buckets } = ACTIVITY_RANGES[range];
  const last = Math.floor(now.getTime() / step) * step; // the current hour or UTC day
  const first = last - (buckets - 1) * step;
  const unit = range === "24h" ? "hour" : "day";
  const rows = await db
    .select({
      start: sql<string>`date_trunc(${unit}, ${provisioningActivity.hour}, 'UTC')`.as("start"),
      requests: sql<number>`sum(${provisioningActivity.requests})::int`,
      errors: sql<number>`sum(${provisioningActivity.errors})::int`,
    })
    .from(provisioningActivity)
    .where(and(eq(provisioningActivity.orgId, orgId), gte(provisioningActivity.hour, new Date(first))))
    .groupBy(sql`1`)
    .orderBy(asc(sql`1`));
  const found = new Map(rows.map((r) => [new Date(r.start).getTime(), r]));
  return Array.from({ length: buckets }, (_, i) => {
    const start = first + i * step;
    const row = found.get(start);
    return { start: new Date(start), end: new Date(start + step), requests: row?.requests ?? 0, errors: row?.errors ?? 0 };
  });
}
