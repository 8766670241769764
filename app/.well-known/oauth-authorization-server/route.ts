// GET /.well-known/oauth-authorization-server — RFC 8414 authorization server metadata.
import { getEnv } from "@/lib/env";
import { SCOPES } from "@/lib/oauth/clients";

export const dynamic = "force-dynamic";

export function GET() {
  const issuer = getEnv().appUrl;
  return Response.json(
    {
      issuer,
      authorization_endpoint: `${issuer}/oauth/authorize`,
      token_endpoint: `${issuer}/oauth/token`,
      revocation_endpoint: `${issuer}/oauth/revoke`,
      response_types_supported: ["code"],
      response_modes_supported: ["query"],
      grant_types_supported: ["authorization_code", "refresh_token"],
      code_challenge_methods_supported: ["S256"],
      token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
      revocation_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
      scopes_supported: Object.keys(SCOPES),
    },
    { headers: { "cache-control": "public, max-age=300" } },
  );
}
