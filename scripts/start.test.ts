import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { count } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "@/db/client";
import { organizations } from "@/db/schema";
import { parseEnv } from "@/lib/env";

// `npm start` with NODE_ENV=production: nothing defaulted, nothing seeded unless asked. The script runs for real
// (--prepare-only: everything up to serving), on a PGlite folder of its own.

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function start(env: Record<string, string>, ...args: string[]) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "portal-start-"));
  dirs.push(dataDir);
  const base = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", DATA_DIR: dataDir, PGLITE_DIR: path.join(dataDir, "pglite") };
  const run = spawnSync("node_modules/.bin/tsx", ["scripts/start.mts", "--prepare-only", ...args], {
    env: { ...base, ...env } as unknown as NodeJS.ProcessEnv,
    encoding: "utf8",
    timeout: 60_000,
  });
  return { ...run, dataDir, env: { ...base, ...env } };
}

const PRODUCTION = {
  NODE_ENV: "production",
  NEXTAUTH_SECRET: "a-production-secret-of-forty-characters-0",
  OKTA_CLIENT_ID: "okta-prod",
  OKTA_CLIENT_SECRET: "okta-prod-secret-0123456789",
  APP_URL: "https://portal.example.com",
};

async function organizationsIn(env: Record<string, string>): Promise<number> {
  const handle = await openDatabase({ env: parseEnv(env), role: "test" });
  try {
    return (await handle.db.select({ n: count() }).from(organizations))[0]!.n;
  } finally {
    await handle.close();
  }
}

describe("npm start in production", () => {
  it("refuses to start without its secrets, in one line naming each missing setting", () => {
    const run = start({ NODE_ENV: "production", APP_URL: "https://portal.example.com" });
    expect(run.status).toBe(1);
    const lines = run.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^npm start: A production server needs NEXTAUTH_SECRET, OKTA_CLIENT_ID, OKTA_CLIENT_SECRET \(/);
  });

  it("seeds nothing into an empty database unless asked with --seed", async () => {
    const run = start(PRODUCTION);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).not.toContain("owner@example.com");
    expect(await organizationsIn(run.env)).toBe(0);
    const seeded = start(PRODUCTION, "--seed");
    expect(seeded.status, seeded.stderr).toBe(0);
    expect(seeded.stderr).toContain("Seeded the demo organization");
    expect(await organizationsIn(seeded.env)).toBe(1);
  });

  it("a local run (NODE_ENV unset) still seeds the demo into an empty database", async () => {
    const run = start({});
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toContain("Seeded the demo organization");
    expect(await organizationsIn(run.env)).toBe(1);
  });
});

describe("npm start on a port that is taken", () => {
  it("says the port is taken and how to choose another, before building, seeding or serving anything", async () => {
    const { createServer } = await import("node:net");
    const holder = createServer();
    const port = await new Promise<number>((resolve) => holder.listen(0, () => resolve((holder.address() as { port: number }).port)));
    try {
      const dataDir = mkdtempSync(path.join(os.tmpdir(), "portal-start-"));
      dirs.push(dataDir);
      const run = spawnSync("node_modules/.bin/tsx", ["scripts/start.mts"], {
        env: {
          PATH: process.env.PATH ?? "",
          HOME: process.env.HOME ?? "",
          DATA_DIR: dataDir,
          PORT: String(port),
        } as unknown as NodeJS.ProcessEnv,
        encoding: "utf8",
        timeout: 60_000,
      });
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(`port ${port} is taken`);
      expect(run.stderr).toContain(`PORT=${port + 1} npm start`);
      expect(run.stderr).not.toContain("Serving on");
      expect(run.stderr).not.toContain("Seeded");
      expect(existsSync(path.join(dataDir, "pglite"))).toBe(false);
    } finally {
      holder.close();
    }
  });
});
