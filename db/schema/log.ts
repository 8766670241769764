// The provisioning log.
import { sql } from "drizzle-orm";
import { bigint, index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { credentialKind } from "./common";
import { organizations } from "./orgs";

// ─── What the IdP did ────────────────────────────────────────────────────────────────────────────────────────

/** One row per SCIM request, per org; bounded in size per org by pruning the oldest. Secrets are redacted. */
export const provisioningEvents = pgTable(
  "provisioning_events",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    requestId: text("request_id"),
    credentialKind: credentialKind("credential_kind"),
    credentialId: uuid("credential_id"),
    method: text("method").notNull(),
    path: text("path").notNull(),
    status: integer("status").notNull(),
    durationMs: integer("duration_ms").notNull(),
    resourceType: text("resource_type"),
    resourceId: uuid("resource_id"),
    /** The request body with secrets and passwords removed. */
    request: jsonb("request"),
    /** The SCIM error detail the IdP saw, when the request failed. */
    errorDetail: text("error_detail"),
    /** The access changes the request caused (who gained or lost which role). */
    accessChanges: jsonb("access_changes"),
  },
  (t) => [
    index("provisioning_events_org_id_idx").on(t.orgId, t.id),
    index("provisioning_events_org_resource_idx").on(t.orgId, t.resourceId),
    index("provisioning_events_org_errors_idx")
      .on(t.orgId, t.id)
      .where(sql`${t.status} >= 400`),
  ],
);
