// Column helpers and enums shared by the tables.
import { pgEnum, timestamp } from "drizzle-orm/pg-core";

export const createdAt = () => timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow();
export const updatedAt = () => timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow();

/** Member < Admin < Owner. */
export const orgRole = pgEnum("org_role", ["member", "admin", "owner"]);
/** What a group mapping may grant: SCIM never grants Owner. */
export const mappedOrgRole = pgEnum("mapped_org_role", ["member", "admin"]);
/** Where a stack grant comes from: given by hand in the portal, or derived from SCIM group mappings. */
export const grantSource = pgEnum("grant_source", ["manual", "scim"]);
export const credentialKind = pgEnum("credential_kind", ["scim_token", "oauth"]);
export const oauthTokenKind = pgEnum("oauth_token_kind", ["access", "refresh"]);
