import { getEnv } from "@/lib/env";
import { scimBaseUrl } from "@/lib/provisioning/base-url";

/** What an IdP admin pastes: this deployment's region, its app URL and the org's SCIM base URL. */
export function connectionDetails(orgId: string) {
  const env = getEnv();
  return {
    regionName: env.regionName,
    applicationUrl: env.appUrl,
    scimBaseUrl: scimBaseUrl(orgId),
  };
}
