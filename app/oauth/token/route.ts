// POST /oauth/token — RFC 6749 token endpoint: authorization_code (with PKCE) and refresh_token (rotated).
import { getDb } from "@/db/client";
import { authenticateClient, claimedClientId, oauthErrorResponse, oauthJson, readForm } from "@/lib/oauth/endpoint";
import { checkAttempt, clientAddress, recordFailure, recordSuccess } from "@/lib/limits/throttle";
import { OAuthError, redeemCode, refresh } from "@/lib/oauth/grants";
import { logger, requestIdOf } from "@/lib/logger";

export const dynamic = "force-dynamic";

/** Failures that count against a client from an address (guessing secrets, codes or refresh tokens). */
const GUESSES = new Set(["invalid_client", "invalid_grant"]);

export async function POST(req: Request) {
  const requestId = requestIdOf(req.headers);
  const address = clientAddress(req.headers);
  let claimed = "";
  try {
    const form = await readForm(req);
    claimed = claimedClientId(req, form);
    const allowed = await checkAttempt("oauth", claimed, address);
    if (!allowed.ok)
      return oauthJson(
        {
          error: "invalid_request",
          error_description: `Too many failed token requests for this client from here: retry after ${allowed.retryAfterSeconds} seconds.`,
        },
        429,
        { "retry-after": String(allowed.retryAfterSeconds) },
      );
    const client = authenticateClient(req, form);
    const grantType = form.get("grant_type");
    const db = await getDb();
    if (grantType === "authorization_code") {
      const code = form.get("code");
      if (!code) throw new OAuthError("invalid_request", "code is required.");
      const tokens = await redeemCode(db, {
        clientId: client.id,
        code,
        redirectUri: form.get("redirect_uri"),
        codeVerifier: form.get("code_verifier"),
      });
      logger().info({ requestId, event: "oauth_code_redeemed", clientId: client.id }, "authorization code redeemed");
      await recordSuccess("oauth", claimed, address).catch(() => {});
      return oauthJson(tokens);
    }
    if (grantType === "refresh_token") {
      const token = form.get("refresh_token");
      if (!token) throw new OAuthError("invalid_request", "refresh_token is required.");
      const tokens = await refresh(db, { clientId: client.id, refreshToken: token });
      logger().info({ requestId, event: "oauth_refreshed", clientId: client.id }, "tokens refreshed");
      await recordSuccess("oauth", claimed, address).catch(() => {});
      return oauthJson(tokens);
    }
    throw new OAuthError("unsupported_grant_type", grantType ? `grant_type ${grantType} is not supported.` : "grant_type is required.");
  } catch (e) {
    if (e instanceof OAuthError) logger().warn({ requestId, error: e.error, description: e.description }, "token request refused");
    if (e instanceof OAuthError && GUESSES.has(e.error)) await recordFailure("oauth", claimed, address).catch(() => {});
    return oauthErrorResponse(e, { requestId });
  }
}
