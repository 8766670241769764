// For tests of the actions the audit trail records: an org's events, oldest first, and the actors tests act as.
import { asc, eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { auditEvents } from "@/db/schema";
import type { AuditActor } from "./record";

export function auditEventsOf(db: DbOrTx, orgId: string) {
  return db.select().from(auditEvents).where(eq(auditEvents.orgId, orgId)).orderBy(asc(auditEvents.id));
}

/** The origin a test's requests come from (what webActor and the sign-ins read from the request's headers). */
export const TEST_ORIGIN = { ip: "203.0.113.7", userAgent: "vitest" };

/** A signed-in person in Org Admin, as webActor makes them from the request. */
export const testWebActor = (account: { id: string; email: string }): AuditActor => ({
  kind: "web",
  accountId: account.id,
  email: account.email,
  ...TEST_ORIGIN,
});

/** What an event records of a web actor, to match a row against. */
export const byWeb = (account: { id: string; email: string }) => ({
  actorKind: "web",
  actorAccountId: account.id,
  actorEmail: account.email,
  ip: TEST_ORIGIN.ip,
  userAgent: TEST_ORIGIN.userAgent,
});
