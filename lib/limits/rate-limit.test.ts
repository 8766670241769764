import { describe, expect, it, vi } from "vitest";
import { getDb } from "@/db/client";
import { call, scimOrg, withScimDatabase } from "@/lib/provisioning/test-harness";
import { FailureCounter, RateLimiter } from "./rate-limit";

// The SCIM endpoint of this file's process allows 30 requests a minute per organization.
vi.hoisted(() => {
  process.env.SCIM_RATE_LIMIT_PER_MINUTE = "30";
});
withScimDatabase();

const key = () => `test:${Math.random().toString(36).slice(2)}`;

describe("RateLimiter (budgets leased from the database)", () => {
  it("two servers on one database together never hand out more than the limit, and the rest get Retry-After", async () => {
    let now = 1_000_000 * 60_000 + 15_000; // 15 s into a window
    const options = { limit: 50, windowMs: 60_000, lease: 7, now: () => now };
    const [a, b] = [new RateLimiter(getDb, options), new RateLimiter(getDb, options)];
    const k = key();
    // More requests than the limit on each server, so that each uses every slice it leased.
    const decisions = await Promise.all(Array.from({ length: 200 }, (_, i) => (i % 2 ? a : b).take(k)));
    expect(decisions.filter((d) => d.ok)).toHaveLength(50);
    expect(decisions.find((d) => !d.ok)).toEqual({ ok: false, retryAfterSeconds: 45 });
    // Another key has its own budget.
    expect(await a.take(key())).toEqual({ ok: true });
    // The next window starts afresh.
    now += 60_000;
    expect(await b.take(k)).toEqual({ ok: true });
  });

  it("goes to the database once per lease, not once per request", async () => {
    const limiter = new RateLimiter(getDb, { limit: 1000, windowMs: 60_000, lease: 100 });
    const k = key();
    await limiter.take(k); // leases 100
    const sync = Array.from({ length: 99 }, () => limiter.take(k));
    expect(sync.every((d) => !(d instanceof Promise) && d.ok)).toBe(true);
    expect(limiter.take(k)).toBeInstanceOf(Promise); // the 101st needs a new lease
  });
});

describe("FailureCounter", () => {
  it("refuses a key once it reached its maximum in the window, other keys not", async () => {
    const counter = new FailureCounter(getDb, { max: 3, windowMs: 60_000 });
    const [k, other] = [key(), key()];
    for (let i = 0; i < 3; i++) {
      expect((await counter.check([{ key: k }])).ok).toBe(true);
      await counter.fail([k]);
    }
    expect(await counter.check([{ key: k }])).toMatchObject({ ok: false });
    expect(await counter.check([{ key: other }])).toEqual({ ok: true });
    expect(await counter.check([{ key: k, max: 10 }])).toEqual({ ok: true });
  });
});

describe("the SCIM endpoint's per-organization limit", () => {
  it("answers 429 with Retry-After and a SCIM error over the limit; another organization is not slowed", async () => {
    const [busy, quiet] = [await scimOrg(), await scimOrg()];
    // The windows are the clock's minutes: start well inside one.
    const intoMinute = Date.now() % 60_000;
    if (intoMinute > 45_000) await new Promise((r) => setTimeout(r, 60_100 - intoMinute));
    const statuses: number[] = [];
    let refused: Response | undefined;
    for (let i = 0; i < 35; i++) {
      const res = await call(busy.orgId, busy.token, "GET", "/Users?count=1");
      statuses.push(res.status);
      if (res.status === 429) refused ??= res;
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(30);
    expect(statuses.slice(30)).toEqual([429, 429, 429, 429, 429]);
    expect(Number(refused!.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(await refused!.json()).toMatchObject({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
      status: "429",
      detail: expect.stringContaining("more than 30 SCIM requests in the last minute"),
    });
    expect((await call(quiet.orgId, quiet.token, "GET", "/Users?count=1")).status).toBe(200);
    // Unauthenticated requests do not spend an organization's budget.
    expect((await call(quiet.orgId, "not-a-token", "GET", "/Users")).status).toBe(401);
  });
});
