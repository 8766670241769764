import { describe, expect, it } from "vitest";
import { uniqueSuffix } from "@/db/test-support";
import { h, withScimDatabase } from "@/lib/provisioning/test-harness";
import { DEV_OKTA_CLIENT_ID, DEV_OKTA_CLIENT_SECRET } from "@/lib/oauth/clients";
import { issueCode } from "@/lib/oauth/grants";
import { s256 } from "@/lib/oauth/pkce";
import { createOrganization } from "@/lib/orgs/create-organization";
import { POST } from "./route";

// The token endpoint's answer for an expired code, with the code issued in the past (a clock, not a wait): the e2e
// suite's server keeps the default 2-minute lifetime, so no OAuth flow there races the clock.
withScimDatabase();

const REDIRECT = "https://system-admin.okta.com/admin/app/cpc/acme/oauth/callback";
const VERIFIER = "v".repeat(50);

describe("POST /oauth/token", () => {
  it("refuses an expired code with RFC 6749 invalid_grant", async () => {
    const { org, ownerAccountId } = await createOrganization(h.db, {
      name: "Token Co",
      ownerEmail: `t.${uniqueSuffix()}@example.com`,
      ownerPassword: "password-123",
    });
    const issuedAt = new Date(Date.now() - 121_000);
    const code = await issueCode(
      h.db,
      {
        clientId: DEV_OKTA_CLIENT_ID,
        orgId: org.id,
        accountId: ownerAccountId,
        redirectUri: REDIRECT,
        scope: "scim:read",
        codeChallenge: s256(VERIFIER),
        codeChallengeMethod: "S256",
      },
      issuedAt,
      120_000,
    );
    const res = await POST(
      new Request("http://localhost/oauth/token", {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          authorization: `Basic ${Buffer.from(`${DEV_OKTA_CLIENT_ID}:${DEV_OKTA_CLIENT_SECRET}`).toString("base64")}`,
        },
        body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: REDIRECT, code_verifier: VERIFIER }),
      }),
    );
    expect(res.status).toBe(400);
    expect(res.headers.get("cache-control")).toContain("no-store");
    expect(await res.json()).toMatchObject({ error: "invalid_grant", error_description: expect.stringContaining("expired") });
  });
});
