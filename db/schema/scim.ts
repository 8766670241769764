// What the IdP provisions (SCIM users, groups, members), what a group grants (mappings), and the per-org resource counters.
import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { createdAt, mappedOrgRole, updatedAt } from "./common";
import { accounts, organizations, stackRoles, stacks } from "./orgs";

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
    // Deactivated users by id: filters on `active eq false`, and how many of a group's members are inactive (the
    // member count minus that is the people with access), as index-only probes of the member table's (user_id, group_id).
    index("scim_users_org_inactive_idx")
      .on(t.orgId, t.id)
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
