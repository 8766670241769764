import { getEnv } from "@/lib/env";

/** `{SCIM origin}/scim/v2.0/organizations/{orgId}`: the org's SCIM Base URL (also where meta.location points). */
export function scimBaseUrl(orgId: string): string {
  return `${getEnv().scimOrigin}/scim/v2.0/organizations/${orgId}`;
}

/** What an IdP admin pastes: this deployment's region, its app URL and the org's SCIM base URL. */
export function connectionDetails(orgId: string) {
  const env = getEnv();
  return {
    regionName: env.regionName,
    applicationUrl: env.appUrl,
    scimBaseUrl: scimBaseUrl(orgId),
  };
}
