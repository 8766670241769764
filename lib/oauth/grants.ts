import { and, eq, isNull, sql } from "drizzle-orm";
import { transaction, type Db, type DbOrTx } from "@/db/client";
import { oauthCodes, oauthGrants, oauthTokens, accounts } from "@/db/schema";
import { recordAudit, type AuditActor } from "@/lib/audit/record";
import { hashSecret, newSecret } from "@/lib/auth/secrets";
import { isUuid } from "@/lib/ids";
import { getEnv } from "@/lib/env";
import { forgetCredentials } from "@/lib/credentials/credential-cache";
import { verifyPkce } from "./pkce";

/**
 * The authorization-code grant with refresh-token rotation (RFC 6749, RFC 7636, RFC 9700):
 * - a code is single-use, lives OAUTH_CODE_TTL_SECONDS (2 minutes by default), and is bound to the client, the redirect URI and the PKCE challenge;
 *   presenting a used code again revokes everything it produced;
 * - access tokens live ACCESS_TTL_MS; every refresh returns a new refresh token, and presenting an old refresh
 *   token again revokes the whole grant (someone has a copy).
 * Only SHA-256 hashes of codes and tokens are stored.
 */
export const ACCESS_TTL_MS = 60 * 60_000;
export const REFRESH_TTL_MS = 180 * 24 * 60 * 60_000;

export class OAuthError extends Error {
  override name = "OAuthError";
  constructor(
    readonly error:
      | "invalid_request"
      | "invalid_client"
      | "invalid_grant"
      | "unauthorized_client"
      | "unsupported_grant_type"
      | "invalid_scope"
      | "access_denied"
      | "server_error",
    readonly description: string,
    readonly status = 400,
  ) {
    super(description);
  }
}

export type IssueCodeInput = {
  clientId: string;
  orgId: string;
  accountId: string;
  redirectUri: string;
  scope: string;
  codeChallenge?: string | null;
  codeChallengeMethod?: "S256" | null;
};

export async function issueCode(db: DbOrTx, input: IssueCodeInput, now = new Date(), ttlMs = getEnv().oauthCodeTtlMs): Promise<string> {
  const code = newSecret("ac_");
  await db.insert(oauthCodes).values({
    codeHash: hashSecret(code),
    clientId: input.clientId,
    orgId: input.orgId,
    accountId: input.accountId,
    redirectUri: input.redirectUri,
    scope: input.scope,
    codeChallenge: input.codeChallenge ?? null,
    codeChallengeMethod: input.codeChallengeMethod ?? null,
    expiresAt: new Date(now.getTime() + ttlMs),
  });
  return code;
}

/** The name a client is known by (its configured name; its id when it is no longer configured). */
export function clientName(clientId: string): string {
  return getEnv().oauthClients.find((c) => c.id === clientId)?.name ?? clientId;
}

/**
 * Authorize & Install on the consent screen: the code the IdP swaps for its tokens, and the app's connection in
 * the org's audit trail, in one transaction.
 */
export async function authorizeInstall(db: Db, actor: AuditActor, input: IssueCodeInput): Promise<string> {
  return transaction(db, async (tx) => {
    const code = await issueCode(tx, input);
    await recordAudit(tx, actor, {
      orgId: input.orgId,
      action: "oauth_app.connected",
      target: { type: "oauth_app", id: input.clientId, label: clientName(input.clientId) },
      details: { scope: input.scope, redirectUri: input.redirectUri },
    });
    return code;
  });
}

export type TokenSet = { access_token: string; token_type: "Bearer"; expires_in: number; refresh_token?: string; scope: string };

async function mintTokens(tx: DbOrTx, grantId: string, scope: string, now: Date): Promise<TokenSet> {
  const access = newSecret("at_");
  const wantsRefresh = scope.split(" ").includes("offline_access");
  const refresh = wantsRefresh ? newSecret("rt_") : undefined;
  await tx
    .insert(oauthTokens)
    .values([
      { tokenHash: hashSecret(access), grantId, kind: "access", expiresAt: new Date(now.getTime() + ACCESS_TTL_MS) },
      ...(refresh
        ? [{ tokenHash: hashSecret(refresh), grantId, kind: "refresh" as const, expiresAt: new Date(now.getTime() + REFRESH_TTL_MS) }]
        : []),
    ]);
  return {
    access_token: access,
    token_type: "Bearer",
    expires_in: Math.floor(ACCESS_TTL_MS / 1000),
    ...(refresh ? { refresh_token: refresh } : {}),
    scope,
  };
}

/** Marks a live grant and every token it issued revoked; its client id, or null when there was no live grant. */
async function revokeGrantRows(db: DbOrTx, grantId: string, now: Date, orgId?: string): Promise<string | null> {
  if (!isUuid(grantId)) return null;
  const [revoked] = await db
    .update(oauthGrants)
    .set({ revokedAt: now })
    .where(and(eq(oauthGrants.id, grantId), isNull(oauthGrants.revokedAt), orgId ? eq(oauthGrants.orgId, orgId) : undefined))
    .returning({ clientId: oauthGrants.clientId });
  if (!revoked) return null;
  await db
    .update(oauthTokens)
    .set({ revokedAt: now })
    .where(and(eq(oauthTokens.grantId, grantId), isNull(oauthTokens.revokedAt)));
  return revoked.clientId;
}

/**
 * Revokes a live grant and every token it issued, at once (a replayed code or refresh token: not an admin's action).
 * With `orgId`, only a grant of that org. Returns whether there was a live grant to revoke.
 */
export async function revokeGrant(db: DbOrTx, grantId: string, now = new Date(), orgId?: string): Promise<boolean> {
  const revoked = await revokeGrantRows(db, grantId, now, orgId);
  forgetCredentials();
  return revoked !== null;
}

/**
 * An Owner or Admin revokes a connected app of their org (the SCIM page): the grant, its tokens and the audit event
 * in one transaction. Returns whether there was a live grant of the org to revoke.
 */
export async function revokeApp(db: Db, actor: AuditActor, orgId: string, grantId: string, now = new Date()): Promise<boolean> {
  const revoked = await transaction(db, async (tx) => {
    const clientId = await revokeGrantRows(tx, grantId, now, orgId);
    if (clientId === null) return false;
    await recordAudit(tx, actor, {
      orgId,
      action: "oauth_app.revoked",
      target: { type: "oauth_app", id: clientId, label: clientName(clientId) },
      details: { grantId },
    });
    return true;
  });
  // After the commit, as for tokens: nothing may remember the grant's tokens between a forget and the commit.
  forgetCredentials();
  return revoked;
}

/** grant_type=authorization_code. The caller has authenticated the client. */
export async function redeemCode(
  db: Db,
  input: { clientId: string; code: string; redirectUri: string | null; codeVerifier: string | null },
  now = new Date(),
): Promise<TokenSet> {
  const replay = await db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(oauthCodes)
      .where(eq(oauthCodes.codeHash, hashSecret(input.code)))
      .for("update")
      .limit(1);
    if (!row) throw new OAuthError("invalid_grant", "The authorization code is not valid.");
    if (row.consumedAt) {
      // A second use: someone else may hold the code. Revoke what the first use produced (after this transaction).
      return row.grantId;
    }
    if (row.clientId !== input.clientId) throw new OAuthError("invalid_grant", "The authorization code was issued to another client.");
    if (row.expiresAt.getTime() <= now.getTime())
      throw new OAuthError("invalid_grant", "The authorization code has expired: start the authorization again.");
    if (input.redirectUri !== row.redirectUri)
      throw new OAuthError("invalid_grant", "redirect_uri does not match the one used in the authorization request.");
    if (row.codeChallenge) {
      if (!input.codeVerifier) throw new OAuthError("invalid_grant", "code_verifier is required: the authorization request used PKCE.");
      if (!verifyPkce(row.codeChallenge, input.codeVerifier))
        throw new OAuthError("invalid_grant", "code_verifier does not match the code_challenge.");
    } else if (input.codeVerifier) {
      throw new OAuthError("invalid_grant", "code_verifier was sent but the authorization request had no code_challenge.");
    }
    const [grant] = await tx
      .insert(oauthGrants)
      .values({ orgId: row.orgId, clientId: row.clientId, authorizedBy: row.accountId, scope: row.scope, lastUsedAt: now })
      .returning({ id: oauthGrants.id });
    await tx.update(oauthCodes).set({ consumedAt: now, grantId: grant!.id }).where(eq(oauthCodes.codeHash, row.codeHash));
    return { tokens: await mintTokens(tx, grant!.id, row.scope, now) };
  });
  if (replay === null || typeof replay === "string") {
    if (replay) await revokeGrant(db, replay, now);
    throw new OAuthError("invalid_grant", "The authorization code has already been used; the access it gave has been revoked.");
  }
  return replay.tokens;
}

/** grant_type=refresh_token, with rotation and reuse detection. */
export async function refresh(db: Db, input: { clientId: string; refreshToken: string }, now = new Date()): Promise<TokenSet> {
  const reused = await db.transaction(async (tx) => {
    const [row] = await tx
      .select({ token: oauthTokens, grant: oauthGrants })
      .from(oauthTokens)
      .innerJoin(oauthGrants, eq(oauthGrants.id, oauthTokens.grantId))
      .where(and(eq(oauthTokens.tokenHash, hashSecret(input.refreshToken)), eq(oauthTokens.kind, "refresh")))
      .for("update")
      .limit(1);
    if (!row) throw new OAuthError("invalid_grant", "The refresh token is not valid.");
    if (row.grant.clientId !== input.clientId) throw new OAuthError("invalid_grant", "The refresh token was issued to another client.");
    if (row.grant.revokedAt || row.token.revokedAt)
      throw new OAuthError("invalid_grant", "The refresh token has been revoked: an admin must authorize the app again.");
    if (row.token.usedAt) return row.grant.id;
    if (row.token.expiresAt && row.token.expiresAt.getTime() <= now.getTime())
      throw new OAuthError("invalid_grant", "The refresh token has expired: an admin must authorize the app again.");
    await tx.update(oauthTokens).set({ usedAt: now }).where(eq(oauthTokens.tokenHash, row.token.tokenHash));
    await tx.update(oauthGrants).set({ lastUsedAt: now }).where(eq(oauthGrants.id, row.grant.id));
    return { tokens: await mintTokens(tx, row.grant.id, row.grant.scope, now) };
  });
  if (typeof reused === "string") {
    await revokeGrant(db, reused, now);
    throw new OAuthError(
      "invalid_grant",
      "The refresh token was already used; the whole grant has been revoked. An admin must authorize the app again.",
    );
  }
  return reused.tokens;
}

/** RFC 7009: revokes an access or refresh token of this client (a refresh token takes its grant with it). Unknown tokens are fine. */
export async function revokeToken(db: Db, input: { clientId: string; token: string }, now = new Date()): Promise<void> {
  const [row] = await db
    .select({ kind: oauthTokens.kind, tokenHash: oauthTokens.tokenHash, grantId: oauthGrants.id, clientId: oauthGrants.clientId })
    .from(oauthTokens)
    .innerJoin(oauthGrants, eq(oauthGrants.id, oauthTokens.grantId))
    .where(eq(oauthTokens.tokenHash, hashSecret(input.token)))
    .limit(1);
  if (!row || row.clientId !== input.clientId) return;
  if (row.kind === "refresh") await revokeGrant(db, row.grantId, now);
  else {
    await db.update(oauthTokens).set({ revokedAt: now }).where(eq(oauthTokens.tokenHash, row.tokenHash));
    forgetCredentials();
  }
}

/** Every grant of an org, for the Connected apps list. */
export async function listGrants(db: DbOrTx, orgId: string) {
  return db
    .select({
      id: oauthGrants.id,
      clientId: oauthGrants.clientId,
      scope: oauthGrants.scope,
      createdAt: oauthGrants.createdAt,
      lastUsedAt: oauthGrants.lastUsedAt,
      revokedAt: oauthGrants.revokedAt,
      authorizedBy: sql<string | null>`(select email from ${accounts} a where a.id = oauth_grants.authorized_by)`,
    })
    .from(oauthGrants)
    .where(eq(oauthGrants.orgId, orgId))
    .orderBy(sql`${oauthGrants.revokedAt} is not null`, sql`${oauthGrants.createdAt} desc`);
}
