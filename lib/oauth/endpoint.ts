import { timingSafeEqual } from "node:crypto";
import { getEnv } from "@/lib/env";
import { BODY_LIMITS, BodyTooLarge, readBodyText } from "@/lib/http/body";
import { hashSecret } from "@/lib/auth/secrets";
import { logger } from "@/lib/logger";
import type { OAuthClient } from "./clients";
import { OAuthError } from "./grants";

const NO_STORE = { "cache-control": "no-store", pragma: "no-cache" };

export function oauthJson(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { ...NO_STORE, ...headers } });
}

/** RFC 6749 §5.2 errors; anything unexpected is logged and answered as server_error without details. */
export function oauthErrorResponse(e: unknown, context: Record<string, unknown>): Response {
  if (e instanceof OAuthError) {
    const headers: Record<string, string> = e.error === "invalid_client" ? { "www-authenticate": 'Basic realm="oauth"' } : {};
    return oauthJson({ error: e.error, error_description: e.description }, e.error === "invalid_client" ? 401 : e.status, headers);
  }
  logger().error({ ...context, err: e instanceof Error ? e.message : String(e) }, "oauth endpoint failed");
  return oauthJson({ error: "server_error", error_description: "The request could not be completed. Please retry." }, 500);
}

/** RFC 6749 has no error for a large body: invalid_request, with status 413. */
export function tooLargeAsOAuthError(e: unknown): never {
  if (e instanceof BodyTooLarge) throw new OAuthError("invalid_request", `The request body is larger than ${e.limit} bytes.`, 413);
  throw e;
}

/** A form-encoded POST body (the only encoding token and revocation endpoints take). */
export async function readForm(req: Request): Promise<URLSearchParams> {
  const type = req.headers.get("content-type") ?? "";
  if (!type.toLowerCase().startsWith("application/x-www-form-urlencoded"))
    throw new OAuthError("invalid_request", "The body must be application/x-www-form-urlencoded.");
  const text = await readBodyText(req, BODY_LIMITS.oauthForm).catch(tooLargeAsOAuthError);
  const form = new URLSearchParams(text);
  for (const key of new Set(form.keys()))
    if (form.getAll(key).length > 1) throw new OAuthError("invalid_request", `The parameter ${key} is repeated.`);
  return form;
}

function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(Buffer.from(hashSecret(a), "hex"), Buffer.from(hashSecret(b), "hex"));
}

/** The client id a token request names (Basic credentials, else client_id), before it is authenticated. */
export function claimedClientId(req: Request, form: URLSearchParams): string {
  const header = req.headers.get("authorization");
  if (header && /^basic\s+/i.test(header)) {
    const decoded = Buffer.from(header.replace(/^basic\s+/i, ""), "base64").toString("utf8");
    return decoded.slice(0, Math.max(0, decoded.indexOf(":"))).slice(0, 200);
  }
  return (form.get("client_id") ?? "").slice(0, 200);
}

/** client_secret_basic or client_secret_post (not both); invalid_client when it does not check out. */
export function authenticateClient(req: Request, form: URLSearchParams): OAuthClient {
  const header = req.headers.get("authorization");
  let id: string | null = null;
  let secret: string | null = null;
  if (header && /^basic\s+/i.test(header)) {
    if (form.has("client_secret")) throw new OAuthError("invalid_request", "Use one client authentication method, not two.");
    const decoded = Buffer.from(header.replace(/^basic\s+/i, ""), "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon < 0) throw new OAuthError("invalid_client", "Malformed Basic credentials.");
    try {
      id = decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, "%20"));
      secret = decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, "%20"));
    } catch {
      throw new OAuthError("invalid_client", "Malformed Basic credentials.");
    }
    const formId = form.get("client_id");
    if (formId && formId !== id) throw new OAuthError("invalid_request", "client_id does not match the Basic credentials.");
  } else {
    id = form.get("client_id");
    secret = form.get("client_secret");
  }
  if (!id || !secret)
    throw new OAuthError("invalid_client", "Client authentication is required (client_secret_basic or client_secret_post).");
  const client = getEnv().oauthClients.find((c) => c.id === id);
  // Compare against something even for unknown clients, so timing does not tell which ids exist.
  const ok = sameSecret(secret, client?.secret ?? "no-such-client-secret-0000");
  if (!client || !ok) throw new OAuthError("invalid_client", "Unknown client or wrong client secret.");
  return client;
}
