import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { transaction, type Db, type DbOrTx } from "@/db/client";
import { scimTokens, accounts } from "@/db/schema";
import { recordAudit, type AuditActor } from "@/lib/audit/record";
import { hashSecret, newSecret } from "@/lib/auth/secrets";
import { AppError } from "@/lib/errors";
import { isUuid } from "@/lib/ids";
import { forgetCredentials } from "./credential-cache";

/** SCIM secret tokens start with this, so a leaked one is recognisable (and secret scanners can find it). */
export const SCIM_TOKEN_PREFIX = "scimsk_";

export type CreatedToken = { id: string; token: string; name: string; prefix: string; expiresAt: Date | null };

/**
 * Creates a SCIM secret token for an organization, and its audit event in the same transaction; the plaintext is
 * returned once and only its hash is kept (the trail names the token, never shows it).
 */
export async function createScimToken(
  db: Db,
  actor: AuditActor,
  input: { orgId: string; name: string; createdBy?: string | null; expiresAt?: Date | null },
): Promise<CreatedToken> {
  const name = input.name.trim();
  if (!name) throw new AppError("invalid_input", "A token needs a name.");
  if (name.length > 100) throw new AppError("invalid_input", "A token name has at most 100 characters.");
  if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) throw new AppError("invalid_input", "The expiry must be in the future.");
  const token = newSecret(SCIM_TOKEN_PREFIX);
  const prefix = token.slice(0, SCIM_TOKEN_PREFIX.length + 6);
  const expiresAt = input.expiresAt ?? null;
  return transaction(db, async (tx) => {
    const [row] = await tx
      .insert(scimTokens)
      .values({ orgId: input.orgId, name, tokenHash: hashSecret(token), prefix, createdBy: input.createdBy ?? null, expiresAt })
      .returning({ id: scimTokens.id });
    if (!row) throw new Error("insert returned no row");
    await recordAudit(tx, actor, {
      orgId: input.orgId,
      action: "scim_token.created",
      target: { type: "token", id: row.id, label: name },
      details: { prefix, expiresAt: expiresAt?.toISOString() ?? null },
    });
    return { id: row.id, token, name, prefix, expiresAt };
  });
}

/** Revokes one of the org's live tokens, recorded in the same transaction; false when there is none to revoke. */
export async function revokeScimToken(db: Db, actor: AuditActor, orgId: string, tokenId: string): Promise<boolean> {
  if (!isUuid(tokenId)) return false;
  const revoked = await transaction(db, async (tx) => {
    const [row] = await tx
      .update(scimTokens)
      .set({ revokedAt: new Date() })
      .where(and(eq(scimTokens.orgId, orgId), eq(scimTokens.id, tokenId), isNull(scimTokens.revokedAt)))
      .returning({ id: scimTokens.id, name: scimTokens.name, prefix: scimTokens.prefix });
    if (!row) return false;
    await recordAudit(tx, actor, {
      orgId,
      action: "scim_token.revoked",
      target: { type: "token", id: row.id, label: row.name },
      details: { prefix: row.prefix },
    });
    return true;
  });
  // After the commit: a lookup between a forget and the commit would remember the token as still valid.
  forgetCredentials();
  return revoked;
}

export async function listScimTokens(db: DbOrTx, orgId: string) {
  return db
    .select({
      id: scimTokens.id,
      name: scimTokens.name,
      prefix: scimTokens.prefix,
      createdBy: sql<string | null>`(select email from ${accounts} a where a.id = scim_tokens.created_by)`,
      createdAt: scimTokens.createdAt,
      lastUsedAt: scimTokens.lastUsedAt,
      expiresAt: scimTokens.expiresAt,
      revokedAt: scimTokens.revokedAt,
    })
    .from(scimTokens)
    .where(eq(scimTokens.orgId, orgId))
    .orderBy(desc(scimTokens.createdAt));
}
