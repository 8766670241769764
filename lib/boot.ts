import { getDatabase } from "@/db/client";
import { EnvError, getEnv } from "@/lib/env";
import { logger } from "@/lib/logger";

/** Server start: configuration, then the database (migrated). Exits the process on what cannot be served. */
export async function boot(): Promise<void> {
  let env;
  try {
    env = getEnv();
  } catch (e) {
    if (e instanceof EnvError) {
      console.error(`Refusing to start: ${e.message}`);
      process.exit(1);
    }
    throw e;
  }
  const log = logger();
  if (env.nextAuthSecretGenerated)
    log.warn("NEXTAUTH_SECRET is not set: using a generated secret kept in the data folder (fine for local runs only)");
  // Write the provisioning events still waiting in memory before the process goes.
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      void import("@/lib/provisioning/log").then(({ flushProvisioningLog }) => flushProvisioningLog()).finally(() => process.exit(0));
    });
  }
  const started = Date.now();
  try {
    const handle = await getDatabase();
    log.info({ database: handle.kind, location: handle.location, ms: Date.now() - started }, "database ready (migrations applied)");
    // The audit trail's retention (AUDIT_RETENTION_DAYS): pruned now and every 6 hours while the server runs.
    const { startAuditRetention } = await import("@/lib/audit/prune");
    startAuditRetention(handle.db);
  } catch (e) {
    // Stay up: /api/health answers 503 and the next request tries again (e.g. PostgreSQL still starting).
    log.error({ err: e instanceof Error ? e.message : String(e) }, "database not ready");
    if (e instanceof Error && e.name === "DatabaseInUseError") process.exit(1);
  }
}
