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
    const res = await this.request.post("/api/auth/callback/credentials", {
      form: { csrfToken, email, password, json: "true" },
      maxRedirects: 0,
    });
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
    const res = await this.request.post("/oauth/authorize/decision", {
      form: { ...fields, decision, ...(orgId ? { org_id: orgId } : {}) },
      maxRedirects: 0,
    });
    expect(res.status(), await res.text()).toBe(303);
    return new URL(res.headers()["location"]!);
  }

  async token(form: Record<string, string>, auth: "basic" | "post" = "basic") {
    const headers: Record<string, string> =
      auth === "basic"
        ? {
            authorization: `Basic ${Buffer.from(`${encodeURIComponent(this.clientId)}:${encodeURIComponent(this.clientSecret)}`).toString("base64")}`,
          }
        : {};
    const body = auth === "post" ? { ...form, client_id: this.clientId, client_secret: this.clientSecret } : form;
    return this.request.post("/oauth/token", { form: body, headers });
  }

  exchange(code: string, over: Record<string, string> = {}) {
    return this.token({ grant_type: "authorization_code", code, redirect_uri: this.redirectUri, code_verifier: this.verifier, ...over });
  }
}

function decode(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

type Person = { email: string; given: string; family: string };
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

/**
 * Okta's provisioning calls, in Okta's order and shapes (IDP-BEHAVIOUR.md): lookup-before-create by URL-encoded
 * userName filter, GET-then-PUT updates, deactivation by PATCH without path, a rename before every membership
 * change, imports paged by 100. `token` is the current access token (swap it after a refresh).
 */
export class OktaProvisioning {
  constructor(
    private readonly request: APIRequestContext,
    private readonly base: string,
    public token: string,
  ) {}

  private send(method: string, path: string, body?: unknown) {
    return this.request.fetch(`${this.base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        accept: "application/scim+json",
        ...(body ? { "content-type": "application/scim+json; charset=utf-8" } : {}),
      },
      data: body ? JSON.stringify(body) : undefined,
    });
  }

  async testCredentials() {
    expect((await this.send("GET", "/Users?startIndex=1&count=2")).status()).toBe(200);
    expect((await this.send("GET", "/Groups?startIndex=1&count=100")).status()).toBe(200);
  }

  async assign(p: Person): Promise<string> {
    const lookup = await (
      await this.send("GET", `/Users?filter=${encodeURIComponent(`userName eq "${p.email}"`)}&startIndex=1&count=100`)
    ).json();
    expect(lookup.totalResults).toBe(0);
    const res = await this.send("POST", "/Users", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName: p.email,
      name: { givenName: p.given, familyName: p.family },
      emails: [{ primary: true, value: p.email, type: "work" }],
      displayName: `${p.given} ${p.family}`,
      locale: "en-US",
      externalId: `00u${randomBytes(6).toString("hex")}`,
      groups: [],
      password: randomBytes(12).toString("base64url"),
      active: true,
    });
    expect(res.status(), await res.text()).toBe(201);
    return (await res.json()).id;
  }

  async pushGroup(name: string): Promise<string> {
    const found = await (
      await this.send("GET", `/Groups?filter=${encodeURIComponent(`displayName eq "${name}"`)}&startIndex=1&count=100`)
    ).json();
    expect(found.totalResults).toBe(0);
    const res = await this.send("POST", "/Groups", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
      displayName: name,
      members: [],
    });
    expect(res.status()).toBe(201);
    return (await res.json()).id;
  }

  /** Okta sends the group's name (a rename) before every membership change. */
  async setMembers(groupId: string, name: string, add: string[], remove: string[] = []) {
    const ops: unknown[] = [{ op: "replace", value: { id: groupId, displayName: name } }];
    for (const id of remove) ops.push({ op: "remove", path: `members[value eq "${id}"]` });
    if (add.length) ops.push({ op: "add", path: "members", value: add.map((value) => ({ value, display: value })) });
    expect((await this.send("PATCH", `/Groups/${groupId}`, { schemas: [PATCH_OP], Operations: ops })).status()).toBe(204);
  }

  async rename(groupId: string, name: string) {
    expect(
      (
        await this.send("PATCH", `/Groups/${groupId}`, {
          schemas: [PATCH_OP],
          Operations: [{ op: "replace", value: { id: groupId, displayName: name } }],
        })
      ).status(),
    ).toBe(204);
  }

  async updateName(userId: string, given: string) {
    const current = await (await this.send("GET", `/Users/${userId}`)).json();
    const res = await this.send("PUT", `/Users/${userId}`, {
      ...current,
      name: { ...current.name, givenName: given },
      displayName: `${given} ${current.name.familyName}`,
    });
    expect(res.status()).toBe(200);
  }

  async setActive(userId: string, active: boolean) {
    const res = await this.send("PATCH", `/Users/${userId}`, { schemas: [PATCH_OP], Operations: [{ op: "replace", value: { active } }] });
    expect(res.status()).toBe(200);
    return res.json();
  }

  /** Import: page by 100 until totalResults. */
  async importAll(resource: "Users" | "Groups"): Promise<{ id: string }[]> {
    const all: { id: string }[] = [];
    for (let start = 1; ; start += 100) {
      const page = await (await this.send("GET", `/${resource}?startIndex=${start}&count=100`)).json();
      all.push(...page.Resources);
      if (start + 100 > page.totalResults) return all;
    }
  }

  raw(method: string, path: string) {
    return this.send(method, path);
  }
}
