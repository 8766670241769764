import http from "node:http";
import { expect, test } from "@playwright/test";
import { E2E_PORT } from "../support/env";
import { scimFixtures } from "../support/scim";

// Bounded bodies over real HTTP against `next start`: every endpoint that reads a body refuses one over its limit —
// a declared Content-Length before reading it, a chunked body as soon as it passes the limit — in its own dialect.

type Sent = { status: number; contentType: string; body: string; bytesSent: number };

/**
 * Sends a POST whose body is `total` bytes of `fill`, in 64 KiB chunks, chunked (no Content-Length) or declaring
 * `declare` bytes; stops sending as soon as the answer arrives. Resolves with the answer and how much was sent.
 */
function stream(path: string, headers: Record<string, string>, opts: { total: number; declare?: number; fill?: string }): Promise<Sent> {
  return new Promise((resolve, reject) => {
    let bytesSent = 0;
    let answered = false;
    const req = http.request(
      {
        host: "localhost",
        port: E2E_PORT,
        path,
        method: "POST",
        headers: {
          ...headers,
          ...(opts.declare === undefined ? { "transfer-encoding": "chunked" } : { "content-length": String(opts.declare) }),
        },
      },
      (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          req.destroy();
          resolve({
            status: res.statusCode ?? 0,
            contentType: String(res.headers["content-type"] ?? ""),
            body: Buffer.concat(chunks).toString("utf8"),
            bytesSent,
          });
        });
      },
    );
    req.on("error", (e) => (answered ? undefined : reject(e)));
    const chunk = Buffer.alloc(65_536, opts.fill ?? "a");
    const pump = () => {
      while (!answered && bytesSent < opts.total) {
        bytesSent += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      // A declared length is never completed: the server must answer without waiting for the rest.
      if (!answered && opts.declare === undefined) req.end();
    };
    pump();
  });
}

const MiB = 1_048_576;
const form = { "content-type": "application/x-www-form-urlencoded" };

test.describe("bounded request bodies", () => {
  test("SCIM: a declared length over 1 MiB and a chunked body past it both get a SCIM 413, long before 20 MiB are sent", async () => {
    const f = scimFixtures();
    const headers = { authorization: `Bearer ${f.api.token}`, "content-type": "application/scim+json" };
    const path = `/scim/v2.0/organizations/${f.api.orgId}/Users`;
    for (const opts of [{ total: 4 * 65_536, declare: 20 * MiB }, { total: 20 * MiB }]) {
      const res = await stream(path, headers, opts);
      expect(res.status, res.body).toBe(413);
      expect(res.contentType).toContain("application/scim+json");
      expect(JSON.parse(res.body)).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "413" });
      expect(res.bytesSent).toBeLessThan(20 * MiB);
    }
  });

  test("OAuth token and revocation endpoints: RFC 6749 invalid_request with 413 past 16 KiB", async () => {
    for (const path of ["/oauth/token", "/oauth/revoke"]) {
      for (const opts of [{ total: 65_536, declare: 20 * MiB }, { total: 20 * MiB }]) {
        const res = await stream(path, form, opts);
        expect(res.status, `${path}: ${res.body}`).toBe(413);
        expect(JSON.parse(res.body)).toEqual({
          error: "invalid_request",
          error_description: "The request body is larger than 16384 bytes.",
        });
        expect(res.bytesSent).toBeLessThan(20 * MiB);
      }
    }
  });

  test("the consent decision and next-auth's endpoints: a 413 page past 64 KiB", async () => {
    for (const path of ["/oauth/authorize/decision", "/api/auth/callback/credentials"]) {
      const res = await stream(path, form, { total: 20 * MiB });
      expect(res.status, `${path}: ${res.body.slice(0, 200)}`).toBe(413);
      expect(res.body).toContain("larger than 65536 bytes");
      expect(res.bytesSent).toBeLessThan(20 * MiB);
    }
  });

  test("20 clients streaming 20 MiB each at the unauthenticated endpoints are all refused, and the server stays healthy", async ({
    request,
  }) => {
    const paths = ["/oauth/token", "/oauth/revoke", "/oauth/authorize/decision", "/api/auth/callback/credentials"];
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => stream(paths[i % paths.length]!, form, { total: 20 * MiB })));
    for (const a of answers) {
      expect(a.status).toBe(413);
      expect(a.bytesSent).toBeLessThan(20 * MiB);
    }
    expect((await request.get("/api/health")).status()).toBe(200);
  });
});

test.describe("guessing is throttled", () => {
  // A documentation address of its own per run, so that this test's failures are its own.
  const address = (n: number) => `198.51.100.${(Date.now() % 200) + n}`;

  test("password sign-in: after 5 failures for one email from one address, 429 with Retry-After there; elsewhere the person still signs in", async ({
    playwright,
  }) => {
    const attacker = address(1);
    const elsewhere = address(2);
    const context = await playwright.request.newContext({ baseURL: `http://localhost:${E2E_PORT}` });
    const attempt = async (password: string, from: string) => {
      const { csrfToken } = (await (await context.get("/api/auth/csrf")).json()) as { csrfToken: string };
      return context.post("/api/auth/callback/credentials", {
        form: { email: "owner@example.com", password, csrfToken, callbackUrl: "/", json: "true" },
        headers: { "x-forwarded-for": from },
        maxRedirects: 0,
      });
    };
    for (let i = 0; i < 5; i++) expect((await attempt(`wrong-${i}`, attacker)).status()).not.toBe(429);
    const refused = await attempt("owner-demo-pass", attacker);
    expect(refused.status()).toBe(429);
    expect(Number(refused.headers()["retry-after"])).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({ error: "TooManyAttempts" });
    const real = await attempt("owner-demo-pass", elsewhere);
    expect(real.status()).toBe(200);
    expect(((await real.json()) as { url: string }).url).not.toContain("error=");
    await context.dispose();
  });

  test("the OAuth token endpoint: after 5 failed requests of one client from one address, 429 with Retry-After", async ({ request }) => {
    const from = address(3);
    const form = {
      grant_type: "authorization_code",
      code: "not-a-code",
      client_id: "okta-scim-dev",
      client_secret: "wrong-secret-0123456789",
    };
    for (let i = 0; i < 5; i++)
      expect((await request.post("/oauth/token", { form, headers: { "x-forwarded-for": from } })).status()).toBe(401);
    const refused = await request.post("/oauth/token", { form, headers: { "x-forwarded-for": from } });
    expect(refused.status()).toBe(429);
    expect(Number(refused.headers()["retry-after"])).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({ error: "invalid_request" });
    // Another address is not refused.
    expect((await request.post("/oauth/token", { form, headers: { "x-forwarded-for": address(4) } })).status()).toBe(401);
  });
});

test.describe("bounded work per SCIM request", () => {
  test("paging, projections, filters and PATCH beyond their caps get a 400 that says so; never a 500", async ({ request }) => {
    const f = scimFixtures();
    const base = `/scim/v2.0/organizations/${f.api.orgId}`;
    const headers = { authorization: `Bearer ${f.api.token}`, "content-type": "application/scim+json" };
    const expect400 = async (res: Awaited<ReturnType<typeof request.get>>, scimType: string, detail: RegExp) => {
      expect(res.status(), await res.text()).toBe(400);
      const body = (await res.json()) as { scimType?: string; detail: string };
      expect(body.scimType).toBe(scimType);
      expect(body.detail).toMatch(detail);
    };
    await expect400(
      await request.get(`${base}/Users?startIndex=99999999999999999999`, { headers }),
      "invalidValue",
      /startIndex is at most/,
    );
    const names = Array.from({ length: 101 }, (_, i) => `a${i}`).join(",");
    await expect400(await request.get(`${base}/Users?attributes=${names}`, { headers }), "invalidValue", /at most 100 attributes/);
    await expect400(await request.get(`${base}/Users?excludedAttributes=${names}`, { headers }), "invalidValue", /at most 100 attributes/);
    const filter = encodeURIComponent(Array.from({ length: 101 }, (_, i) => `userName eq "u${i}"`).join(" or "));
    await expect400(await request.get(`${base}/Users?filter=${filter}`, { headers }), "tooMany", /more than 100 comparisons/);
    const user = await (await request.post(`${base}/Users`, { headers, data: { userName: `caps.${Date.now()}@example.com` } })).json();
    const ops = Array.from({ length: 1001 }, () => ({ op: "replace", path: "title", value: "x" }));
    await expect400(
      await request.patch(`${base}/Users/${user.id}`, { headers, data: { Operations: ops } }),
      "tooMany",
      /at most 1000 operations/,
    );
    // A value quoted by an error is cut to 200 characters.
    const huge = "z".repeat(100_000);
    const res = await request.patch(`${base}/Users/${user.id}`, {
      headers,
      data: { Operations: [{ op: "replace", path: "active", value: huge }] },
    });
    expect(res.status()).toBe(400);
    expect(((await res.json()) as { detail: string }).detail.length).toBeLessThan(400);
  });
});
