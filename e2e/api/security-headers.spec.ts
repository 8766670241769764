import { expect, test } from "@playwright/test";
import { scimFixtures } from "../support/scim";

// Security headers on pages and on route handlers, over HTTP against `next start`.

const BASE = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "strict-origin-when-cross-origin",
  "x-frame-options": "DENY",
};

test.describe("security headers", () => {
  test("pages: a nonce Content-Security-Policy that forbids framing, a fresh nonce each time, and the base headers", async ({
    request,
  }) => {
    const nonces: string[] = [];
    for (const path of ["/sign-in", "/oauth/authorize?client_id=nope", "/sign-in"]) {
      const res = await request.get(path, { maxRedirects: 0 });
      const h = res.headers();
      expect(h, path).toMatchObject(BASE);
      expect(h["permissions-policy"]).toContain("camera=()");
      const csp = h["content-security-policy"] ?? "";
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
      expect(nonce, path).toBeTruthy();
      nonces.push(nonce!);
      // Next.js marks its own scripts with the request's nonce.
      if (path === "/sign-in") expect(await res.text()).toContain(`nonce="${nonce}"`);
      expect(h["strict-transport-security"], "no HSTS over plain http").toBeUndefined();
    }
    expect(new Set(nonces).size).toBe(3);
  });

  test("route handlers: a CSP that allows nothing, and the base headers", async ({ request }) => {
    const f = scimFixtures();
    const responses = [
      await request.get(`/scim/v2.0/organizations/${f.api.orgId}/ServiceProviderConfig`, {
        headers: { authorization: `Bearer ${f.api.token}` },
      }),
      await request.post("/oauth/token", { form: { grant_type: "client_credentials" } }),
      await request.get("/api/health"),
      await request.get("/.well-known/oauth-authorization-server"),
    ];
    for (const res of responses) {
      expect(res.headers(), res.url()).toMatchObject({ ...BASE, "content-security-policy": expect.stringContaining("default-src 'none'") });
      expect(res.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
    }
  });

  test("HSTS when the request came over https (x-forwarded-proto from the TLS proxy in front)", async ({ request }) => {
    for (const path of ["/sign-in", "/api/health"]) {
      const res = await request.get(path, { headers: { "x-forwarded-proto": "https" } });
      expect(res.headers()["strict-transport-security"], path).toBe("max-age=63072000; includeSubDomains");
    }
  });
});
