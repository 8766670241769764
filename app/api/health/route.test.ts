import { afterAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { openTestDatabase } from "@/db/test-support";
import { GET } from "./route";

const slot = globalThis as unknown as { __portalDb?: Promise<DatabaseHandle> };
let real: DatabaseHandle | undefined;
afterAll(async () => {
  slot.__portalDb = undefined;
  await real?.close();
});

describe("GET /api/health", () => {
  it("answers 200 when the database answers", async () => {
    real = await openTestDatabase();
    slot.__portalDb = Promise.resolve(real);
    const res = await GET(new Request("http://localhost/api/health"));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", database: { kind: real.kind, reachable: true } });
  });

  it("answers 503 when the database does not, without leaking the error", async () => {
    const broken = { ...real!, db: { execute: () => Promise.reject(new Error("connect ECONNREFUSED 10.0.0.1:5432 password=x")) } };
    slot.__portalDb = Promise.resolve(broken as unknown as DatabaseHandle);
    const res = await GET(new Request("http://localhost/api/health"));
    expect(res.status).toBe(503);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ status: "unavailable", database: { reachable: false } });
    expect(text).not.toContain("ECONNREFUSED");
  });

  it("answers 503 when the database cannot be opened at all", async () => {
    const failing = Promise.reject(new Error("no database"));
    failing.catch(() => {});
    slot.__portalDb = failing;
    expect((await GET(new Request("http://localhost/api/health"))).status).toBe(503);
  });
});
