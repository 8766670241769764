// People, organizations, their memberships, stacks and stack access.
import { sql } from "drizzle-orm";
import { boolean, check, foreignKey, index, pgTable, primaryKey, text, timestamp, unique, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, grantSource, orgRole, updatedAt } from "./common";

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
