import { getEnv } from "@/lib/env";

/** `{SCIM origin}/scim/v2.0/organizations/{orgId}`: the org's SCIM Base URL (also where meta.location points). */
export function scimBaseUrl(orgId: string): string {
  return `${getEnv().scimOrigin}/scim/v2.0/organizations/${orgId}`;
}
