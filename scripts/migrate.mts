// npm run db:migrate — applies the committed migrations (db/migrations) to the configured database.
import { openDatabase } from "@/db/client";
import { DatabaseInUseError } from "@/db/pglite-lock";

try {
  const handle = await openDatabase({ role: "migration script", migrate: true });
  console.log(`Migrations applied to ${handle.kind} at ${handle.location}.`);
  await handle.close();
} catch (e) {
  console.error(e instanceof DatabaseInUseError ? e.message : e);
  process.exit(1);
}
