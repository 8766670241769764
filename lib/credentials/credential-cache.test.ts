import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { credentialCacheState, credentialRemembered } from "@/lib/credentials/credential-cache";
import { SYSTEM_ACTOR } from "@/lib/audit/record";
import { revokeScimToken } from "@/lib/credentials/scim-tokens";
import { call, h, scimOrg, withScimDatabase } from "@/lib/provisioning/test-harness";

// The credential memory and its revocation by NOTIFY, through the SCIM endpoint.
withScimDatabase();

describe("credential memory", () => {
  // The memory is per process and other test files clear it through the shared NOTIFY channel at any moment, so
  // each test looks at its own token's entry, and the proof of forgetting is the answer the next request gets.
  const until = async (check: () => boolean, what: string) => {
    for (let i = 0; i < 1000 && !check(); i++) await new Promise((r) => setTimeout(r, 10)); // ≤ 10 s: the suite runs files side by side
    if (!check()) throw new Error(`timed out waiting for ${what}`);
  };
  const bearer = (a: { token: string }) => `Bearer ${a.token}`;
  const usersOf = (a: { orgId: string; token: string }) => call(a.orgId, a.token, "GET", "/Users?count=1");
  /** A request with the org's token, until its credential is remembered (another file's NOTIFY may clear it meanwhile). */
  const remembered = async (a: { orgId: string; token: string }) => {
    for (let i = 0; i < 50; i++) {
      expect((await usersOf(a)).status).toBe(200);
      if (credentialRemembered(bearer(a))) return;
    }
    throw new Error("the credential was never remembered");
  };

  it("remembers a good token and forgets it the moment this process revokes it", async () => {
    const a = await scimOrg();
    expect((await usersOf(a)).status).toBe(200);
    await until(() => credentialCacheState().ready, "the listener");
    await remembered(a);
    await revokeScimToken(h.db, SYSTEM_ACTOR, a.orgId, a.tokenId);
    expect(credentialRemembered(bearer(a))).toBe(false);
    expect((await usersOf(a)).status).toBe(401);
  });

  it("forgets when the change comes from elsewhere (another node, the CLI, SQL): revocation, SCIM off", async () => {
    const a = await scimOrg();
    const b = await scimOrg();
    expect((await usersOf(a)).status).toBe(200); // the first request starts the listener
    await until(() => credentialCacheState().ready, "the listener");
    await remembered(a);
    // Straight SQL, as another process would: only the trigger's NOTIFY can tell this process.
    await h.db.execute(sql`update scim_tokens set revoked_at = now() where id = ${a.tokenId}`);
    await until(() => !credentialRemembered(bearer(a)), "the notification");
    expect((await usersOf(a)).status).toBe(401);
    await remembered(b);
    await h.db.execute(sql`update organizations set scim_enabled = false where id = ${b.orgId}`);
    await until(() => !credentialRemembered(bearer(b)), "the notification");
    expect((await usersOf(b)).status).toBe(403);
  });

  it("never remembers unknown tokens, and still refuses another org's token when remembered", async () => {
    const a = await scimOrg();
    const b = await scimOrg();
    expect((await usersOf(a)).status).toBe(200);
    await until(() => credentialCacheState().ready, "the listener");
    expect((await call(a.orgId, "scimsk_unknown", "GET", "/Users")).status).toBe(401);
    expect(credentialRemembered("Bearer scimsk_unknown")).toBe(false);
    await remembered(a);
    expect((await call(b.orgId, a.token, "GET", "/Users")).status).toBe(401);
  });
});
