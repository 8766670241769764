/**
 * Every action the audit trail records, with the words the Audit log page shows for it. The key is what is stored
 * (`audit_events.action`); adding an action is adding a line here.
 */
export const AUDIT_ACTIONS = {
  "scim.enabled": "Turned SCIM on",
  "scim.disabled": "Turned SCIM off",
  "scim_token.created": "Created a SCIM secret token",
  "scim_token.revoked": "Revoked a SCIM secret token",
  "oauth_app.connected": "Connected an OAuth app",
  "oauth_app.revoked": "Revoked an OAuth app",
  "mapping.created": "Mapped a group",
  "mapping.changed": "Changed a group mapping",
  "mapping.removed": "Removed a group mapping",
  "stack.created": "Created a stack",
  "stack_role.created": "Created a custom stack role",
  "sso.configured": "Configured SSO",
  "sso.changed": "Changed SSO",
  "sso.disabled": "Turned SSO off",
  "sso.required": "Required SSO",
  "sso.optional": "Made SSO optional",
  "sign_in.sso": "Signed in with SSO",
  "sign_in.sso_refused": "SSO sign-in refused",
  "sign_in.password": "Signed in with a password",
  "member.invited": "Invited a member",
  "invitation.revoked": "Revoked an invitation",
  "invitation.accepted": "Accepted an invitation",
  "member.role_changed": "Changed a member's role",
  "member.removed": "Removed a member",
  "ownership.transferred": "Transferred ownership",
  "member.handed_to_scim": "Handed a member to SCIM",
} as const;

export type AuditAction = keyof typeof AUDIT_ACTIONS;

export function isAuditAction(s: string): s is AuditAction {
  return Object.hasOwn(AUDIT_ACTIONS, s);
}

/** The page's words for an action; an unknown one (from a newer version) as stored. */
export function auditActionLabel(action: string): string {
  return isAuditAction(action) ? AUDIT_ACTIONS[action] : action;
}
