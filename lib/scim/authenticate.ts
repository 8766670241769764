import { and, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { oauthGrants, oauthTokens, organizations, scimTokens } from "@/db/schema";
import { hashSecret, sameDigest } from "@/lib/auth/secrets";
import { ScimError } from "./errors";

export type ScimCaller = { kind: "scim_token" | "oauth"; credentialId: string; orgId: string };

/** `Authorization: Bearer <token>` (Entra, Okta Bearer mode) or `Authorization: <token>` (Okta Header mode). */
export function tokenFromHeader(header: string | null): string | null {
  if (!header) return null;
  const value = header.trim();
  const m = /^bearer\s+(.+)$/i.exec(value);
  const token = (m ? m[1]! : value).trim();
  return token && !/\s/.test(token) && token.length <= 512 ? token : null;
}

const unauthorized = (detail: string) => new ScimError(401, detail);

/**
 * Checks the caller's credential for an organization: a SCIM secret token or an OAuth access token, bound to
 * that org, not revoked, not expired; and SCIM must be enabled for the org. One indexed lookup by hash.
 */
export async function authenticateScim(db: DbOrTx, orgId: string, authorization: string | null, now = new Date()): Promise<ScimCaller> {
  const token = tokenFromHeader(authorization);
  if (!token) throw unauthorized("Authentication required: send the SCIM token as 'Authorization: Bearer <token>'.");
  const digest = hashSecret(token);

  const [secret] = await db
    .select({ id: scimTokens.id, orgId: scimTokens.orgId, hash: scimTokens.tokenHash, expiresAt: scimTokens.expiresAt, revokedAt: scimTokens.revokedAt, scimEnabled: organizations.scimEnabled })
    .from(scimTokens)
    .innerJoin(organizations, eq(organizations.id, scimTokens.orgId))
    .where(eq(scimTokens.tokenHash, digest))
    .limit(1);
  let caller: ScimCaller & { scimEnabled: boolean; expiresAt: Date | null; revokedAt: Date | null; hash: string } | undefined = secret
    ? { kind: "scim_token", credentialId: secret.id, orgId: secret.orgId, scimEnabled: secret.scimEnabled, expiresAt: secret.expiresAt, revokedAt: secret.revokedAt, hash: secret.hash }
    : undefined;

  if (!caller) {
    const [access] = await db
      .select({
        grantId: oauthGrants.id,
        orgId: oauthGrants.orgId,
        hash: oauthTokens.tokenHash,
        expiresAt: oauthTokens.expiresAt,
        tokenRevokedAt: oauthTokens.revokedAt,
        grantRevokedAt: oauthGrants.revokedAt,
        scimEnabled: organizations.scimEnabled,
      })
      .from(oauthTokens)
      .innerJoin(oauthGrants, eq(oauthGrants.id, oauthTokens.grantId))
      .innerJoin(organizations, eq(organizations.id, oauthGrants.orgId))
      .where(and(eq(oauthTokens.tokenHash, digest), eq(oauthTokens.kind, "access")))
      .limit(1);
    if (access)
      caller = {
        kind: "oauth",
        credentialId: access.grantId,
        orgId: access.orgId,
        scimEnabled: access.scimEnabled,
        expiresAt: access.expiresAt,
        revokedAt: access.tokenRevokedAt ?? access.grantRevokedAt,
        hash: access.hash,
      };
  }

  if (!caller || !sameDigest(caller.hash, digest)) throw unauthorized("The token is not valid. Generate a new one in Org Admin → SCIM.");
  if (caller.revokedAt) throw unauthorized("The token has been revoked. Generate a new one in Org Admin → SCIM, or re-authenticate the app.");
  if (caller.expiresAt && caller.expiresAt.getTime() <= now.getTime()) throw unauthorized("The token has expired. Generate a new one in Org Admin → SCIM, or re-authenticate the app.");
  if (caller.orgId !== orgId) throw unauthorized("The token belongs to another organization: check the Organization ID in the SCIM Base URL.");
  if (!caller.scimEnabled)
    throw new ScimError(403, "SCIM is not enabled for this organization. An Owner or Admin can turn it on in Org Admin → SCIM (Enable SCIM).");
  return { kind: caller.kind, credentialId: caller.credentialId, orgId: caller.orgId };
}

const lastTouched = new Map<string, number>();
const TOUCH_EVERY_MS = 60_000;

/**
 * Records when a credential was last used, at most once a minute per credential per process, after the
 * response (never on the request's critical path).
 */
export function touchCredential(db: DbOrTx, caller: ScimCaller): void {
  const now = Date.now();
  if ((lastTouched.get(caller.credentialId) ?? 0) > now - TOUCH_EVERY_MS) return;
  lastTouched.set(caller.credentialId, now);
  const table = caller.kind === "scim_token" ? scimTokens : oauthGrants;
  void db
    .update(table)
    .set({ lastUsedAt: sql`now()` })
    .where(eq(table.id, caller.credentialId))
    .catch(() => lastTouched.delete(caller.credentialId));
}
