// Run by playwright.config.ts before the server starts: the demo data plus what the suites need besides it
// (a second organization owned by the demo owner, so the org switcher has something to switch to).
import { openDatabase } from "@/db/client";
import { DEMO, seedDemo } from "@/db/seed";
import { findAccountByEmail } from "@/lib/orgs/accounts";
import { createOrganization } from "@/lib/orgs/create-organization";
import { orgsOfAccount } from "@/lib/orgs/queries";

export const SECOND_ORG_NAME = "Globex Test Org";

const handle = await openDatabase({ role: "e2e preparation" });
try {
  await seedDemo(handle.db);
  const owner = await findAccountByEmail(handle.db, DEMO.people[0]!.email);
  const orgs = owner ? await orgsOfAccount(handle.db, owner.id) : [];
  if (!orgs.some((o) => o.name === SECOND_ORG_NAME)) {
    await createOrganization(handle.db, { name: SECOND_ORG_NAME, ownerEmail: DEMO.people[0]!.email });
  }
} finally {
  await handle.close();
}
