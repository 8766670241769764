import { z } from "zod";

/**
 * OAuth clients are deployment configuration, not data: the Okta client (one id and secret for the whole product,
 * as Okta's OIN model has it) plus any others from OAUTH_CLIENTS. Redirect URIs are exact, except that a
 * `{appName}` placeholder matches one path segment — Okta's callback is
 * `https://system-admin.okta.com/admin/app/cpc/{appName}/oauth/callback`.
 */
export type OAuthClient = {
  id: string;
  name: string;
  secret: string;
  redirectUris: string[];
  /** The client must use PKCE (S256): an authorization request without a code_challenge is refused. */
  requirePkce?: boolean;
};

export const OKTA_DEFAULT_REDIRECT_URIS = [
  "https://system-admin.okta.com/admin/app/cpc/{appName}/oauth/callback",
  "https://system-admin.okta-emea.com/admin/app/cpc/{appName}/oauth/callback",
  "https://system-admin.oktapreview.com/admin/app/cpc/{appName}/oauth/callback",
  "https://system-admin.trexcloud.com/admin/app/cpc/{appName}/oauth/callback",
  "http://system-admin.okta1.com:1802/admin/app/cpc/{appName}/oauth/callback",
];

/** Development defaults, documented in the README; a production server refuses to start without a real secret. */
export const DEV_OKTA_CLIENT_ID = "okta-scim-dev";
export const DEV_OKTA_CLIENT_SECRET = "okta-scim-dev-secret-change-me";

const clientSchema = z.object({
  id: z.string().min(3).max(200),
  name: z.string().min(1).max(100),
  secret: z.string().min(16, "client secrets have at least 16 characters"),
  redirectUris: z.array(z.string().min(1)).min(1),
  requirePkce: z.boolean().optional(),
});

export function parseClientList(json: string): OAuthClient[] {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new Error("OAUTH_CLIENTS is not valid JSON");
  }
  const parsed = z.array(clientSchema).safeParse(raw);
  if (!parsed.success) throw new Error(`OAUTH_CLIENTS: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  for (const c of parsed.data) for (const uri of c.redirectUris) checkPattern(uri);
  return parsed.data;
}

/** A redirect URI pattern must be an absolute http(s) URL without query or fragment. */
export function checkPattern(pattern: string): void {
  const probe = pattern.replaceAll("{appName}", "app");
  let url: URL;
  try {
    url = new URL(probe);
  } catch {
    throw new Error(`redirect URI "${pattern}" is not an absolute URL`);
  }
  if (!/^https?:$/.test(url.protocol) || url.search || url.hash || url.username || url.password)
    throw new Error(`redirect URI "${pattern}" must be http(s) without query, fragment or credentials`);
}

const SEGMENT = /^[A-Za-z0-9._~-]+$/;

/**
 * Whether `uri` is one of the client's registered redirect URIs. Compared as parsed URLs, component by component,
 * so look-alike hosts (`system-admin.okta.com.evil.io`), other ports, userinfo, extra path segments, encoded
 * slashes, dot segments, queries and fragments all fail.
 */
export function redirectUriAllowed(client: OAuthClient, uri: string): boolean {
  if (uri.length > 2000 || /[\s\\]/.test(uri)) return false;
  let target: URL;
  try {
    target = new URL(uri);
  } catch {
    return false;
  }
  if (target.username || target.password || target.search || target.hash || uri.includes("#") || uri.includes("?")) return false;
  // The raw path must be what the URL parser kept (no dot segments or encodings it normalised away).
  const rawPath = uri.slice(uri.indexOf("//") + 2).replace(/^[^/]*/, "");
  if (rawPath !== target.pathname) return false;
  return client.redirectUris.some((pattern) => {
    const p = new URL(pattern.replaceAll("{appName}", "__APP__"));
    if (p.protocol !== target.protocol || p.host !== target.host) return false;
    const want = p.pathname.split("/");
    const got = target.pathname.split("/");
    if (want.length !== got.length) return false;
    return want.every((seg, i) => {
      const actual = got[i]!;
      if (seg === "__APP__") return SEGMENT.test(actual) && actual !== "." && actual !== "..";
      return seg === actual;
    });
  });
}

export const SCOPES = {
  "scim:read": "Read the organization's users and groups",
  "scim:write": "Create, update, deactivate and delete the organization's users and groups",
  offline_access: "Stay connected (refresh its access without asking again)",
} as const;
export type Scope = keyof typeof SCOPES;
export const DEFAULT_SCOPES: Scope[] = ["scim:read", "scim:write", "offline_access"];

/** The requested scopes we know, in a stable order; no scope at all means the default set. Unknown scopes are dropped. */
export function normalizeScopes(raw: string | null | undefined): Scope[] {
  if (!raw || !raw.trim()) return DEFAULT_SCOPES;
  const asked = new Set(raw.split(/\s+/).filter(Boolean));
  return (Object.keys(SCOPES) as Scope[]).filter((s) => asked.has(s));
}
