import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openDatabase } from "@/db/client";
import { uniqueSuffix } from "@/db/test-support";
import { parseEnv } from "@/lib/env";
import { authenticateScim } from "@/lib/scim/authenticate";

// The real command line, as a person runs it, against its own database (PostgreSQL when DATABASE_URL is set).
const pgliteDir = path.join(mkdtempSync(path.join(os.tmpdir(), "cli-")), "pglite");

function admin(args: string[], env: Record<string, string | undefined> = {}) {
  const r = spawnSync("node_modules/.bin/tsx", ["scripts/admin.mts", ...args], {
    encoding: "utf8",
    env: { ...process.env, PGLITE_DIR: pgliteDir, NEXTAUTH_SECRET: "cli-test-secret-cli-test-secret-000", NODE_ENV: "test", ...env },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("npm run admin", () => {
  it("org:create prints only the new Organization ID on stdout; org:list shows it", () => {
    const name = `CLI Org ${uniqueSuffix()}`;
    const email = `cli.${uniqueSuffix()}@example.com`;
    const created = admin(["org:create", "--name", name, "--owner-email", email, "--owner-password", "cli-password"]);
    expect(created.stderr).toContain(`Created "${name}"`);
    expect(created.code).toBe(0);
    const orgId = created.stdout.trim();
    expect(orgId).toMatch(/^blt[0-9a-f]{16}$/);

    const listed = admin(["org:list"]);
    expect(listed.code).toBe(0);
    const line = listed.stdout.split("\n").find((l) => l.startsWith(orgId));
    expect(line).toContain(name);
    expect(line).toContain(email);

    const json = admin(["org:list", "--json"]);
    expect(JSON.parse(json.stdout).find((o: { id: string }) => o.id === orgId)).toMatchObject({ name, ownerEmail: email, members: 1 });
  });

  it("scim:enable and token:create make an org ready for an IdP; the token is printed alone and works", async () => {
    const orgId = admin(["org:create", "--name", "IdP Org", "--owner-email", `idp.${uniqueSuffix()}@example.com`, "--owner-password", "cli-password"]).stdout.trim();
    const enabled = admin(["scim:enable", "--org", orgId]);
    expect(enabled.code).toBe(0);
    expect(enabled.stderr).toContain("SCIM is now enabled");
    const created = admin(["token:create", "--org", orgId, "--name", "Entra ID", "--expires-in-days", "30"]);
    expect(created.code).toBe(0);
    const token = created.stdout.trim();
    expect(token).toMatch(/^scimsk_[A-Za-z0-9_-]{43}$/);
    expect(created.stderr).toContain('"Entra ID"');
    expect(created.stderr).not.toContain(token);
    expect(admin(["token:create", "--org", "blt0000000000000000"]).code).toBe(1);
    expect(admin(["token:create", "--org", orgId, "--expires-in-days", "soon"]).code).toBe(2);

    const handle = await openDatabase({ env: parseEnv({ ...process.env, PGLITE_DIR: pgliteDir, NODE_ENV: "test", NEXTAUTH_SECRET: "x".repeat(40) }), role: "test" });
    try {
      await expect(authenticateScim(handle.db, orgId, `Bearer ${token}`)).resolves.toMatchObject({ kind: "scim_token", orgId });
    } finally {
      await handle.close();
    }
    expect(admin(["scim:disable", "--org", orgId]).code).toBe(0);
    expect(admin(["org:list", "--json"]).stdout).toContain(`"scimEnabled": false`);
  });

  it("bad arguments get the usage and exit 2 without opening the database", () => {
    for (const args of [["org:create", "--name", "X"], ["org:create", "--nmae", "X"], ["no-such-command"], []]) {
      const r = admin(args, { DATABASE_URL: "postgres://nobody@127.0.0.1:1/none" });
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toContain("Usage: npm run admin -- <command>");
      expect(r.stdout).toBe("");
    }
    expect(admin(["org:create", "--name", "X"]).stderr).toContain("--owner-email is required");
  });

  it("--help prints the commands", () => {
    const r = admin(["--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("org:create");
    expect(r.stdout).toContain("org:list");
  });

  it("a failing command explains itself and exits 1", () => {
    const r = admin(["org:create", "--name", "X", "--owner-email", `n.${uniqueSuffix()}@example.com`, "--owner-password", "short"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("at least 8 characters");
  });

  it("refuses a PGlite folder that a running process holds", () => {
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), "cli-locked-")), "pglite");
    writeFileSync(`${dir}.lock`, JSON.stringify({ pid: process.pid, role: "server", since: new Date().toISOString(), host: os.hostname() }));
    const r = admin(["org:list"], { PGLITE_DIR: dir, DATABASE_URL: "" });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`in use by a running server (pid ${process.pid}`);
    expect(r.stderr).toContain("stop that process first");
  });
});
