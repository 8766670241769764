import { expect, test } from "@playwright/test";

test("GET /api/health answers 200 with the database reachable", async ({ request }) => {
  const res = await request.get("/api/health");
  expect(res.status()).toBe(200);
  expect(res.headers()["cache-control"]).toBe("no-store");
  const body = await res.json();
  expect(body.status).toBe("ok");
  expect(body.database.reachable).toBe(true);
  expect(body.database.kind).toBe(process.env.DATABASE_URL ? "postgres" : "pglite");
});

test("the proxy redirects a signed-out caller of a protected page to sign-in", async ({ request }) => {
  const res = await request.get("/org-admin/info", { maxRedirects: 0 });
  expect(res.status()).toBe(307);
  expect(res.headers()["location"]).toContain("/sign-in?callbackUrl=");
});
