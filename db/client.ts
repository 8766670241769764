import path from "node:path";
import { sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { getEnv, type Env } from "@/lib/env";
import * as schema from "./schema";

/** One type for both drivers: everything in lib/ is written against it. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction has the same query API as the database. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type DbOrTx = Db | Tx;

export type DatabaseHandle = {
  db: Db;
  kind: "pglite" | "postgres";
  /** Where the data lives (folder or redacted URL), for messages. */
  location: string;
  close: () => Promise<void>;
  /**
   * Subscribes to a NOTIFY channel: `onNotify` for each notification, `onReady(true)` once notifications flow and
   * `onReady(false)` whenever they may not (the listening connection dropped: it is re-opened every second).
   * Returns the unsubscribe. Closing the handle ends every subscription.
   */
  listen: (channel: string, onNotify: () => void, onReady: (ready: boolean) => void) => () => void;
};

export const MIGRATIONS_FOLDER = path.join(process.cwd(), "db", "migrations");

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "postgres://(unparseable URL)";
  }
}

export type OpenOptions = {
  env?: Env;
  /** Who opens it, for the PGlite lock message ("server", "admin CLI", …). */
  role: string;
  migrate?: boolean;
  /** postgres.js pool size (of each of the two pools: statements, transactions). */
  maxConnections?: number;
};

/**
 * Opens the database this process uses: PostgreSQL when DATABASE_URL is set (db/postgres.ts: two pools, LISTEN),
 * else the embedded PGlite (db/pglite.ts), migrated unless told otherwise.
 */
export async function openDatabase(options: OpenOptions): Promise<DatabaseHandle> {
  const env = options.env ?? getEnv();
  const migrate = options.migrate ?? true;
  if (env.databaseUrl) {
    const { openPostgres } = await import("./postgres");
    return openPostgres({ ...env, databaseUrl: env.databaseUrl }, { migrate, maxConnections: options.maxConnections });
  }
  const { openPglite } = await import("./pglite");
  return openPglite(env.pgliteDir, { migrate, role: options.role });
}

const globalForDb = globalThis as unknown as { __portalDb?: Promise<DatabaseHandle> };

/** The server's database: one per process (kept on globalThis so hot reload does not open a second PGlite). */
export function getDatabase(): Promise<DatabaseHandle> {
  if (!globalForDb.__portalDb) {
    const opening = openDatabase({ role: "server" });
    globalForDb.__portalDb = opening;
    opening.catch(() => {
      // Let the next request try again (e.g. PostgreSQL was not up yet).
      if (globalForDb.__portalDb === opening) globalForDb.__portalDb = undefined;
    });
  }
  return globalForDb.__portalDb;
}

export async function getDb(): Promise<Db> {
  return (await getDatabase()).db;
}

export async function ping(db: DbOrTx): Promise<void> {
  await db.execute(sql`select 1`);
}

// Statements, transactions and pipelining (db/statements.ts), imported from here by everything in lib/.
export { inOrder, inOrderThenCommit, preferGenericPlans, prepared, queryRows, transaction } from "./statements";
export { schema };
