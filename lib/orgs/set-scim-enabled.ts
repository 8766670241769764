import { eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { organizations, type Organization } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { forgetCredentials } from "@/lib/credentials/credential-cache";

/**
 * Turns SCIM on or off for an organization, recording who and when. Turning it off refuses the IdP's calls
 * (403) and changes nothing else: users keep their access, groups and mappings are kept.
 */
export async function setScimEnabled(db: DbOrTx, orgId: string, enabled: boolean, byAccountId: string | null): Promise<Organization> {
  const [org] = await db
    .update(organizations)
    .set({ scimEnabled: enabled, scimEnabledChangedAt: new Date(), scimEnabledChangedBy: byAccountId, updatedAt: new Date() })
    .where(eq(organizations.id, orgId))
    .returning();
  forgetCredentials();
  if (!org) throw new AppError("not_found", `No organization has the ID ${orgId}.`);
  return org;
}
