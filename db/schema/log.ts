// The provisioning log.
import { sql } from "drizzle-orm";
import { bigint, index, integer, json, jsonb, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
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
    /**
     * The request body with secrets and passwords removed, as written by rows before migration 0007 (jsonb: its keys
     * come back reordered). Newer rows leave it null and keep the body in `request_body`.
     */
    request: jsonb("request"),
    /** The request body, redacted and bounded (redact.ts), as json text: the keys in the order the IdP sent them. */
    requestBody: json("request_body"),
    /** The answer of a successful request, redacted and bounded the same way. */
    responseBody: json("response_body"),
    /** What happened, in words, computed when the event was recorded ("Created alice@example.org — joined as Member"). */
    summary: text("summary"),
    /** Who made the request, as named then: the SCIM token's name, the OAuth app's name, or the admin's email. */
    credentialName: text("credential_name"),
    /** The SCIM error detail the IdP saw, when the request failed. */
    errorDetail: text("error_detail"),
    /** The access changes the request caused (who gained or lost which role). */
    accessChanges: jsonb("access_changes"),
  },
  (t) => [
    index("provisioning_events_org_id_idx").on(t.orgId, t.id),
    index("provisioning_events_org_resource_idx").on(t.orgId, t.resourceId),
    index("provisioning_events_org_at_idx").on(t.orgId, t.at),
    index("provisioning_events_org_errors_idx")
      .on(t.orgId, t.id)
      .where(sql`${t.status} >= 400`),
  ],
);

/**
 * The people an event touched besides its own resource (a group PATCH's added and removed members, the people a
 * mapping save changed): at most PEOPLE_PER_EVENT per event, written in the statement that writes the event. A
 * person's history is an index range scan on (org_id, user_id, event_id); the rows go with their event.
 */
export const provisioningEventPeople = pgTable(
  "provisioning_event_people",
  {
    orgId: text("org_id").notNull(),
    /** The SCIM user (no foreign key: a user's history is read while they exist, and a deleted user takes nothing with them). */
    userId: uuid("user_id").notNull(),
    eventId: bigint("event_id", { mode: "number" })
      .notNull()
      .references(() => provisioningEvents.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.userId, t.eventId] }), index("provisioning_event_people_event_idx").on(t.eventId)],
);

/**
 * SCIM requests and errors per org per hour (UTC), upserted by the statement that writes each batch of the log: the
 * SCIM page's activity chart reads at most 720 of these rows, never the log. Pruned with the log (older than 40 days).
 */
export const provisioningActivity = pgTable(
  "provisioning_activity",
  {
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    hour: timestamp("hour", { withTimezone: true }).notNull(),
    requests: integer("requests").notNull(),
    errors: integer("errors").notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.hour] })],
);
