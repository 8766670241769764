// Run by playwright.config.ts before the server starts: the demo data plus what the suites need besides it —
// a second organization owned by the demo owner (for the org switcher), and organizations with SCIM on and a
// secret token each (for the SCIM API suites), written to test-results/.scim/fixtures.json.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { openDatabase } from "@/db/client";
import { DEMO, seedDemo } from "@/db/seed";
import { findAccountByEmail } from "@/lib/orgs/accounts";
import { createOrganization } from "@/lib/orgs/create-organization";
import { orgsOfAccount } from "@/lib/orgs/queries";
import { setScimEnabled } from "@/lib/orgs/set-scim-enabled";
import { createScimToken } from "@/lib/scim/tokens";
import { createStack } from "@/lib/stacks/create-stack";
import { SCIM_FIXTURES_FILE, SCIM_OWNER_PASSWORD, type ScimFixtures } from "./scim";

export const SECOND_ORG_NAME = "Globex Test Org";

const handle = await openDatabase({ role: "e2e preparation" });
try {
  await seedDemo(handle.db);
  const owner = await findAccountByEmail(handle.db, DEMO.people[0]!.email);
  const orgs = owner ? await orgsOfAccount(handle.db, owner.id) : [];
  if (!orgs.some((o) => o.name === SECOND_ORG_NAME)) {
    await createOrganization(handle.db, { name: SECOND_ORG_NAME, ownerEmail: DEMO.people[0]!.email });
  }
  const run = Date.now().toString(36);
  const fixtures: Record<string, { orgId: string; token: string; ownerEmail: string }> = {};
  for (const key of ["okta", "entra", "api", "other", "disabled", "oauth", "mapping", "journey"] as const) {
    const ownerEmail = `scim-owner-${key}-${run}@example.com`;
    const { org } = await createOrganization(handle.db, { name: `SCIM ${key} ${run}`, ownerEmail, ownerPassword: SCIM_OWNER_PASSWORD });
    // The journey org starts with SCIM off: its Owner turns it on in the browser.
    if (key !== "disabled" && key !== "journey") await setScimEnabled(handle.db, org.id, true, null);
    if (key === "mapping" || key === "journey") await handle.db.transaction(async (tx) => {
      for (const name of DEMO.stacks) await createStack(tx, org.id, name);
    });
    const { token } = await createScimToken(handle.db, { orgId: org.id, name: `e2e ${key}` });
    fixtures[key] = { orgId: org.id, token, ownerEmail };
  }
  mkdirSync(path.dirname(SCIM_FIXTURES_FILE), { recursive: true });
  writeFileSync(SCIM_FIXTURES_FILE, JSON.stringify(fixtures satisfies Record<keyof ScimFixtures, unknown>, null, 2));
} finally {
  await handle.close();
}
