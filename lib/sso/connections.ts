import { eq, getTableColumns, sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows, transaction, type Db, type DbOrTx } from "@/db/client";
import { accounts, memberships, organizations, ssoConnections, ssoIdentities, type SsoConnection } from "@/db/schema";
import { recordAudit, type AuditActor } from "@/lib/audit/record";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { seal, unseal, UnsealError } from "./secret-box";

/** What the Single sign-on page and `sso:show` may see of a connection: everything but the secret. */
export type SsoConnectionView = Omit<SsoConnection, "clientSecretEncrypted"> & { secretReadable: boolean };

/** The next-auth provider id of an org's connection; its callback is `/api/auth/callback/sso-{orgId}`. */
export const ssoProviderId = (orgId: string) => `sso-${orgId}`;
export const orgIdOfProvider = (providerId: string | undefined) => (providerId?.startsWith("sso-") ? providerId.slice(4) : undefined);

/** What to paste into the IdP: the Redirect URI (sign-in redirect) and the Initiate login URI (Okta's app tile). */
export function ssoUrls(orgId: string) {
  const origin = getEnv().nextAuthUrl;
  return { redirectUri: `${origin}/api/auth/callback/${ssoProviderId(orgId)}`, initiateLoginUri: `${origin}/sign-in/sso/${orgId}` };
}

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * An issuer URL as configured: https (http only for localhost and 127.0.0.1, for development and tests), no
 * query, fragment or credentials; a trailing slash is dropped (Okta's and Entra's issuers have none).
 */
export function normalizeIssuer(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new AppError("invalid_input", `"${raw.trim().slice(0, 200)}" is not a URL. Enter the issuer, e.g. https://acme.okta.com.`);
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && LOCAL_HOSTS.has(url.hostname)))
    throw new AppError("invalid_input", "The issuer must be an https:// URL (http:// is accepted only for localhost and 127.0.0.1).");
  if (url.search || url.hash || url.username || url.password)
    throw new AppError("invalid_input", "The issuer URL must not have a query, a fragment or credentials.");
  return `${url.origin}${url.pathname}`.replace(/\/+$/, "");
}

const sameIssuer = (a: string, b: string) => a.replace(/\/+$/, "") === b.replace(/\/+$/, "");

const discoverySchema = z.object({
  issuer: z.string(),
  authorization_endpoint: z.url(),
  token_endpoint: z.url(),
  jwks_uri: z.url(),
});

/**
 * OpenID Connect Discovery: `{issuer}/.well-known/openid-configuration`, which must name the same issuer
 * (OpenID Connect Discovery 1.0 §4.3) and the endpoints a sign-in needs. Returns the issuer as it states it.
 */
export async function discoverIssuer(issuer: string): Promise<string> {
  const url = `${issuer}/.well-known/openid-configuration`;
  let res: Response;
  try {
    res = await fetch(url, {
      signal: AbortSignal.timeout(getEnv().ssoHttpTimeoutMs),
      redirect: "error",
      headers: { accept: "application/json" },
    });
  } catch (e) {
    throw new AppError("invalid_input", `Could not reach ${url}: ${(e as Error).message}. Check the issuer URL.`);
  }
  if (!res.ok) throw new AppError("invalid_input", `${url} answered ${res.status}: this is not the issuer of an OpenID Provider.`);
  const parsed = discoverySchema.safeParse(await res.json().catch(() => null));
  if (!parsed.success)
    throw new AppError(
      "invalid_input",
      `${url} is not an OpenID Connect discovery document (it needs issuer, authorization_endpoint, token_endpoint, jwks_uri).`,
    );
  if (!sameIssuer(parsed.data.issuer, issuer))
    throw new AppError(
      "invalid_input",
      `The discovery document names the issuer "${parsed.data.issuer.slice(0, 200)}", not "${issuer}". Enter the issuer exactly as your IdP states it.`,
    );
  return parsed.data.issuer;
}

/** The secret of a stored connection, or null when it was sealed with another key (the setting changed). */
function secretOf(row: SsoConnection): string | null {
  try {
    return unseal(getEnv().secretsKey, row.clientSecretEncrypted);
  } catch (e) {
    if (e instanceof UnsealError) return null;
    throw e;
  }
}

function readRow(db: DbOrTx, orgId: string) {
  return db
    .select()
    .from(ssoConnections)
    .where(eq(ssoConnections.orgId, orgId))
    .limit(1)
    .then(([row]) => row);
}

function view(row: SsoConnection, secret: string | null): SsoConnectionView {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- left out on purpose: the sealed secret never leaves here
  const { clientSecretEncrypted, ...rest } = row;
  return { ...rest, secretReadable: secret !== null };
}

export async function getSsoConnection(db: DbOrTx, orgId: string): Promise<SsoConnectionView | null> {
  const row = await readRow(db, orgId);
  return row ? view(row, secretOf(row)) : null;
}

/** What next-auth needs to talk to the org's IdP, the secret unsealed; null when there is no usable connection. */
export async function ssoClientConfig(db: DbOrTx, orgId: string) {
  const row = await readRow(db, orgId);
  const secret = row ? secretOf(row) : null;
  return row && secret !== null ? { ...view(row, secret), clientSecret: secret } : null;
}

export type ConfigureSsoInput = {
  orgId: string;
  issuer: string;
  clientId: string;
  /** Required for a new connection; kept as it is when omitted on an update. */
  clientSecret?: string;
  requireSso?: boolean;
  emailAuthoritative?: boolean;
  by: string | null;
  /** Skip the discovery request (seeding test fixtures before the IdP runs); the issuer must still be valid. */
  skipDiscovery?: boolean;
};

/** The connection as the audit trail names it: the issuer (the org has one connection). */
const ssoTarget = (orgId: string, issuer: string) => ({ type: "sso_connection", id: orgId, label: issuer });

/**
 * Creates or changes an org's connection. The issuer is checked with a real discovery request (before the
 * transaction: no transaction waits on the network). A changed issuer, client id or secret resets the status to
 * "never tested"; the links of people to the old issuer's identities stay (they are per issuer) but no longer
 * match. Recorded as configured (new) or changed, with issuer and client id — never the secret, only whether it changed.
 */
export async function configureSso(db: Db, actor: AuditActor, input: ConfigureSsoInput): Promise<SsoConnectionView> {
  const normalized = normalizeIssuer(input.issuer);
  const clientId = input.clientId.trim();
  if (!clientId || clientId.length > 500) throw new AppError("invalid_input", "Enter the client ID your IdP shows for this application.");
  const secret = input.clientSecret?.trim();
  if (secret !== undefined && secret !== "" && secret.length > 2000) throw new AppError("invalid_input", "The client secret is too long.");
  const existing = await getSsoConnection(db, input.orgId);
  if (!secret && (!existing || !existing.secretReadable))
    throw new AppError(
      "invalid_input",
      existing
        ? "The stored client secret can no longer be read (the encryption key changed): enter it again."
        : "Enter the client secret.",
    );
  const issuer = input.skipDiscovery ? normalized : await discoverIssuer(normalized);
  const changed = !existing || existing.issuer !== issuer || existing.clientId !== clientId || Boolean(secret);
  const values = {
    issuer,
    clientId,
    ...(secret ? { clientSecretEncrypted: seal(getEnv().secretsKey, secret) } : {}),
    requireSso: input.requireSso ?? existing?.requireSso ?? false,
    emailAuthoritative: input.emailAuthoritative ?? existing?.emailAuthoritative ?? false,
    updatedBy: input.by,
    updatedAt: new Date(),
    ...(changed ? { status: "untested" as const, lastError: null, lastCheckedAt: null, lastTestClaims: null } : {}),
  };
  const row = await transaction(db, async (tx) => {
    const [saved] = await tx
      .insert(ssoConnections)
      .values({ orgId: input.orgId, clientSecretEncrypted: "", ...values })
      .onConflictDoUpdate({ target: ssoConnections.orgId, set: values })
      // xmax is 0 on a row this statement inserted (and the id of this transaction on one it updated).
      .returning({ ...getTableColumns(ssoConnections), inserted: sql<boolean>`(xmax = 0)` });
    if (!saved) throw new Error("upsert returned no row");
    const { inserted, ...connection } = saved;
    await recordAudit(tx, actor, {
      orgId: input.orgId,
      action: inserted ? "sso.configured" : "sso.changed",
      target: ssoTarget(input.orgId, issuer),
      details: {
        issuer,
        clientId,
        secretChanged: Boolean(secret),
        emailAuthoritative: values.emailAuthoritative,
        ...(existing && !inserted ? { before: { issuer: existing.issuer, clientId: existing.clientId } } : {}),
      },
    });
    return connection;
  });
  return view(row, secretOf(row));
}

/**
 * Require SSO on or off, recorded in the same transaction; turning it on needs a connection that completed a round
 * trip, so nobody is locked out.
 */
export async function setRequireSso(db: Db, actor: AuditActor, orgId: string, requireSso: boolean, by: string | null): Promise<void> {
  await transaction(db, async (tx) => {
    const [current] = await tx.select().from(ssoConnections).where(eq(ssoConnections.orgId, orgId)).for("update");
    if (!current) throw new AppError("invalid_input", "Set up the connection first.");
    if (requireSso && current.status !== "working")
      throw new AppError("invalid_input", "Run a successful Test sign-in before requiring SSO, so nobody is locked out.");
    await tx.update(ssoConnections).set({ requireSso, updatedBy: by, updatedAt: new Date() }).where(eq(ssoConnections.orgId, orgId));
    await recordAudit(tx, actor, {
      orgId,
      action: requireSso ? "sso.required" : "sso.optional",
      target: ssoTarget(orgId, current.issuer),
      details: { issuer: current.issuer, clientId: current.clientId, wasRequired: current.requireSso },
    });
  });
}

/** Turns SSO off for an org: the connection goes (and with it Require SSO); people's identity links are kept. Recorded in the same transaction. */
export async function disableSso(db: Db, actor: AuditActor, orgId: string): Promise<boolean> {
  return transaction(db, async (tx) => {
    const [gone] = await tx
      .delete(ssoConnections)
      .where(eq(ssoConnections.orgId, orgId))
      .returning({ issuer: ssoConnections.issuer, clientId: ssoConnections.clientId, requireSso: ssoConnections.requireSso });
    if (!gone) return false;
    await recordAudit(tx, actor, {
      orgId,
      action: "sso.disabled",
      target: ssoTarget(orgId, gone.issuer),
      details: { issuer: gone.issuer, clientId: gone.clientId, wasRequired: gone.requireSso },
    });
    return true;
  });
}

/** The outcome of a round trip with the IdP: working (with the claims of a Test sign-in), or failing with why. */
export async function recordSsoCheck(
  db: DbOrTx,
  orgId: string,
  result: { ok: true; claims?: Record<string, unknown> } | { ok: false; error: string },
) {
  await db
    .update(ssoConnections)
    .set(
      result.ok
        ? { status: "working", lastError: null, lastCheckedAt: sql`now()`, ...(result.claims ? { lastTestClaims: result.claims } : {}) }
        : { status: "failing", lastError: result.error.slice(0, 500), lastCheckedAt: sql`now()` },
    )
    .where(eq(ssoConnections.orgId, orgId));
}

/** The orgs with SSO that an email's account belongs to (or has signed in to through SSO): where Continue with SSO goes. */
export async function ssoOrgsForEmail(db: DbOrTx, email: string): Promise<{ id: string; name: string }[]> {
  return queryRows<{ id: string; name: string }>(
    db,
    sql`select o.id, o.name from ${accounts} a
      join ${ssoConnections} c on c.org_id in (
        select m.org_id from ${memberships} m where m.account_id = a.id
        union select i.org_id from ${ssoIdentities} i where i.account_id = a.id)
      join ${organizations} o on o.id = c.org_id
    where lower(a.email) = lower(${email.trim()})
    order by o.name`,
  );
}
