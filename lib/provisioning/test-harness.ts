// For tests of the server's code paths (*.test.ts beside the code): a real database for the file, the server's
// database slot pointed at it (getDb() answers it), an org with SCIM on and a token, and a request through the real handler.
import { afterAll, beforeAll } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { openTestDatabase, uniqueSuffix } from "@/db/test-support";
import { SYSTEM_ACTOR } from "@/lib/audit/record";
import { createScimToken } from "@/lib/credentials/scim-tokens";
import { createOrganization } from "@/lib/orgs/create-organization";
import { setScimEnabled } from "@/lib/orgs/set-scim-enabled";
import { handleScimRequest } from "./handler";

const slot = globalThis as unknown as { __portalDb?: Promise<DatabaseHandle> };
/** The file's database (a live binding: set once the file's beforeAll ran). */
export let h: DatabaseHandle;

/** Call once at the top of a test file: opens its database before its tests, closes it after. */
export function withScimDatabase(): void {
  beforeAll(async () => {
    h = await openTestDatabase();
    slot.__portalDb = Promise.resolve(h);
  });
  afterAll(async () => {
    slot.__portalDb = undefined;
    await h?.close();
  });
}

export async function scimOrg(enabled = true) {
  const ownerEmail = `o.${uniqueSuffix()}@example.com`;
  const { org, ownerAccountId } = await createOrganization(h.db, { name: "Log Co", ownerEmail, ownerPassword: "password-123" });
  if (enabled)
    await setScimEnabled(h.db, org.id, true, { kind: "web", accountId: ownerAccountId, email: ownerEmail, ip: null, userAgent: null });
  const { token, id } = await createScimToken(h.db, SYSTEM_ACTOR, { orgId: org.id, name: "test" });
  return { orgId: org.id, token, tokenId: id, ownerAccountId };
}

/** A SCIM request to the org's endpoint through the real handler. */
export function call(
  orgId: string,
  token: string | null,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const segments = path.split("?")[0]!.split("/").filter(Boolean);
  const req = new Request(`http://localhost/scim/v2.0/organizations/${orgId}/${path.replace(/^\//, "")}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), "content-type": "application/scim+json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return handleScimRequest(req, orgId, segments);
}

/** A SCIM request with a raw body (any text), through the real handler. */
export function callRaw(orgId: string, token: string | null, method: string, path: string, body: string) {
  const segments = path.split("?")[0]!.split("/").filter(Boolean);
  const req = new Request(`http://localhost/scim/v2.0/organizations/${orgId}/${path.replace(/^\//, "")}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), "content-type": "application/scim+json" },
    body,
  });
  return handleScimRequest(req, orgId, segments);
}
