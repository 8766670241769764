// For tests of the actions the audit trail records: an org's events, oldest first, and the actors tests act as.
import { asc, eq } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { uniqueSuffix } from "@/db/test-support";
import { createOrganization } from "@/lib/orgs/create-organization";
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

/** A new org and its Owner (a new account), with nothing in its audit trail yet. */
export async function orgWithOwner(db: Db, name: string): Promise<{ orgId: string; owner: { id: string; email: string } }> {
  const email = `owner.${uniqueSuffix()}@example.com`;
  const { org, ownerAccountId } = await createOrganization(db, { name, ownerEmail: email, ownerPassword: "password-123" });
  return { orgId: org.id, owner: { id: ownerAccountId, email } };
}
