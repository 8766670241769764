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
export { credentialKind, grantSource, mappedOrgRole, oauthTokenKind, orgRole } from "./common";
export * from "./orgs";
export * from "./scim";
export * from "./credentials";
export * from "./sso";
export * from "./log";
export * from "./limits";
export * from "./audit";

import type { orgRole } from "./common";
import type { accounts, memberships, organizations, stackRoles, stacks } from "./orgs";
import type { ssoConnections } from "./sso";
import type { auditEvents, invitations } from "./audit";

export type Account = typeof accounts.$inferSelect;
export type Organization = typeof organizations.$inferSelect;
export type Membership = typeof memberships.$inferSelect;
export type OrgRole = (typeof orgRole.enumValues)[number];
export type Stack = typeof stacks.$inferSelect;
export type StackRole = typeof stackRoles.$inferSelect;
export type SsoConnection = typeof ssoConnections.$inferSelect;
export type AuditEvent = typeof auditEvents.$inferSelect;
export type Invitation = typeof invitations.$inferSelect;
