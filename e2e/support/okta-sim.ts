import { randomBytes } from "node:crypto";
import { expect, type APIRequestContext } from "@playwright/test";
import { DEV_OKTA_CLIENT_ID, DEV_OKTA_CLIENT_SECRET } from "@/lib/oauth/clients";
import { s256 } from "@/lib/oauth/pkce";

/**
 * Okta's side of "Authenticate with …", as an HTTP client with a cookie jar (Playwright's request context):
 * it sends the admin's browser to /oauth/authorize, follows the consent form, swaps the code at /oauth/token with
 * client_secret_basic, and refreshes when it needs to.
 */
export class OktaSimulator {
  readonly appName = `acme_scim_${randomBytes(3).toString("hex")}`;
  readonly redirectUri = `https://system-admin.okta.com/admin/app/cpc/${this.appName}/oauth/callback`;
  readonly verifier = randomBytes(32).toString("base64url");
  readonly state = randomBytes(12).toString("base64url");
  constructor(
    private readonly request: APIRequestContext,
    readonly clientId = DEV_OKTA_CLIENT_ID,
    readonly clientSecret = DEV_OKTA_CLIENT_SECRET,
  ) {}

  authorizePath(over: Record<string, string | null> = {}): string {
    const params: Record<string, string | null> = {
      response_type: "code",
      client_id: this.clientId,
      redirect_uri: this.redirectUri,
      scope: "scim:read scim:write offline_access",
      state: this.state,
      code_challenge: s256(this.verifier),
      code_challenge_method: "S256",
      ...over,
    };
    const q = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== null));
    return `/oauth/authorize?${q}`;
  }

  /** next-auth's credentials sign-in, as the browser's form does it. */
  async signIn(email: string, password: string) {
    const { csrfToken } = await (await this.request.get("/api/auth/csrf")).json();
    const res = await this.request.post("/api/auth/callback/credentials", { form: { csrfToken, email, password, json: "true" }, maxRedirects: 0 });
    expect([200, 302]).toContain(res.status());
    const session = await (await this.request.get("/api/auth/session")).json();
    expect(session.user?.email?.toLowerCase()).toBe(email.toLowerCase());
  }

  /** Loads the consent screen and returns its form fields (hidden inputs). */
  async consentForm(path = this.authorizePath()): Promise<Record<string, string>> {
    const res = await this.request.get(path, { maxRedirects: 0 });
    expect(res.status(), await res.text()).toBe(200);
    const html = await res.text();
    const fields: Record<string, string> = {};
    for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\/?>/g)) fields[m[1]!] = decode(m[2]!);
    expect(fields.consent).toBeTruthy();
    return fields;
  }

  /** Clicks Authorize & Install (or Cancel) and returns where the browser is sent. */
  async decide(fields: Record<string, string>, decision: "allow" | "deny", orgId?: string): Promise<URL> {
    const res = await this.request.post("/oauth/authorize/decision", { form: { ...fields, decision, ...(orgId ? { org_id: orgId } : {}) }, maxRedirects: 0 });
    expect(res.status(), await res.text()).toBe(303);
    return new URL(res.headers()["location"]!);
  }

  async token(form: Record<string, string>, auth: "basic" | "post" = "basic") {
    const headers: Record<string, string> =
      auth === "basic" ? { authorization: `Basic ${Buffer.from(`${encodeURIComponent(this.clientId)}:${encodeURIComponent(this.clientSecret)}`).toString("base64")}` } : {};
    const body = auth === "post" ? { ...form, client_id: this.clientId, client_secret: this.clientSecret } : form;
    return this.request.post("/oauth/token", { form: body, headers });
  }

  exchange(code: string, over: Record<string, string> = {}) {
    return this.token({ grant_type: "authorization_code", code, redirect_uri: this.redirectUri, code_verifier: this.verifier, ...over });
  }
}

function decode(s: string): string {
  return s.replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}
