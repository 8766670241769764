import type { CallbacksOptions, User } from "next-auth";
import type { OAuthConfig } from "next-auth/providers/oauth";
import type { TokenSet } from "openid-client";
import { getDb } from "@/db/client";
import { originOf } from "@/lib/audit/origin";
import { getEnv } from "@/lib/env";
import { logger } from "@/lib/logger";
import { getOrganization } from "@/lib/orgs/queries";
import { ROLE_LABEL } from "@/lib/orgs/roles";
import { decideSsoSignIn, emailClaim } from "./accept";
import { recordSsoCheck, ssoClientConfig, ssoProviderId } from "./connections";
import { acceptSsoSignIn, signInFacts } from "./sign-in";
import { sign, verifySigned } from "./secret-box";

/**
 * One org's sign-in through its own OpenID Provider, as next-auth v4 options built for the request (next-auth's
 * advanced initialization): an OIDC provider `sso-{orgId}` with state, nonce and PKCE checks, whose ID token
 * next-auth (openid-client) validates — signature, issuer, audience, nonce — before the portal's own rules
 * (lib/sso/accept.ts) decide who gets in.
 */

export const SSO_TEST_COOKIE = "portal-sso-test";
const TEST_PURPOSE = "sso-test";
const TEST_TTL_MS = 10 * 60 * 1000;

/** The cookie that marks a browser's next round trip with the org's IdP as the admin's Test sign-in. */
export function ssoTestCookie(orgId: string, accountId: string) {
  const value = sign(getEnv().secretsKey, `${orgId}.${accountId}.${Date.now() + TEST_TTL_MS}`, TEST_PURPOSE);
  return {
    name: SSO_TEST_COOKIE,
    value,
    options: {
      httpOnly: true,
      sameSite: "lax" as const,
      path: "/api/auth",
      maxAge: TEST_TTL_MS / 1000,
      secure: getEnv().nextAuthUrl.startsWith("https:"),
    },
  };
}

function testOf(req: Request, orgId: string): { accountId: string } | null {
  const raw = req.headers
    .get("cookie")
    ?.split(/;\s*/)
    .find((c) => c.startsWith(`${SSO_TEST_COOKIE}=`))
    ?.slice(SSO_TEST_COOKIE.length + 1);
  const value = raw ? verifySigned(getEnv().secretsKey, decodeURIComponent(raw), TEST_PURPOSE) : null;
  const [org, accountId, until] = value?.split(".") ?? [];
  return org === orgId && accountId && Number(until) > Date.now() ? { accountId } : null;
}

/** What a signed-in person carries from the sign-in callback to the session token. */
export type PortalSignIn = { accountId: string; via: "sso"; orgId: string; since: string };

/** The refusal page of an org's sign-in: why (one of lib/sso/accept.ts's reasons), else next-auth appends its error. */
export const refusedPath = (orgId: string, reason?: string) =>
  `/sign-in/sso/refused?${new URLSearchParams({ org: orgId, ...(reason ? { reason } : {}) })}`;

/**
 * The request's SSO part, or a Response when there is nothing to sign in to (no connection, or a secret that can
 * no longer be read). `finish` records a failed round trip on the connection and ends a Test sign-in.
 */
export async function ssoSignInOptions(req: Request, orgId: string) {
  const db = await getDb();
  const [config, org] = await Promise.all([ssoClientConfig(db, orgId), getOrganization(db, orgId)]);
  if (!config || !org) return { response: Response.redirect(new URL(refusedPath(orgId, "not-configured"), getEnv().nextAuthUrl), 302) };
  const test = testOf(req, orgId);
  let failure: string | undefined;

  const provider: OAuthConfig<Record<string, unknown>> = {
    id: ssoProviderId(orgId),
    name: org.name,
    type: "oauth",
    wellKnown: `${config.issuer}/.well-known/openid-configuration`,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    authorization: { params: { scope: "openid email profile" } },
    checks: ["pkce", "state", "nonce"],
    idToken: true,
    httpOptions: { timeout: getEnv().ssoHttpTimeoutMs },
    // The ID token's claims, completed from the userinfo endpoint when the IdP keeps email out of the ID token
    // (a "thin" ID token); the ID token's issuer and subject always win.
    userinfo: {
      async request({ tokens, client }) {
        const set = tokens as TokenSet; // next-auth passes openid-client's TokenSet from its validated callback
        const claims = set.claims() as Record<string, unknown>;
        if (typeof claims.email === "string" || !set.access_token || !client.issuer.metadata.userinfo_endpoint) return claims;
        const info = (await client.userinfo(set)) as Record<string, unknown>;
        return info.sub === claims.sub ? { ...info, ...claims } : claims;
      },
    },
    profile: (p) => ({
      id: String(p.sub ?? ""),
      email: typeof p.email === "string" ? p.email : null,
      name: typeof p.name === "string" ? p.name : null,
    }),
  };

  const connection = { issuer: config.issuer, emailAuthoritative: config.emailAuthoritative };

  const signIn: CallbacksOptions["signIn"] = async ({ user, profile }) => {
    const claims = (profile ?? {}) as Record<string, unknown>;
    const who = { event: "", orgId, email: emailClaim(claims), sub: typeof claims.sub === "string" ? claims.sub : undefined };
    if (test) {
      // The admin's round trip: record what the IdP sent and what the rules would make of it; no session, no link.
      const verdict = decideSsoSignIn({ claims, connection, ...(await signInFacts(db, orgId, config.issuer, claims)) });
      const shown = Object.fromEntries(Object.entries(claims).filter(([k]) => !["nonce", "at_hash", "c_hash", "sid"].includes(k)));
      await recordSsoCheck(db, orgId, {
        ok: true,
        claims: {
          claims: shown,
          verdict: verdict.ok ? `would be signed in as ${ROLE_LABEL[verdict.role]}` : `would be refused: ${verdict.detail}`,
        },
      });
      logger().info({ ...who, event: "sso_test", byAccountId: test.accountId }, "SSO test sign-in completed");
      return "/org-admin/sso?test=ok";
    }
    const decision = await acceptSsoSignIn(db, orgId, connection, claims, originOf(req.headers));
    if (!decision.ok) {
      logger().warn({ ...who, event: "sso_sign_in_refused", reason: decision.reason, detail: decision.detail }, "SSO sign-in refused");
      return refusedPath(orgId, decision.reason);
    }
    (user as User & { portal?: PortalSignIn }).portal = { accountId: decision.accountId, via: "sso", orgId, since: decision.since };
    logger().info(
      { ...who, event: "sso_sign_in", accountId: decision.accountId, role: decision.role },
      "signed in through the organization's IdP",
    );
    if (config.status !== "working") await recordSsoCheck(db, orgId, { ok: true });
    return true;
  };

  const errorPage = test ? "/org-admin/sso?test=failed" : refusedPath(orgId);
  return {
    provider,
    signIn,
    errorPage,
    /** next-auth's logger for this request: what went wrong in the round trip, to record on the connection. */
    onError(code: string, metadata: unknown) {
      const error = metadata instanceof Error ? metadata : (metadata as { error?: unknown } | undefined)?.error;
      const message =
        error instanceof Error
          ? error.message
          : typeof metadata === "object" && metadata && "message" in metadata
            ? String(metadata.message)
            : code;
      failure = `${code}: ${message}`;
    },
    /**
     * After next-auth answered: a failed round trip is recorded on the connection, and next-auth's error redirect
     * (to /api/auth/error, a request built without this org's options) goes straight to this org's error page.
     */
    async finish(res: Response): Promise<Response> {
      const location = res.headers.get("location");
      const errorAt = location ? new URL(location, getEnv().nextAuthUrl) : null;
      const failed = errorAt?.pathname === "/api/auth/error" ? (errorAt.searchParams.get("error") ?? "Callback") : null;
      if (failed) {
        const error = failure ?? failed;
        await recordSsoCheck(db, orgId, { ok: false, error });
        logger().warn({ event: test ? "sso_test_failed" : "sso_sign_in_failed", orgId, error }, "SSO round trip failed");
      }
      const isCallback = /\/callback\//.test(new URL(req.url).pathname);
      if (!failed && !(test && isCallback)) return res;
      const headers = new Headers(res.headers);
      if (failed) headers.set("location", `${errorPage}&error=${encodeURIComponent(failed)}`);
      if (test && isCallback) headers.append("set-cookie", `${SSO_TEST_COOKIE}=; Path=/api/auth; Max-Age=0; HttpOnly; SameSite=Lax`);
      return new Response(res.body, { status: res.status, headers });
    },
  };
}
