/**
 * The one Drizzle schema of the portal (PRODUCT.md's access model), designed for a million SCIM users per org.
 *
 * - Effective access is *materialized*: `memberships.role` is the org role a person has now and `stack_access`
 *   holds their stack roles. For SCIM-managed members both are derived from group memberships and group mappings
 *   by set-based SQL in lib/access (one statement per change, never a loop over users).
 * - Every table that an org's SCIM traffic touches leads with `org_id` in its indexes, so one org's queries never
 *   scan another's rows.
 * - Secrets (passwords, SCIM tokens, OAuth codes and tokens) are stored only as hashes.
 */
import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

const createdAt = () => timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow();
const updatedAt = () => timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow();

/** Member < Admin < Owner. */
export const orgRole = pgEnum("org_role", ["member", "admin", "owner"]);
/** What a group mapping may grant: SCIM never grants Owner. */
export const mappedOrgRole = pgEnum("mapped_org_role", ["member", "admin"]);
/** Where a stack grant comes from: given by hand in the portal, or derived from SCIM group mappings. */
export const grantSource = pgEnum("grant_source", ["manual", "scim"]);
export const credentialKind = pgEnum("credential_kind", ["scim_token", "oauth"]);
export const oauthTokenKind = pgEnum("oauth_token_kind", ["access", "refresh"]);

// ─── People and organizations ────────────────────────────────────────────────────────────────────────────────

export const accounts = pgTable(
  "accounts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** Stored as given; unique case-insensitively. */
    email: text("email").notNull(),
    name: text("name").notNull().default(""),
    /** scrypt hash (lib/auth/password.ts); null for accounts created by SCIM that never set a password. */
    passwordHash: text("password_hash"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("accounts_email_lower_uq").on(sql`lower(${t.email})`)],
);

export const organizations = pgTable(
  "organizations",
  {
    /** Opaque and URL-safe: `blt` + 16 lowercase hex characters (lib/ids.ts); no `_`. */
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    scimEnabled: boolean("scim_enabled").notNull().default(false),
    /** Who last turned SCIM on or off, and when. */
    scimEnabledChangedAt: timestamp("scim_enabled_changed_at", { withTimezone: true }),
    scimEnabledChangedBy: uuid("scim_enabled_changed_by").references(() => accounts.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [check("organizations_id_format", sql`${t.id} ~ '^[a-z0-9]{8,64}$'`)],
);

export const memberships = pgTable(
  "memberships",
  {
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    /** The effective org role now. For SCIM-managed members it is derived from their groups' mappings. */
    role: orgRole("role").notNull().default("member"),
    /** true when the org's IdP manages this person (they have an active SCIM user in the org). */
    scimManaged: boolean("scim_managed").notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.accountId] }),
    index("memberships_account_idx").on(t.accountId),
    // Exactly one Owner per org: at most one here; at least one is kept by the code that changes roles.
    uniqueIndex("memberships_one_owner_uq")
      .on(t.orgId)
      .where(sql`${t.role} = 'owner'`),
    index("memberships_org_role_idx").on(t.orgId, t.role),
  ],
);

// ─── Stacks and their roles ──────────────────────────────────────────────────────────────────────────────────

export const stacks = pgTable(
  "stacks",
  {
    /** Opaque, like org ids (`blt…`). (org_id, id) is unique so children can reference both in one FK. */
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("stacks_org_name_uq").on(t.orgId, sql`lower(${t.name})`), unique("stacks_org_id_uq").on(t.orgId, t.id)],
);

export const BUILT_IN_STACK_ROLES = ["Admin", "Developer", "Content Manager"] as const;

export const stackRoles = pgTable(
  "stack_roles",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    stackId: text("stack_id")
      .notNull()
      .references(() => stacks.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** Admin, Developer and Content Manager exist on every stack and cannot be removed. */
    builtIn: boolean("built_in").notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("stack_roles_stack_name_uq").on(t.stackId, sql`lower(${t.name})`),
    unique("stack_roles_stack_id_uq").on(t.stackId, t.id),
  ],
);

/** A person's roles on a stack (the materialized union of manual grants and SCIM group mappings). */
export const stackAccess = pgTable(
  "stack_access",
  {
    orgId: text("org_id").notNull(),
    stackId: text("stack_id").notNull(),
    accountId: uuid("account_id").notNull(),
    stackRoleId: uuid("stack_role_id").notNull(),
    source: grantSource("source").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.stackId, t.accountId, t.stackRoleId, t.source] }),
    index("stack_access_org_account_idx").on(t.orgId, t.accountId),
    foreignKey({ columns: [t.orgId, t.accountId], foreignColumns: [memberships.orgId, memberships.accountId] }).onDelete("cascade"),
    foreignKey({ columns: [t.orgId, t.stackId], foreignColumns: [stacks.orgId, stacks.id] }).onDelete("cascade"),
    foreignKey({ columns: [t.stackId, t.stackRoleId], foreignColumns: [stackRoles.stackId, stackRoles.id] }).onDelete("cascade"),
  ],
);

// ─── SCIM resources ──────────────────────────────────────────────────────────────────────────────────────────

export const scimUsers = pgTable(
  "scim_users",
  {
    /** The SCIM `id` the IdP keeps; stable across deactivation and reactivation. */
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    /** Insertion order: a stable, indexed default sort for paging. */
    seq: bigint("seq", { mode: "number" }).notNull().generatedAlwaysAsIdentity(),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "restrict" }),
    /** Stored exactly as sent; unique per org case-insensitively. */
    userName: text("user_name").notNull(),
    /** Case-exact, not unique. */
    externalId: text("external_id"),
    active: boolean("active").notNull().default(true),
    displayName: text("display_name"),
    givenName: text("given_name"),
    familyName: text("family_name"),
    /** The primary (else first) email as sent. */
    primaryEmail: text("primary_email"),
    /** Every email value, lower-cased, for indexed `emails.value` filters. */
    emailValues: text("email_values")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** The whole resource as the IdP last set it (core + extensions, minus id, meta, groups, password). */
    resource: jsonb("resource").notNull().$type<Record<string, unknown>>(),
    /** Incremented on every change; the weak ETag is W/"<version>". */
    version: integer("version").notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("scim_users_org_username_uq").on(t.orgId, sql`lower(${t.userName})`),
    uniqueIndex("scim_users_org_account_uq").on(t.orgId, t.accountId),
    uniqueIndex("scim_users_org_seq_uq").on(t.orgId, t.seq),
    unique("scim_users_org_id_uq").on(t.orgId, t.id),
    index("scim_users_org_external_id_idx").on(t.orgId, t.externalId),
    index("scim_users_org_email_idx").on(t.orgId, sql`lower(${t.primaryEmail})`),
    index("scim_users_email_values_gin").using("gin", t.emailValues),
    index("scim_users_org_display_name_idx").on(t.orgId, sql`lower(${t.displayName})`),
    index("scim_users_org_family_name_idx").on(t.orgId, sql`lower(${t.familyName})`),
    index("scim_users_org_updated_idx").on(t.orgId, t.updatedAt),
    index("scim_users_org_created_idx").on(t.orgId, t.createdAt),
    index("scim_users_org_inactive_idx")
      .on(t.orgId)
      .where(sql`not ${t.active}`),
  ],
);

export const scimGroups = pgTable(
  "scim_groups",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    seq: bigint("seq", { mode: "number" }).notNull().generatedAlwaysAsIdentity(),
    /** Unique per org case-insensitively. */
    displayName: text("display_name").notNull(),
    externalId: text("external_id"),
    /** Kept up to date by the membership statements, so counts never scan the member table. */
    memberCount: integer("member_count").notNull().default(0),
    /** Extra attributes the IdP sent (e.g. Microsoft's schema extension), minus id, meta and members. */
    resource: jsonb("resource").notNull().$type<Record<string, unknown>>(),
    version: integer("version").notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("scim_groups_org_display_name_uq").on(t.orgId, sql`lower(${t.displayName})`),
    uniqueIndex("scim_groups_org_seq_uq").on(t.orgId, t.seq),
    unique("scim_groups_org_id_uq").on(t.orgId, t.id),
    index("scim_groups_org_external_id_idx").on(t.orgId, t.externalId),
    index("scim_groups_org_updated_idx").on(t.orgId, t.updatedAt),
  ],
);

/** Group membership, keyed for both directions: a group's members and a user's groups are both index range scans. */
export const scimGroupMembers = pgTable(
  "scim_group_members",
  {
    orgId: text("org_id").notNull(),
    groupId: uuid("group_id").notNull(),
    userId: uuid("user_id").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.groupId, t.userId] }),
    uniqueIndex("scim_group_members_user_group_uq").on(t.userId, t.groupId),
    foreignKey({ columns: [t.orgId, t.groupId], foreignColumns: [scimGroups.orgId, scimGroups.id] }).onDelete("cascade"),
    foreignKey({ columns: [t.orgId, t.userId], foreignColumns: [scimUsers.orgId, scimUsers.id] }).onDelete("cascade"),
  ],
);

// ─── Group mappings: what a SCIM group grants ────────────────────────────────────────────────────────────────

export const groupMappings = pgTable(
  "group_mappings",
  {
    groupId: uuid("group_id").primaryKey(),
    orgId: text("org_id").notNull(),
    orgRole: mappedOrgRole("org_role").notNull().default("member"),
    updatedBy: uuid("updated_by").references(() => accounts.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("group_mappings_org_idx").on(t.orgId),
    foreignKey({ columns: [t.orgId, t.groupId], foreignColumns: [scimGroups.orgId, scimGroups.id] }).onDelete("cascade"),
  ],
);

/** One stack role per (group, stack). */
export const groupMappingStackRoles = pgTable(
  "group_mapping_stack_roles",
  {
    groupId: uuid("group_id")
      .notNull()
      .references(() => groupMappings.groupId, { onDelete: "cascade" }),
    orgId: text("org_id").notNull(),
    stackId: text("stack_id").notNull(),
    stackRoleId: uuid("stack_role_id").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.groupId, t.stackId] }),
    index("group_mapping_stack_roles_stack_idx").on(t.stackId),
    foreignKey({ columns: [t.orgId, t.stackId], foreignColumns: [stacks.orgId, stacks.id] }).onDelete("cascade"),
    foreignKey({ columns: [t.stackId, t.stackRoleId], foreignColumns: [stackRoles.stackId, stackRoles.id] }).onDelete("cascade"),
  ],
);

// ─── Credentials the IdP uses ────────────────────────────────────────────────────────────────────────────────

/** SCIM secret tokens (Entra's "Secret Token", Okta's Bearer/Header modes). */
export const scimTokens = pgTable(
  "scim_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** SHA-256 of the token, hex. */
    tokenHash: text("token_hash").notNull(),
    /** The first characters of the token, to recognise it in lists. */
    prefix: text("prefix").notNull(),
    createdBy: uuid("created_by").references(() => accounts.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("scim_tokens_hash_uq").on(t.tokenHash), index("scim_tokens_org_idx").on(t.orgId, t.createdAt)],
);

/** One consent: an OAuth client (e.g. Okta) allowed by an Owner/Admin to provision one organization. */
export const oauthGrants = pgTable(
  "oauth_grants",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    clientId: text("client_id").notNull(),
    authorizedBy: uuid("authorized_by").references(() => accounts.id, { onDelete: "set null" }),
    scope: text("scope").notNull(),
    createdAt: createdAt(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [index("oauth_grants_org_idx").on(t.orgId, t.createdAt)],
);

export const oauthCodes = pgTable(
  "oauth_codes",
  {
    /** SHA-256 of the code, hex. */
    codeHash: text("code_hash").primaryKey(),
    clientId: text("client_id").notNull(),
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    redirectUri: text("redirect_uri").notNull(),
    scope: text("scope").notNull(),
    codeChallenge: text("code_challenge"),
    codeChallengeMethod: text("code_challenge_method"),
    /** The grant this code created when it was redeemed (a replay revokes it). */
    grantId: uuid("grant_id").references(() => oauthGrants.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    consumedAt: timestamp("consumed_at", { withTimezone: true }),
  },
  (t) => [index("oauth_codes_expires_idx").on(t.expiresAt)],
);

export const oauthTokens = pgTable(
  "oauth_tokens",
  {
    /** SHA-256 of the token, hex. */
    tokenHash: text("token_hash").primaryKey(),
    grantId: uuid("grant_id")
      .notNull()
      .references(() => oauthGrants.id, { onDelete: "cascade" }),
    kind: oauthTokenKind("kind").notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    /** For refresh tokens: when it was exchanged (rotation); a second use revokes the whole grant. */
    usedAt: timestamp("used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [index("oauth_tokens_grant_idx").on(t.grantId)],
);

/**
 * How many SCIM users and groups an org has, kept in a few shards per org so concurrent creates do not queue on
 * one row; an unfiltered list's totalResults is the sum of the shards instead of a count over a million rows.
 */
export const scimResourceCounts = pgTable(
  "scim_resource_counts",
  {
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    resource: text("resource", { enum: ["User", "Group"] }).notNull(),
    shard: integer("shard").notNull(),
    n: bigint("n", { mode: "number" }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.resource, t.shard] })],
);

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

export type Account = typeof accounts.$inferSelect;
export type Organization = typeof organizations.$inferSelect;
export type Membership = typeof memberships.$inferSelect;
export type OrgRole = (typeof orgRole.enumValues)[number];
export type Stack = typeof stacks.$inferSelect;
export type StackRole = typeof stackRoles.$inferSelect;
export type SsoConnection = typeof ssoConnections.$inferSelect;
