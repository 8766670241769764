import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import {
  checkPattern,
  DEV_OKTA_CLIENT_ID,
  DEV_OKTA_CLIENT_SECRET,
  OKTA_DEFAULT_REDIRECT_URIS,
  parseClientList,
  type OAuthClient,
} from "@/lib/oauth/clients";

/**
 * Every setting of the portal, parsed once with zod. Nothing else reads `process.env`
 * (next-auth reads NEXTAUTH_URL / NEXTAUTH_SECRET itself; `getEnv()` writes the resolved values back for it).
 */

const origin = z.url({ protocol: /^https?$/ }).transform((u) => new URL(u).origin);

const rawSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined))
    .refine((v) => v === undefined || /^postgres(ql)?:\/\//.test(v), "must be a postgres:// or postgresql:// URL"),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(4),
  DATABASE_TX_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(8),
  DATA_DIR: z.string().default(".data"),
  PGLITE_DIR: z.string().optional(),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  APP_URL: origin.optional(),
  SCIM_ORIGIN: origin.optional(),
  REGION_NAME: z.string().trim().min(1).default("Local development"),
  NEXTAUTH_URL: origin.optional(),
  NEXTAUTH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  OKTA_CLIENT_ID: z.string().trim().min(3).optional(),
  OKTA_CLIENT_SECRET: z.string().min(16, "must be at least 16 characters").optional(),
  OKTA_REDIRECT_URIS: z.string().optional(),
  OKTA_REQUIRE_PKCE: z.enum(["true", "false"]).default("false"),
  OAUTH_CLIENTS: z.string().optional(),
  OAUTH_CODE_TTL_SECONDS: z.coerce.number().int().min(1).max(600).default(120),
  SECRETS_ENCRYPTION_KEY: z.string().min(32, "must be at least 32 characters").optional(),
  SSO_HTTP_TIMEOUT_MS: z.coerce.number().int().min(500).max(60_000).default(5_000),
  SCIM_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).max(10_000_000).default(6_000),
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).default(60_000),
  INVITATION_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .default(24 * 7),
  AUDIT_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).default(365),
});

export type Env = {
  nodeEnv: "development" | "production" | "test";
  databaseUrl: string | undefined;
  /** "postgres" when DATABASE_URL is set, else the embedded PGlite. */
  databaseKind: "postgres" | "pglite";
  /** Connections each server process keeps to PostgreSQL. */
  /** postgres.js connections for single statements (queries pipeline on them under load). */
  databasePoolSize: number;
  /** postgres.js connections for transactions (each holds one while it runs). */
  databaseTxPoolSize: number;
  dataDir: string;
  pgliteDir: string;
  port: number;
  appUrl: string;
  scimOrigin: string;
  regionName: string;
  nextAuthUrl: string;
  nextAuthSecret: string;
  /** true when the secret was generated for a local run rather than configured. */
  nextAuthSecretGenerated: boolean;
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  /** The OAuth clients allowed to connect (Okta first). */
  oauthClients: OAuthClient[];
  /** How long an authorization code lives (RFC 6749 recommends at most 10 minutes; 2 by default). */
  oauthCodeTtlMs: number;
  /** The key material sealed secrets (SSO client secrets) are encrypted with: SECRETS_ENCRYPTION_KEY, else NEXTAUTH_SECRET. */
  secretsKey: string;
  /** How long the portal waits for an org's IdP (discovery, token endpoint). */
  ssoHttpTimeoutMs: number;
  /** SCIM requests one organization may make per minute, across all servers (0: no limit). */
  scimRateLimitPerMinute: number;
  /** PostgreSQL's statement_timeout (and idle_in_transaction_session_timeout) for the portal's connections; 0: none. */
  databaseStatementTimeoutMs: number;
  /** How long an invitation link stays valid (INVITATION_TTL_HOURS, default 7 days). */
  invitationTtlMs: number;
  /** Audit events older than this many days are pruned (at server start, every 6 hours, `audit:prune`). */
  auditRetentionDays: number;
};

export class EnvError extends Error {
  override name = "EnvError";
}

function formatIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join(".") || "environment"}: ${i.message}`).join("; ");
}

/** Reads (or creates) the development secret kept in the data folder, so sessions survive restarts. */
function localSecret(dataDir: string): string {
  const file = path.join(dataDir, "nextauth-secret");
  if (existsSync(file)) {
    const value = readFileSync(file, "utf8").trim();
    if (value.length >= 32) return value;
  }
  mkdirSync(dataDir, { recursive: true });
  const value = randomBytes(32).toString("base64url");
  writeFileSync(file, value + "\n", { mode: 0o600 });
  return value;
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const parsed = rawSchema.safeParse(source);
  if (!parsed.success) throw new EnvError(`Invalid configuration — ${formatIssues(parsed.error)}`);
  const e = parsed.data;
  const dataDir = path.resolve(/*turbopackIgnore: true*/ e.DATA_DIR);
  const appUrl = e.APP_URL ?? e.NEXTAUTH_URL ?? `http://localhost:${e.PORT}`;
  if (e.NODE_ENV === "production") {
    // A production server runs on what it was given: no generated secret, no development client, no guessed URL.
    const missing = (["NEXTAUTH_SECRET", "OKTA_CLIENT_ID", "OKTA_CLIENT_SECRET", "APP_URL"] as const).filter(
      (k) => !e[k] && !(k === "APP_URL" && e.NEXTAUTH_URL),
    );
    if (missing.length)
      throw new EnvError(
        `A production server needs ${missing.join(", ")} (NEXTAUTH_SECRET: a random secret of at least 32 characters, e.g. \`openssl rand -base64 32\`; OKTA_CLIENT_ID and OKTA_CLIENT_SECRET: the OAuth client Okta connects with; APP_URL: the portal's public URL). See the README's Security section.`,
      );
  }
  let secret = e.NEXTAUTH_SECRET;
  let generated = false;
  if (!secret) {
    secret = localSecret(dataDir);
    generated = true;
  }
  let oauthClients: OAuthClient[];
  try {
    // Production keeps only the https defaults (Okta's own test cell answers on plain HTTP).
    const defaults =
      e.NODE_ENV === "production" ? OKTA_DEFAULT_REDIRECT_URIS.filter((u) => u.startsWith("https://")) : OKTA_DEFAULT_REDIRECT_URIS;
    const oktaRedirects = e.OKTA_REDIRECT_URIS ? e.OKTA_REDIRECT_URIS.split(/[\s,]+/).filter(Boolean) : defaults;
    oktaRedirects.forEach(checkPattern);
    oauthClients = [
      {
        id: e.OKTA_CLIENT_ID ?? DEV_OKTA_CLIENT_ID,
        name: "Okta",
        secret: e.OKTA_CLIENT_SECRET ?? DEV_OKTA_CLIENT_SECRET,
        redirectUris: oktaRedirects,
        // Okta sends PKCE (S256) but does not promise to: required only when asked.
        requirePkce: e.OKTA_REQUIRE_PKCE === "true",
      },
      ...(e.OAUTH_CLIENTS ? parseClientList(e.OAUTH_CLIENTS) : []),
    ];
  } catch (err) {
    throw new EnvError(`Invalid OAuth client configuration — ${(err as Error).message}`);
  }
  return {
    oauthClients,
    oauthCodeTtlMs: e.OAUTH_CODE_TTL_SECONDS * 1000,
    secretsKey: e.SECRETS_ENCRYPTION_KEY ?? secret,
    ssoHttpTimeoutMs: e.SSO_HTTP_TIMEOUT_MS,
    scimRateLimitPerMinute: e.SCIM_RATE_LIMIT_PER_MINUTE,
    databaseStatementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT_MS,
    invitationTtlMs: e.INVITATION_TTL_HOURS * 3_600_000,
    auditRetentionDays: e.AUDIT_RETENTION_DAYS,
    nodeEnv: e.NODE_ENV,
    databaseUrl: e.DATABASE_URL,
    databaseKind: e.DATABASE_URL ? "postgres" : "pglite",
    databasePoolSize: e.DATABASE_POOL_SIZE,
    databaseTxPoolSize: e.DATABASE_TX_POOL_SIZE,
    dataDir,
    pgliteDir: e.PGLITE_DIR?.startsWith("memory://")
      ? e.PGLITE_DIR
      : path.resolve(/*turbopackIgnore: true*/ e.PGLITE_DIR ?? path.join(e.DATA_DIR, "pglite")),
    port: e.PORT,
    appUrl,
    scimOrigin: e.SCIM_ORIGIN ?? appUrl,
    regionName: e.REGION_NAME,
    nextAuthUrl: e.NEXTAUTH_URL ?? appUrl,
    nextAuthSecret: secret,
    nextAuthSecretGenerated: generated,
    logLevel: e.LOG_LEVEL,
  };
}

const globalForEnv = globalThis as unknown as { __portalEnv?: Env };

/** The parsed environment of this process (parsed on first use, never at import: `next build` must not need it). */
export function getEnv(): Env {
  if (!globalForEnv.__portalEnv) {
    const env = parseEnv(process.env);
    // next-auth reads these two from process.env on its own; give it the resolved values.
    process.env.NEXTAUTH_URL = env.nextAuthUrl;
    process.env.NEXTAUTH_SECRET = env.nextAuthSecret;
    // A local run's development Okta client carries over to the server `npm start` spawns (as the secret above does);
    // a production run has them configured, and nothing is defaulted for it.
    if (env.nodeEnv !== "production") {
      const okta = env.oauthClients[0]!;
      process.env.OKTA_CLIENT_ID ??= okta.id;
      process.env.OKTA_CLIENT_SECRET ??= okta.secret;
    }
    globalForEnv.__portalEnv = env;
  }
  return globalForEnv.__portalEnv;
}
