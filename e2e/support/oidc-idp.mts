/**
 * "The org's Okta" for the end-to-end suite: a real oidc-provider OpenID Provider on 127.0.0.1.
 *
 *   node_modules/.bin/tsx e2e/support/oidc-idp.mts      (Playwright's webServer runs it; it runs until killed)
 *
 * Env: E2E_IDP_PORT (default 3199) and E2E_APP_URL (default http://localhost:3100).
 *
 * - Clients are made up on demand: any client_id `org-<8..64 of [a-z0-9]>` exists, with secret `secret-<client_id>`
 *   (client_secret_basic), code flow only, PKCE S256 required, and the single redirect URI
 *   `${APP}/api/auth/callback/sso-<client_id without "org-">`.
 * - People are made up from what is typed into the login form, `<email>[;sub=<sub>][;unverified]`:
 *   `alice@example.org` → { sub: "idp-alice@example.org", email, email_verified: true, name: "alice" };
 *   `;sub=x` sets the subject, `;unverified` makes email_verified false. Any password is accepted.
 * - Every authorization request shows the login form (one form, no consent page: scopes are granted outright),
 *   even when the browser still has a session here, so the suite can switch people freely.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import Provider, { interactionPolicy, type Account, type KoaContextWithOIDC } from "oidc-provider";

const IDP = {
  port: Number(process.env.E2E_IDP_PORT ?? 3199),
  get issuer() {
    return `http://127.0.0.1:${this.port}`;
  },
  appUrl: (process.env.E2E_APP_URL ?? "http://localhost:3100").replace(/\/+$/, ""),
  scopes: ["openid", "email", "profile"],
  clientIdPattern: /^org-[a-z0-9]{8,64}$/,
};

// ---- clients: computed from the id ------------------------------------------------------------------------------
function clientFor(id: string) {
  if (!IDP.clientIdPattern.test(id)) return undefined;
  return {
    client_id: id,
    client_secret: `secret-${id}`,
    redirect_uris: [`${IDP.appUrl}/api/auth/callback/sso-${id.slice("org-".length)}`],
    grant_types: ["authorization_code"],
    response_types: ["code"],
    token_endpoint_auth_method: "client_secret_basic", // one method per client; next-auth v4 uses this one
  };
}

// ---- storage: one in-memory Map for every model (Client is computed, never stored) -------------------------------
type Payload = Record<string, unknown> & { grantId?: string; uid?: string; userCode?: string };
const store = new Map<string, { payload: Payload; expiresAt: number }>();
const index = new Map<string, string>(); // "Model:uid:<uid>" / "Model:userCode:<code>" → id
const grants = new Map<string, Set<string>>(); // grantId → store keys of its tokens

class MapAdapter {
  constructor(private readonly model: string) {}
  private key(id: string) {
    return `${this.model}:${id}`;
  }

  async upsert(id: string, payload: Payload, expiresIn?: number) {
    const key = this.key(id);
    store.set(key, { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : Infinity });
    if (payload.uid) index.set(`${this.model}:uid:${payload.uid}`, id);
    if (payload.userCode) index.set(`${this.model}:userCode:${payload.userCode}`, id);
    if (payload.grantId) grants.set(payload.grantId, (grants.get(payload.grantId) ?? new Set()).add(key));
  }
  async find(id: string): Promise<Payload | undefined> {
    if (this.model === "Client") return clientFor(id);
    const entry = store.get(this.key(id));
    if (entry && entry.expiresAt <= Date.now()) store.delete(this.key(id));
    return entry && entry.expiresAt > Date.now() ? entry.payload : undefined;
  }
  async findByUid(uid: string) {
    const id = index.get(`${this.model}:uid:${uid}`);
    return id ? this.find(id) : undefined;
  }
  async findByUserCode(userCode: string) {
    const id = index.get(`${this.model}:userCode:${userCode}`);
    return id ? this.find(id) : undefined;
  }
  async consume(id: string) {
    const entry = store.get(this.key(id));
    if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000);
  }
  async destroy(id: string) {
    store.delete(this.key(id));
  }
  async revokeByGrantId(grantId: string) {
    for (const key of grants.get(grantId) ?? []) store.delete(key);
    grants.delete(grantId);
  }
}

// ---- people: parsed from the login string, remembered by sub once they have signed in ----------------------------
type Person = { sub: string; email: string; email_verified: boolean; name: string };
const people = new Map<string, Person>();

function parseLogin(login: string): Person | undefined {
  const [email = "", ...options] = login
    .trim()
    .split(";")
    .map((s) => s.trim());
  if (!/^[^\s@]+@[^\s@]+$/.test(email)) return undefined;
  const person: Person = { sub: `idp-${email}`, email, email_verified: true, name: email.slice(0, email.indexOf("@")) };
  for (const option of options) {
    if (option === "unverified") person.email_verified = false;
    else if (option.startsWith("sub=") && option.length > 4) person.sub = option.slice(4);
    else return undefined;
  }
  return person;
}

// oidc-provider always uses accountId as the `sub` claim, so the account id IS the sub.
async function findAccount(_ctx: KoaContextWithOIDC, sub: string): Promise<Account | undefined> {
  const person = people.get(sub);
  return person && { accountId: sub, claims: () => ({ ...person }) };
}

// ---- interaction policy: always ask who is signing in; consent is granted without asking -------------------------
const policy = interactionPolicy.base();
policy
  .get("login")
  ?.checks.push(
    new interactionPolicy.Check("fresh_login", "every authorization signs in afresh", (ctx) =>
      ctx.oidc.result?.login ? interactionPolicy.Check.NO_NEED_TO_PROMPT : interactionPolicy.Check.REQUEST_PROMPT,
    ),
  );

async function loadExistingGrant(ctx: KoaContextWithOIDC) {
  const { provider, client, session, result } = ctx.oidc;
  if (!client || !session?.accountId) return undefined;
  const grantId = result?.consent?.grantId ?? session.grantIdFor(client.clientId);
  const grant =
    (grantId && (await provider.Grant.find(grantId))) || new provider.Grant({ accountId: session.accountId, clientId: client.clientId });
  grant.addOIDCScope(IDP.scopes.join(" "));
  grant.addOIDCClaims(["sub", "email", "email_verified", "name"]);
  await grant.save();
  return grant;
}

const provider = new Provider(IDP.issuer, {
  adapter: MapAdapter,
  findAccount,
  loadExistingGrant,
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
  scopes: IDP.scopes,
  conformIdTokenClaims: false, // scope claims go into the ID token, as Okta does
  responseTypes: ["code"],
  pkce: { required: () => true }, // S256 is the only method oidc-provider 9 supports
  ttl: { Interaction: 3600, Session: 86400, Grant: 86400, AuthorizationCode: 60, IdToken: 3600, AccessToken: 3600 },
  cookies: { keys: ["e2e-idp-cookie-key-1", "e2e-idp-cookie-key-2"] },
  // devInteractions would make the typed login the accountId (= sub); our own tiny form below maps login → sub.
  features: { devInteractions: { enabled: false } },
  interactions: { policy, url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
});

// ---- the login page: GET /interaction/:uid shows it, POST /interaction/:uid submits it ---------------------------
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function loginPage(uid: string, clientId: string, login: string, error?: string) {
  return `<!doctype html><html><head><meta charset="utf-8"><title>Sign-in</title></head><body>
<h1>Sign-in</h1><p>to ${esc(clientId)} — login is <code>email[;sub=…][;unverified]</code>, any password</p>
${error ? `<p role="alert">${esc(error)}</p>` : ""}
<form method="post" action="/interaction/${esc(uid)}" autocomplete="off">
  <input required type="text" name="login" placeholder="Enter any login" value="${esc(login)}" autofocus>
  <input required type="password" name="password" placeholder="and password">
  <button type="submit">Sign-in</button>
</form></body></html>`;
}

async function readForm(req: IncomingMessage) {
  let body = "";
  for await (const chunk of req) body += chunk;
  return new URLSearchParams(body);
}

async function interaction(req: IncomingMessage, res: ServerResponse) {
  const details = await provider.interactionDetails(req, res);
  const clientId = details.params.client_id ?? "";
  let login = details.params.login_hint ?? "";
  let error: string | undefined;
  if (details.prompt.name !== "login") throw new Error(`unexpected prompt ${details.prompt.name}`);
  if (req.method === "POST") {
    login = (await readForm(req)).get("login") ?? "";
    const person = parseLogin(login);
    if (person) {
      people.set(person.sub, person);
      const returnTo = await provider.interactionResult(req, res, { login: { accountId: person.sub } }, { mergeWithLastSubmission: false });
      // Someone else is still signed in here: forget them (only after saving the result, which checks the session
      // is unchanged), or oidc-provider would first show a "log out?" page on the way back.
      if (details.session?.cookie && details.session.accountId !== person.sub) {
        const session = await provider.Session.find(details.session.cookie);
        if (session) {
          session.accountId = undefined;
          session.authorizations = undefined;
          await session.persist();
        }
      }
      res.writeHead(303, { location: returnTo, "content-length": "0" });
      return res.end();
    }
    error = "Login must look like email[;sub=…][;unverified]";
  }
  res.writeHead(error ? 400 : 200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
  res.end(loginPage(details.uid, clientId, login, error));
}

// ---- the server -------------------------------------------------------------------------------------------------
const oidc = provider.callback();
const server = createServer((req, res) => {
  if (!/^\/interaction\/[\w-]+$/.test(new URL(req.url ?? "/", IDP.issuer).pathname)) return oidc(req, res);
  interaction(req, res).catch((err: Error) => {
    console.error("[oidc-idp] interaction failed:", err);
    if (res.headersSent) return res.end();
    res.writeHead(400, { "content-type": "text/plain; charset=utf-8" });
    res.end(`interaction failed: ${err.message}\n`);
  });
});

server.listen(IDP.port, "127.0.0.1", () => {
  console.log(`[oidc-idp] listening: issuer ${IDP.issuer}, clients org-* → ${IDP.appUrl}/api/auth/callback/sso-*`);
});

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
