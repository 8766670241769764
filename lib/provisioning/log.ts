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

/** Records one SCIM request. Never throws: a logging failure must not turn a good answer into an error. */
export async function recordEvent(db: DbOrTx, e: ProvisioningEvent): Promise<void> {
  try {
    const [row] = await db
      .insert(provisioningEvents)
      .values({
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
      })
      .returning({ id: provisioningEvents.id });
    if (row && row.id % PRUNE_EVERY === 0) await pruneLog(db, e.orgId);
  } catch (err) {
    logger().error({ err: err instanceof Error ? err.message : String(err), orgId: e.orgId, requestId: e.requestId }, "could not record provisioning event");
  }
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
