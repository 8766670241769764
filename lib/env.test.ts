import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "./env";

const SECRET = "x".repeat(40);

describe("parseEnv", () => {
  it("gives local runs safe defaults and keeps a generated secret in the data folder", () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "env-"));
    const env = parseEnv({ DATA_DIR: dataDir });
    expect(env.databaseKind).toBe("pglite");
    expect(env.pgliteDir).toBe(path.join(dataDir, "pglite"));
    expect(env.port).toBe(3000);
    expect(env.appUrl).toBe("http://localhost:3000");
    expect(env.scimOrigin).toBe("http://localhost:3000");
    expect(env.nextAuthUrl).toBe("http://localhost:3000");
    expect(env.nextAuthSecretGenerated).toBe(true);
    expect(env.nextAuthSecret.length).toBeGreaterThanOrEqual(32);
    expect(readFileSync(path.join(dataDir, "nextauth-secret"), "utf8").trim()).toBe(env.nextAuthSecret);
    // The same secret next time, so sessions survive a restart.
    expect(parseEnv({ DATA_DIR: dataDir }).nextAuthSecret).toBe(env.nextAuthSecret);
  });

  it("refuses a production start without its secrets, in one line that names every missing one", () => {
    let error: unknown;
    try {
      parseEnv({ NODE_ENV: "production" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EnvError);
    expect((error as Error).message).toMatch(/^A production server needs NEXTAUTH_SECRET, OKTA_CLIENT_ID, OKTA_CLIENT_SECRET, APP_URL /);
    expect((error as Error).message).not.toContain("\n");
  });

  it("uses DATABASE_URL, the origins and the region as configured", () => {
    const env = parseEnv({
      NODE_ENV: "production",
      NEXTAUTH_SECRET: SECRET,
      OKTA_CLIENT_ID: "okta-prod",
      OKTA_CLIENT_SECRET: "okta-prod-secret-0123456789",
      DATABASE_URL: "postgres://u:p@db.internal:5432/portal",
      PORT: "8080",
      APP_URL: "https://app.example.com/some/path",
      SCIM_ORIGIN: "https://scim.example.com",
      REGION_NAME: "Europe",
    });
    expect(env.databaseKind).toBe("postgres");
    expect(env.port).toBe(8080);
    expect(env.appUrl).toBe("https://app.example.com");
    expect(env.scimOrigin).toBe("https://scim.example.com");
    expect(env.nextAuthUrl).toBe("https://app.example.com");
    expect(env.regionName).toBe("Europe");
    expect(env.nextAuthSecretGenerated).toBe(false);
    expect(env.oauthClients[0]).toMatchObject({ id: "okta-prod", name: "Okta", secret: "okta-prod-secret-0123456789" });
    expect(env.oauthClients[0]!.redirectUris).toContain("https://system-admin.okta.com/admin/app/cpc/{appName}/oauth/callback");
    // Production drops the plain-HTTP default that development keeps.
    expect(env.oauthClients[0]!.redirectUris.every((u) => u.startsWith("https://"))).toBe(true);
    expect(parseEnv({ NEXTAUTH_SECRET: SECRET }).oauthClients[0]!.redirectUris.some((u) => u.startsWith("http://"))).toBe(true);
  });

  it("refuses a production start without the Okta client; development gets the documented default client", () => {
    expect(() => parseEnv({ NODE_ENV: "production", NEXTAUTH_SECRET: SECRET, APP_URL: "https://app.example.com" })).toThrow(
      /^A production server needs OKTA_CLIENT_ID, OKTA_CLIENT_SECRET /,
    );
    const dev = parseEnv({ NEXTAUTH_SECRET: SECRET });
    expect(dev.oauthClients[0]).toMatchObject({ id: "okta-scim-dev", secret: "okta-scim-dev-secret-change-me" });
    const custom = parseEnv({
      NEXTAUTH_SECRET: SECRET,
      OKTA_REDIRECT_URIS: "https://okta.example.com/{appName}/cb",
      OAUTH_CLIENTS: JSON.stringify([
        { id: "other-idp", name: "Other", secret: "o".repeat(20), redirectUris: ["https://idp.example.com/cb"] },
      ]),
    });
    expect(custom.oauthClients.map((c) => c.id)).toEqual(["okta-scim-dev", "other-idp"]);
    expect(custom.oauthClients[0]!.redirectUris).toEqual(["https://okta.example.com/{appName}/cb"]);
    expect(() => parseEnv({ NEXTAUTH_SECRET: SECRET, OKTA_REDIRECT_URIS: "not a url" })).toThrow(/Invalid OAuth client configuration/);
  });

  it.each([
    [{ DATABASE_URL: "mysql://x" }, /DATABASE_URL/],
    [{ PORT: "99999" }, /PORT/],
    [{ APP_URL: "not a url" }, /APP_URL/],
    [{ NEXTAUTH_SECRET: "short" }, /NEXTAUTH_SECRET: must be at least 32 characters/],
  ])("rejects bad settings with a message naming the variable (%o)", (source, message) => {
    expect(() => parseEnv({ NEXTAUTH_SECRET: SECRET, ...source })).toThrow(message);
  });

  it("keeps memory:// PGlite as given", () => {
    expect(parseEnv({ NEXTAUTH_SECRET: SECRET, PGLITE_DIR: "memory://" }).pgliteDir).toBe("memory://");
  });
});
