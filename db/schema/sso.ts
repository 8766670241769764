// Single sign-on: each organization's OpenID Provider and the identities it signed in.
import { boolean, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, updatedAt } from "./common";
import { accounts, organizations } from "./orgs";

// ─── Single sign-on: each organization's own OpenID Provider ───────────────────────────────────────────────

/** never tested · the last round trip worked · the last round trip failed (with its error). */
export const ssoStatus = pgEnum("sso_status", ["untested", "working", "failing"]);

/**
 * An organization's OpenID Connect connection (at most one). The client secret is stored encrypted (AES-256-GCM,
 * lib/sso/secret-box.ts) and never shown again after saving.
 */
export const ssoConnections = pgTable("sso_connections", {
  orgId: text("org_id")
    .primaryKey()
    .references(() => organizations.id, { onDelete: "cascade" }),
  /** The issuer exactly as its discovery document states it (https, or http on localhost/127.0.0.1). */
  issuer: text("issuer").notNull(),
  clientId: text("client_id").notNull(),
  clientSecretEncrypted: text("client_secret_encrypted").notNull(),
  /** Accept the IdP's `email` without `email_verified` (Entra ID sends no such claim). */
  emailAuthoritative: boolean("email_authoritative").notNull().default(false),
  /** Members sign in only through the IdP; the Owner keeps password sign-in as break-glass. */
  requireSso: boolean("require_sso").notNull().default(false),
  status: ssoStatus("status").notNull().default("untested"),
  lastError: text("last_error"),
  /** When the connection last completed (or failed) a round trip, and the claims of the last Test sign-in. */
  lastCheckedAt: timestamp("last_checked_at", { withTimezone: true }),
  lastTestClaims: jsonb("last_test_claims").$type<Record<string, unknown>>(),
  updatedBy: uuid("updated_by").references(() => accounts.id, { onDelete: "set null" }),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/**
 * An IdP identity (`sub` at one issuer) linked to an account for one org, on its first accepted sign-in. Later
 * sign-ins match on it (an email change at the IdP does not break sign-in); one identity per account per issuer.
 */
export const ssoIdentities = pgTable(
  "sso_identities",
  {
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    issuer: text("issuer").notNull(),
    subject: text("subject").notNull(),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    lastSignInAt: timestamp("last_sign_in_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.issuer, t.subject] }),
    uniqueIndex("sso_identities_org_issuer_account_uq").on(t.orgId, t.issuer, t.accountId),
  ],
);
