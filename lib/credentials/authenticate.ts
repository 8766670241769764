import { eq, sql } from "drizzle-orm";
import { queryRows, type DbOrTx } from "@/db/client";
import { oauthGrants, scimTokens, oauthTokens, organizations } from "@/db/schema";
import { hashSecret, sameDigest } from "@/lib/auth/secrets";
import { getEnv } from "@/lib/env";
import { ScimError } from "@/lib/scim/errors";

export type ScimCaller = {
  kind: "scim_token" | "oauth";
  credentialId: string;
  orgId: string;
  /** OAuth scopes; null for a secret token (full access). */ scopes: string[] | null;
  /** What the provisioning log calls it: the secret token's name, or the OAuth app's. */
  name: string;
};

/** `Authorization: Bearer <token>` (Entra, Okta Bearer mode) or `Authorization: <token>` (Okta Header mode). */
export function tokenFromHeader(header: string | null): string | null {
  if (!header) return null;
  const value = header.trim();
  const m = /^bearer\s+(.+)$/i.exec(value);
  const token = (m ? m[1]! : value).trim();
  return token && !/\s/.test(token) && token.length <= 512 ? token : null;
}

const unauthorized = (detail: string) => new ScimError(401, detail);

/** What the database knows of a credential, by the hash of its secret. */
export type CredentialRecord = {
  kind: "scim_token" | "oauth";
  credentialId: string;
  orgId: string;
  hash: string;
  scimEnabled: boolean;
  expiresAt: Date | null;
  revokedAt: Date | null;
  scopes: string[] | null;
  name: string;
};

/** An OAuth client's name (deployment configuration), or its id when it is no longer configured. */
function clientName(clientId: string): string {
  return getEnv().oauthClients.find((c) => c.id === clientId)?.name ?? clientId;
}

/** One indexed lookup by hash, whichever kind of credential it is (one round trip). */
export async function findCredential(db: DbOrTx, digest: string): Promise<CredentialRecord | undefined> {
  const [row] = await queryRows<{
    kind: "scim_token" | "oauth";
    credential_id: string;
    org_id: string;
    hash: string;
    expires_at: string | Date | null;
    revoked_at: string | Date | null;
    scim_enabled: boolean;
    scope: string | null;
    name: string;
  }>(
    db,
    sql`select 'scim_token' as kind, t.id as credential_id, t.org_id, t.token_hash as hash, t.expires_at, t.revoked_at, o.scim_enabled, null::text as scope, t.name
          from ${scimTokens} t join ${organizations} o on o.id = t.org_id where t.token_hash = ${digest}
        union all
        select 'oauth', g.id, g.org_id, ot.token_hash, ot.expires_at, coalesce(ot.revoked_at, g.revoked_at), o.scim_enabled, g.scope, g.client_id
          from ${oauthTokens} ot join ${oauthGrants} g on g.id = ot.grant_id join ${organizations} o on o.id = g.org_id
          where ot.token_hash = ${digest} and ot.kind = 'access'
        limit 1`,
  );
  if (!row) return undefined;
  return {
    kind: row.kind,
    credentialId: row.credential_id,
    orgId: row.org_id,
    hash: row.hash,
    scimEnabled: row.scim_enabled,
    expiresAt: row.expires_at ? new Date(row.expires_at) : null,
    revokedAt: row.revoked_at ? new Date(row.revoked_at) : null,
    scopes: row.scope === null ? null : row.scope.split(" "),
    name: row.kind === "oauth" ? clientName(row.name) : row.name,
  };
}

/** The token in the Authorization header, hashed; 401 when there is none. */
export function digestOf(authorization: string | null): string {
  const token = tokenFromHeader(authorization);
  if (!token) throw unauthorized("Authentication required: send the SCIM token as 'Authorization: Bearer <token>'.");
  return hashSecret(token);
}

/** Lets a credential in for an org, or says why not: 401 bad/revoked/expired/other org, 403 SCIM off. */
export function admit(record: CredentialRecord | undefined, digest: string, orgId: string, now = new Date()): ScimCaller {
  if (!record || !sameDigest(record.hash, digest)) throw unauthorized("The token is not valid. Generate a new one in Org Admin → SCIM.");
  if (record.revokedAt)
    throw unauthorized("The token has been revoked. Generate a new one in Org Admin → SCIM, or re-authenticate the app.");
  if (record.expiresAt && record.expiresAt.getTime() <= now.getTime())
    throw unauthorized("The token has expired. Generate a new one in Org Admin → SCIM, or re-authenticate the app.");
  if (record.orgId !== orgId)
    throw unauthorized("The token belongs to another organization: check the Organization ID in the SCIM Base URL.");
  if (!record.scimEnabled)
    throw new ScimError(
      403,
      "SCIM is not enabled for this organization. An Owner or Admin can turn it on in Org Admin → SCIM (Enable SCIM).",
    );
  return { kind: record.kind, credentialId: record.credentialId, orgId: record.orgId, scopes: record.scopes, name: record.name };
}

/**
 * Checks the caller's credential for an organization against the database: a SCIM secret token or an OAuth access
 * token, bound to that org, not revoked, not expired; and SCIM must be enabled for the org.
 * (The SCIM endpoint goes through the short-lived cache in credential-cache.ts.)
 */
export async function authenticateScim(db: DbOrTx, orgId: string, authorization: string | null, now = new Date()): Promise<ScimCaller> {
  const digest = digestOf(authorization);
  return admit(await findCredential(db, digest), digest, orgId, now);
}

/** OAuth tokens carry scopes: reading needs scim:read, anything that changes data needs scim:write. */
export function checkScope(caller: ScimCaller, method: string, isSearch: boolean): void {
  if (!caller.scopes) return;
  const needed = method === "GET" || method === "HEAD" || isSearch ? "scim:read" : "scim:write";
  if (!caller.scopes.includes(needed))
    throw new ScimError(403, `This app was authorized without the ${needed} permission. Authorize it again with that permission.`);
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
