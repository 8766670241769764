// POST /oauth/token — RFC 6749 token endpoint: authorization_code (with PKCE) and refresh_token (rotated).
import { getDb } from "@/db/client";
import { authenticateClient, oauthErrorResponse, oauthJson, readForm } from "@/lib/oauth/endpoint";
import { OAuthError, redeemCode, refresh } from "@/lib/oauth/grants";
import { logger, requestIdOf } from "@/lib/logger";

export const dynamic = "force-dynamic";

export async function POST(req: Request) {
  const requestId = requestIdOf(req.headers);
  try {
    const form = await readForm(req);
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
      return oauthJson(tokens);
    }
    if (grantType === "refresh_token") {
      const token = form.get("refresh_token");
      if (!token) throw new OAuthError("invalid_request", "refresh_token is required.");
      const tokens = await refresh(db, { clientId: client.id, refreshToken: token });
      logger().info({ requestId, event: "oauth_refreshed", clientId: client.id }, "tokens refreshed");
      return oauthJson(tokens);
    }
    throw new OAuthError("unsupported_grant_type", grantType ? `grant_type ${grantType} is not supported.` : "grant_type is required.");
  } catch (e) {
    if (e instanceof OAuthError) logger().warn({ requestId, error: e.error, description: e.description }, "token request refused");
    return oauthErrorResponse(e, { requestId });
  }
}
