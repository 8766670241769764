// npm run db:seed — creates the demo organization (idempotent) and prints its ID.
import { openDatabase } from "@/db/client";
import { DEMO, seedDemo } from "@/db/seed";
import { DatabaseInUseError } from "@/db/pglite-lock";

try {
  const handle = await openDatabase({ role: "seed script" });
  try {
    const { orgId, created } = await seedDemo(handle.db);
    console.error(`${created ? "Created" : "Found"} the demo organization "${DEMO.orgName}" in ${handle.location}.`);
    for (const p of DEMO.people) console.error(`  ${p.role.padEnd(6)} ${p.email} / ${p.password}`);
    console.log(orgId);
  } finally {
    await handle.close();
  }
} catch (e) {
  console.error(e instanceof DatabaseInUseError ? e.message : e);
  process.exit(1);
}
