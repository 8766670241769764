// What people did in Org Admin: the audit trail, and the invitations that bring people in by hand.
import { sql } from "drizzle-orm";
import { bigint, check, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, orgRole } from "./common";
import { accounts, organizations } from "./orgs";

// ─── The audit trail ─────────────────────────────────────────────────────────────────────────────────────────

/**
 * One row per admin action (and per sign-in), per org, written in the transaction of the action it records — so an
 * action that rolled back left no row, and no action is without one. The actor's email is kept as it was (the trail
 * outlives a renamed or removed account). Pruned by age (AUDIT_RETENTION_DAYS). Read newest first by (org_id, id).
 */
export const auditEvents = pgTable(
  "audit_events",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    /** The person who acted; null for the admin command line and for events with no person (a refused sign-in for an unknown email). */
    actorAccountId: uuid("actor_account_id").references(() => accounts.id, { onDelete: "set null" }),
    /** How they acted: `web` (a signed-in person), `cli` (the admin command line), `sso` / `password` (a sign-in). */
    actorKind: text("actor_kind").notNull(),
    actorEmail: text("actor_email"),
    ip: text("ip"),
    userAgent: text("user_agent"),
    /** What happened, from lib/audit/actions.ts (`scim.enabled`, `member.invited`, …). */
    action: text("action").notNull(),
    /** What it was done to: its kind (`member`, `group`, `token`, …), id and a readable name as it was then. */
    targetType: text("target_type"),
    targetId: text("target_id"),
    targetLabel: text("target_label"),
    /** What changed (before/after, the counts a mapping save reported, a refusal's reason). */
    details: jsonb("details").$type<Record<string, unknown>>(),
  },
  (t) => [
    index("audit_events_org_id_idx").on(t.orgId, t.id),
    index("audit_events_org_action_idx").on(t.orgId, t.action, t.id),
    index("audit_events_org_actor_idx").on(t.orgId, t.actorAccountId, t.id),
    index("audit_events_at_idx").on(t.at),
    check("audit_events_actor_kind", sql`${t.actorKind} in ('web', 'cli', 'sso', 'password', 'system')`),
  ],
);

// ─── Invitations ─────────────────────────────────────────────────────────────────────────────────────────────

/**
 * An invitation to join an org with a role (Admin or Member), opened through a link that carries a secret; only its
 * SHA-256 is stored. Single-use (accepted_at), revocable (revoked_at), expiring (expires_at). At most one open
 * invitation per org and email: inviting again replaces the earlier one.
 */
export const invitations = pgTable(
  "invitations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    email: text("email").notNull(),
    role: orgRole("role").notNull(),
    tokenHash: text("token_hash").notNull(),
    invitedBy: uuid("invited_by").references(() => accounts.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    acceptedAt: timestamp("accepted_at", { withTimezone: true }),
    acceptedBy: uuid("accepted_by").references(() => accounts.id, { onDelete: "set null" }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("invitations_token_hash_uq").on(t.tokenHash),
    uniqueIndex("invitations_open_email_uq")
      .on(t.orgId, sql`lower(${t.email})`)
      .where(sql`${t.acceptedAt} is null and ${t.revokedAt} is null`),
    index("invitations_org_idx").on(t.orgId, t.createdAt),
    check("invitations_role", sql`${t.role} in ('admin', 'member')`),
  ],
);
