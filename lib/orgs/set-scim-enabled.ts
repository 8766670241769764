import { eq } from "drizzle-orm";
import { transaction, type Db } from "@/db/client";
import { organizations, type Organization } from "@/db/schema";
import { recordAudit, type AuditActor } from "@/lib/audit/record";
import { AppError } from "@/lib/errors";
import { forgetCredentials } from "@/lib/credentials/credential-cache";

/**
 * Turns SCIM on or off for an organization, recording who and when — on the org, and in its audit trail in the
 * same transaction (`scim.enabled` / `scim.disabled`; only when the switch actually moved, so enabling an enabled
 * org twice is one event). Turning it off refuses the IdP's calls (403) and changes nothing else: users keep their
 * access, groups and mappings are kept.
 */
export async function setScimEnabled(db: Db, orgId: string, enabled: boolean, actor: AuditActor): Promise<Organization> {
  const byAccountId = actor.kind === "cli" || actor.kind === "system" ? null : actor.accountId;
  const org = await transaction(db, async (tx) => {
    const [before] = await tx
      .select({ scimEnabled: organizations.scimEnabled })
      .from(organizations)
      .where(eq(organizations.id, orgId))
      .for("update");
    if (!before) return undefined;
    const [updated] = await tx
      .update(organizations)
      .set({ scimEnabled: enabled, scimEnabledChangedAt: new Date(), scimEnabledChangedBy: byAccountId, updatedAt: new Date() })
      .where(eq(organizations.id, orgId))
      .returning();
    if (before.scimEnabled !== enabled)
      await recordAudit(tx, actor, {
        orgId,
        action: enabled ? "scim.enabled" : "scim.disabled",
        target: { type: "organization", id: orgId, label: updated!.name },
      });
    return updated;
  });
  forgetCredentials();
  if (!org) throw new AppError("not_found", `No organization has the ID ${orgId}.`);
  return org;
}
