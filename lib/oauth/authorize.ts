import { createHmac, timingSafeEqual } from "node:crypto";
import { getEnv } from "@/lib/env";
import { normalizeScopes, redirectUriAllowed, type OAuthClient, type Scope } from "./clients";
import { isValidChallenge } from "./pkce";

/** A checked authorization request (RFC 6749 §4.1.1 + RFC 7636). */
export type AuthorizeRequest = {
  client: OAuthClient;
  redirectUri: string;
  state?: string;
  scopes: Scope[];
  codeChallenge?: string;
};

export type AuthorizeCheck =
  /** Unknown client or unregistered redirect URI: shown on our side, never redirected (RFC 6749 §4.1.2.1). */
  | { kind: "fatal"; title: string; message: string }
  /** Anything else wrong goes back to the client. */
  | { kind: "redirect"; location: string }
  | { kind: "ok"; request: AuthorizeRequest };

const PARAMS = ["client_id", "redirect_uri", "response_type", "scope", "state", "code_challenge", "code_challenge_method"] as const;

export function errorRedirect(redirectUri: string, error: string, description: string, state?: string): string {
  const url = new URL(redirectUri);
  url.searchParams.set("error", error);
  url.searchParams.set("error_description", description);
  if (state !== undefined) url.searchParams.set("state", state);
  return url.toString();
}

export function codeRedirect(redirectUri: string, code: string, state?: string): string {
  const url = new URL(redirectUri);
  url.searchParams.set("code", code);
  if (state !== undefined) url.searchParams.set("state", state);
  return url.toString();
}

export function checkAuthorizeRequest(params: URLSearchParams): AuthorizeCheck {
  const clientId = params.get("client_id");
  const client = clientId ? getEnv().oauthClients.find((c) => c.id === clientId) : undefined;
  if (!client)
    return {
      kind: "fatal",
      title: "Unknown application",
      message: clientId
        ? `No application with client ID "${clientId}" is registered here.`
        : "The request names no application (client_id is missing).",
    };
  const redirectUri = params.get("redirect_uri");
  if (!redirectUri || !redirectUriAllowed(client, redirectUri) || params.getAll("redirect_uri").length > 1)
    return {
      kind: "fatal",
      title: "This redirect address is not allowed",
      message: `${client.name} asked to send you back to ${redirectUri ? `"${redirectUri}"` : "no address"}, which is not one of its registered redirect URIs. Nothing was authorized.`,
    };
  const state = params.get("state") ?? undefined;
  const fail = (error: string, description: string): AuthorizeCheck => ({
    kind: "redirect",
    location: errorRedirect(redirectUri, error, description, state),
  });
  for (const p of PARAMS) if (params.getAll(p).length > 1) return fail("invalid_request", `The parameter ${p} is repeated.`);
  if (params.get("response_type") !== "code") return fail("unsupported_response_type", "Only response_type=code is supported.");
  const challenge = params.get("code_challenge");
  const method = params.get("code_challenge_method");
  if (method && method !== "S256") return fail("invalid_request", "Only the S256 code_challenge_method is supported (plain is refused).");
  if (challenge && method !== "S256") return fail("invalid_request", "code_challenge_method=S256 is required with a code_challenge.");
  if (method && !challenge) return fail("invalid_request", "code_challenge is missing.");
  if (client.requirePkce && !challenge)
    return fail("invalid_request", `${client.name} must use PKCE: send a code_challenge with code_challenge_method=S256.`);
  if (challenge && !isValidChallenge(challenge))
    return fail("invalid_request", "code_challenge must be a base64url SHA-256 digest (43 characters).");
  const scopes = normalizeScopes(params.get("scope"));
  if (!scopes.length) return fail("invalid_scope", "None of the requested scopes is supported (scim:read, scim:write, offline_access).");
  return { kind: "ok", request: { client, redirectUri, state, scopes, codeChallenge: challenge ?? undefined } };
}

/** The request's parameters as the consent form carries them back. */
export function requestFields(r: AuthorizeRequest): Record<string, string> {
  return {
    client_id: r.client.id,
    redirect_uri: r.redirectUri,
    response_type: "code",
    scope: r.scopes.join(" "),
    ...(r.state !== undefined ? { state: r.state } : {}),
    ...(r.codeChallenge ? { code_challenge: r.codeChallenge, code_challenge_method: "S256" } : {}),
  };
}

/** Binds the consent form to the signed-in account and to this exact request (CSRF protection for the POST). */
export function consentToken(accountId: string, fields: Record<string, string>): string {
  const canonical = JSON.stringify([accountId, ...PARAMS.map((p) => fields[p] ?? null)]);
  return createHmac("sha256", getEnv().nextAuthSecret).update(canonical).digest("base64url");
}

export function consentTokenValid(token: string, accountId: string, fields: Record<string, string>): boolean {
  const expected = Buffer.from(consentToken(accountId, fields));
  const given = Buffer.from(token);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
