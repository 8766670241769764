"use client";

/**
 * Starts next-auth's sign-in with an org's IdP from the browser: the CSRF token, then POST
 * /api/auth/signin/sso-{orgId}, which answers the IdP's authorization URL (with state, nonce and the PKCE
 * challenge, their verifiers kept in next-auth's cookies). next-auth/react's signIn() would first look the provider
 * up in /api/auth/providers, which lists only the providers every request has — an org's is built per request.
 */
export async function startSsoSignIn(orgId: string, callbackUrl: string, loginHint?: string): Promise<void> {
  const csrf = await fetch("/api/auth/csrf", { cache: "no-store" });
  if (!csrf.ok) throw new Error("The sign-in service is not reachable.");
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const query = loginHint ? `?${new URLSearchParams({ login_hint: loginHint })}` : "";
  const res = await fetch(`/api/auth/signin/sso-${encodeURIComponent(orgId)}${query}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ csrfToken, callbackUrl, json: "true" }),
  });
  const { url } = (await res.json().catch(() => ({}))) as { url?: string };
  if (!url) throw new Error("The sign-in with your identity provider could not be started.");
  window.location.assign(url);
}
