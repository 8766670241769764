// POST /oauth/revoke — RFC 7009 token revocation (access or refresh token; a refresh token revokes its whole grant).
import { getDb } from "@/db/client";
import { authenticateClient, oauthErrorResponse, oauthJson, readForm } from "@/lib/oauth/endpoint";
import { OAuthError, revokeToken } from "@/lib/oauth/grants";
import { requestIdOf } from "@/lib/logger";

export const dynamic = "force-dynamic";

export async function POST(req: Request) {
  try {
    const form = await readForm(req);
    const client = authenticateClient(req, form);
    const token = form.get("token");
    if (!token) throw new OAuthError("invalid_request", "token is required.");
    await revokeToken(await getDb(), { clientId: client.id, token });
    return oauthJson({});
  } catch (e) {
    return oauthErrorResponse(e, { requestId: requestIdOf(req.headers) });
  }
}
