// For tests of the actions the audit trail records: an org's events, oldest first.
import { asc, eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { auditEvents } from "@/db/schema";

export function auditEventsOf(db: DbOrTx, orgId: string) {
  return db.select().from(auditEvents).where(eq(auditEvents.orgId, orgId)).orderBy(asc(auditEvents.id));
}

/** The origin a test's web actor comes from (what webActor reads from the request). */
export const TEST_ORIGIN = { ip: "203.0.113.7", userAgent: "vitest" };
