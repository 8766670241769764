import { spawn, spawnSync } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { sql } from "drizzle-orm";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openDatabase, queryRows } from "@/db/client";
import { uniqueSuffix } from "@/db/test-support";
import { parseEnv } from "@/lib/env";
import { authenticateScim } from "@/lib/credentials/authenticate";
import { invitationByToken } from "@/lib/members/invitations";
import { auditEventsOf } from "@/lib/audit/test-support";

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

/** admin() without blocking this process's event loop (the discovery server below lives in it). */
function adminAsync(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn("node_modules/.bin/tsx", ["scripts/admin.mts", ...args], {
      env: { ...process.env, PGLITE_DIR: pgliteDir, NEXTAUTH_SECRET: "cli-test-secret-cli-test-secret-000", NODE_ENV: "test" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
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
    const orgId = admin([
      "org:create",
      "--name",
      "IdP Org",
      "--owner-email",
      `idp.${uniqueSuffix()}@example.com`,
      "--owner-password",
      "cli-password",
    ]).stdout.trim();
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

    const handle = await openDatabase({
      env: parseEnv({ ...process.env, PGLITE_DIR: pgliteDir, NODE_ENV: "test", NEXTAUTH_SECRET: "x".repeat(40) }),
      role: "test",
    });
    try {
      await expect(authenticateScim(handle.db, orgId, `Bearer ${token}`)).resolves.toMatchObject({ kind: "scim_token", orgId });
      // In the org's audit trail as the command line's, by name; the refused commands left nothing.
      const events = (await auditEventsOf(handle.db, orgId)).filter((e) => e.action.startsWith("scim_token."));
      expect(events).toMatchObject([
        {
          action: "scim_token.created",
          actorKind: "cli",
          actorAccountId: null,
          actorEmail: null,
          targetType: "token",
          targetLabel: "Entra ID",
        },
      ]);
      expect(JSON.stringify(events)).not.toContain(token);
    } finally {
      await handle.close();
    }
    expect(admin(["scim:disable", "--org", orgId]).code).toBe(0);
    expect(JSON.parse(admin(["org:list", "--json"]).stdout).find((o: { id: string }) => o.id === orgId)).toMatchObject({
      scimEnabled: false,
    });
  });

  it("sso:configure checks the issuer's discovery document, stores the secret encrypted and prints the Redirect URI; sso:show never shows the secret", async () => {
    // A real discovery document over HTTP on 127.0.0.1 (what sso:configure fetches), one that names itself and one that does not.
    const server = createServer((req, res) => {
      const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}${req.url!.startsWith("/liar") ? "/someone-else" : req.url!.replace("/.well-known/openid-configuration", "")}`;
      const base = issuer.replace("/someone-else", "");
      res.setHeader("content-type", "application/json");
      res.end(
        JSON.stringify({ issuer, authorization_endpoint: `${base}/auth`, token_endpoint: `${base}/token`, jwks_uri: `${base}/jwks` }),
      );
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tenant`;
    try {
      const orgId = admin([
        "org:create",
        "--name",
        "SSO Org",
        "--owner-email",
        `sso.${uniqueSuffix()}@example.com`,
        "--owner-password",
        "cli-password",
      ]).stdout.trim();
      const secret = `very-secret-${uniqueSuffix()}`;
      const configured = await adminAsync([
        "sso:configure",
        "--org",
        orgId,
        "--issuer",
        `${issuer}/`,
        "--client-id",
        "portal-app",
        "--client-secret",
        secret,
        "--require-sso",
      ]);
      expect(configured.stderr).toContain("issuer " + issuer);
      expect(configured.code).toBe(0);
      expect(configured.stdout.trim()).toMatch(new RegExp(`^http://localhost:\\d+/api/auth/callback/sso-${orgId}$`));

      const shown = admin(["sso:show", "--org", orgId, "--json"]);
      expect(shown.code).toBe(0);
      expect(shown.stdout).not.toContain(secret);
      expect(JSON.parse(shown.stdout)).toMatchObject({
        issuer,
        clientId: "portal-app",
        requireSso: true,
        status: "untested",
        secretReadable: true,
        initiateLoginUri: expect.stringMatching(new RegExp(`/sign-in/sso/${orgId}$`)),
      });

      const handle = await openDatabase({
        env: parseEnv({ ...process.env, PGLITE_DIR: pgliteDir, NODE_ENV: "test", NEXTAUTH_SECRET: "x".repeat(40) }),
        role: "test",
      });
      try {
        const rows = await queryRows<Record<string, unknown>>(handle.db, sql`select * from sso_connections where org_id = ${orgId}`);
        expect(JSON.stringify(rows)).not.toContain(secret);
        expect(String(rows[0]!.client_secret_encrypted)).toMatch(/^v1\./);
      } finally {
        await handle.close();
      }

      const refused = [
        await adminAsync([
          "sso:configure",
          "--org",
          orgId,
          "--issuer",
          "http://idp.example.com",
          "--client-id",
          "x",
          "--client-secret",
          "y",
        ]),
        await adminAsync([
          "sso:configure",
          "--org",
          orgId,
          "--issuer",
          issuer.replace("/tenant", "/liar"),
          "--client-id",
          "x",
          "--client-secret",
          "y",
        ]),
      ];
      expect(refused.map((r) => r.code)).toEqual([1, 1]);
      expect(refused[0]!.stderr).toContain("must be an https:// URL");
      expect(refused[1]!.stderr).toContain("names the issuer");
      expect(admin(["sso:configure", "--org", orgId, "--client-id", "x"]).code).toBe(2);

      expect(admin(["sso:disable", "--org", orgId]).stderr).toContain("now off");
      expect(JSON.parse(admin(["sso:show", "--org", orgId, "--json"]).stdout)).toEqual({ orgId, configured: false });
      const audit = await openDatabase({
        env: parseEnv({ ...process.env, PGLITE_DIR: pgliteDir, NODE_ENV: "test", NEXTAUTH_SECRET: "x".repeat(40) }),
        role: "test",
      });
      try {
        const events = (await auditEventsOf(audit.db, orgId)).filter((e) => e.action.startsWith("sso."));
        const byCli = { actorKind: "cli", actorAccountId: null, targetType: "sso_connection", targetLabel: issuer };
        expect(events).toMatchObject([
          { action: "sso.configured", ...byCli, details: { issuer, clientId: "portal-app", secretChanged: true } },
          { action: "sso.disabled", ...byCli, details: { issuer, clientId: "portal-app", wasRequired: true } },
        ]);
        expect(JSON.stringify(events)).not.toContain(secret);
      } finally {
        await audit.close();
      }
    } finally {
      server.close();
    }
  });

  it("audit:list prints the org's audit trail newest first (table or JSON lines); audit:prune deletes what is past the retention", async () => {
    const orgId = admin([
      "org:create",
      "--name",
      "Audit Org",
      "--owner-email",
      `audit.${uniqueSuffix()}@example.com`,
      "--owner-password",
      "cli-password",
    ]).stdout.trim();
    expect(admin(["scim:enable", "--org", orgId]).code).toBe(0);
    expect(admin(["scim:disable", "--org", orgId]).code).toBe(0);

    const table = admin(["audit:list", "--org", orgId]);
    expect(table.code).toBe(0);
    const lines = table.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^WHEN \(UTC\)\s+WHO\s+WHAT\s+TARGET\s+DETAILS$/);
    expect(lines.slice(1).map((l) => l.split(/\s{2,}/).slice(1, 4))).toEqual([
      ["Admin CLI", "Turned SCIM off", "Audit Org"],
      ["Admin CLI", "Turned SCIM on", "Audit Org"],
    ]);
    const json = admin(["audit:list", "--org", orgId, "--json", "--limit", "1"]);
    expect(
      json.stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l)),
    ).toEqual([
      expect.objectContaining({
        action: "scim.disabled",
        actor: expect.objectContaining({ kind: "cli" }),
        target: expect.objectContaining({ id: orgId }),
      }),
    ]);
    const later = admin(["audit:list", "--org", orgId, "--since", "2999-01-01"]);
    expect(later.code).toBe(0);
    expect(later.stdout).toBe("");
    expect(later.stderr).toContain("No audit events");
    for (const bad of [
      ["audit:list", "--org", orgId, "--since", "last tuesday"],
      ["audit:list"],
      ["audit:prune"],
      ["audit:prune", "--all", "--org", orgId],
    ])
      expect(admin(bad).code, bad.join(" ")).toBe(2);

    // An event past the retention goes, the two recent ones stay.
    const handle = await openDatabase({
      env: parseEnv({ ...process.env, PGLITE_DIR: pgliteDir, NODE_ENV: "test", NEXTAUTH_SECRET: "x".repeat(40) }),
      role: "test",
    });
    try {
      await handle.db.execute(
        sql`update audit_events set at = now() - interval '400 days' where org_id = ${orgId} and action = 'scim.enabled'`,
      );
    } finally {
      await handle.close();
    }
    const pruned = admin(["audit:prune", "--org", orgId]);
    expect(pruned.code).toBe(0);
    expect(pruned.stdout.trim()).toBe("1");
    expect(admin(["audit:list", "--org", orgId]).stdout).not.toContain("Turned SCIM on");
    expect(admin(["audit:prune", "--all"], { AUDIT_RETENTION_DAYS: "3650" }).code).toBe(0);
  }, 180_000); // a dozen runs of the CLI, each opening its database

  it("member:invite prints only the invitation link; the link opens an open invitation with the role; a member is refused (exit 1)", async () => {
    const email = `cli.owner.${uniqueSuffix()}@example.com`;
    const orgId = admin(["org:create", "--name", "Invite Co", "--owner-email", email, "--owner-password", "cli-password"]).stdout.trim();
    const invitee = `cli.invitee.${uniqueSuffix()}@example.com`;
    const invited = admin(["member:invite", "--org", orgId, "--email", invitee, "--role", "admin"]);
    expect(invited.code).toBe(0);
    expect(invited.stderr).toContain(`Invited ${invitee} as Admin`);
    const url = invited.stdout.trim();
    expect(url).toMatch(/^https?:\/\/[^/]+\/invite\/[A-Za-z0-9_-]{40,}$/);
    const handle = await openDatabase({
      env: parseEnv({ ...process.env, PGLITE_DIR: pgliteDir, NODE_ENV: "test", NEXTAUTH_SECRET: "x".repeat(40) }),
      role: "test",
    });
    try {
      const view = await invitationByToken(handle.db, url.split("/").at(-1)!);
      expect(view).toMatchObject({ state: "open", invitation: { email: invitee, role: "admin", orgId } });
    } finally {
      await handle.close();
    }
    const again = admin(["member:invite", "--org", orgId, "--email", email]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("already a member");
    const owner = admin(["member:invite", "--org", orgId, "--email", invitee, "--role", "owner"]);
    expect(owner.code).toBe(2);
    expect(owner.stderr).toContain("--role is admin or member");
  });

  it("bad arguments get the usage and exit 2 without opening the database", () => {
    for (const args of [["org:create", "--name", "X"], ["org:create", "--nmae", "X"], ["no-such-command"], []]) {
      const r = admin(args, { DATABASE_URL: "postgres://nobody@127.0.0.1:1/none" });
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toContain("Usage: npm run admin -- <command>");
      expect(r.stdout).toBe("");
    }
    expect(admin(["org:create", "--name", "X"]).stderr).toContain("--owner-email is required");
    // A too-short password is bad usage too (2), refused before the database is opened.
    const short = admin(["org:create", "--name", "X", "--owner-email", "x@example.com", "--owner-password", "short"], {
      DATABASE_URL: "postgres://nobody@127.0.0.1:1/none",
    });
    expect(short.code).toBe(2);
    expect(short.stderr).toContain("--owner-password needs at least 8 characters");
  });

  it("--help prints the commands", () => {
    const r = admin(["--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("org:create");
    expect(r.stdout).toContain("org:list");
  });

  it("a failing command explains itself and exits 1", () => {
    // A new account without a password: the command ran and could not do it (1; bad usage would be 2).
    const r = admin(["org:create", "--name", "X", "--owner-email", `n.${uniqueSuffix()}@example.com`]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("give the owner a password");
  });

  it("refuses a PGlite folder that a running process holds", () => {
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), "cli-locked-")), "pglite");
    writeFileSync(
      `${dir}.lock`,
      JSON.stringify({ pid: process.pid, role: "server", since: new Date().toISOString(), host: os.hostname() }),
    );
    const r = admin(["org:list"], { PGLITE_DIR: dir, DATABASE_URL: "" });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`in use by a running server (pid ${process.pid}`);
    expect(r.stderr).toContain("stop that process first");
  });
});
