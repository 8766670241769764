/**
 * The security headers of every response, in one place. Pages get a nonce-based Content-Security-Policy from the
 * proxy (proxy.ts: a fresh nonce per request, which Next.js puts on its own scripts); everything else — the SCIM
 * API, the OAuth endpoints, next-auth's routes, health — gets the static headers of next.config.ts, with a CSP that
 * allows nothing (they answer JSON, or a plain page without scripts). No page may be framed (the consent screen
 * above all): `frame-ancestors 'none'` and X-Frame-Options. HSTS goes out only on requests that came over https
 * (`x-forwarded-proto: https`, set by the TLS-terminating proxy in front of the portal).
 */

export const HSTS = "max-age=63072000; includeSubDomains";

/** The headers every response carries. */
export const BASE_SECURITY_HEADERS: Record<string, string> = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "strict-origin-when-cross-origin",
  "X-Frame-Options": "DENY",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
};

/** The CSP of responses that are not pages: nothing may load, nothing may frame them. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * A page's CSP: scripts only from this origin with the request's nonce ('strict-dynamic': what they load is
 * trusted too), styles from this origin (and inline style attributes, which React sets), no plugins, no framing,
 * no <base> to another origin. Form targets are not restricted: sign-in and consent answers redirect to the
 * organization's identity provider, which form-action would block. Development adds 'unsafe-eval' (React's dev
 * tooling needs it).
 */
export function pageCsp(nonce: string, development = false): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** A fresh nonce for one page response. */
export function newNonce(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
}

/** Whether the request reached the portal over https (behind a TLS-terminating proxy). */
export function cameOverHttps(headers: Headers): boolean {
  return (headers.get("x-forwarded-proto") ?? "").split(",")[0]!.trim().toLowerCase() === "https";
}

/**
 * Paths that are not pages (route handlers): they get the static headers (next.config.ts) and the proxy does not
 * run for them — it would also buffer their bodies, which the bounded reader (lib/http/body.ts) must read itself.
 */
export const NON_PAGE_PATHS = ["/scim/", "/api/", "/oauth/token", "/oauth/revoke", "/oauth/authorize/decision", "/.well-known/"];
