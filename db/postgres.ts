import type { Env } from "@/lib/env";
import { MIGRATIONS_FOLDER, redactUrl, type DatabaseHandle, type Db, type Tx } from "./client";
import * as schema from "./schema";
import { setTransactionPool, transaction } from "./statements";

/** Serializes migrations when several servers start at once on one PostgreSQL. */
const MIGRATION_LOCK_KEY = 727_411_001;

/**
 * PostgreSQL through postgres.js, with two pools. Single statements share a few connections: under load postgres.js
 * pipelines them, several to a socket write and to a wake-up of a PostgreSQL process, which on a small machine is
 * most of a statement's cost (DATABASE_POOL_SIZE 4 served 10–15 % more lookups than 10). Transactions hold a
 * connection while they run, so they get their own (DATABASE_TX_POOL_SIZE): a long one — a mapping change
 * re-deriving 100,000 people — never has statements queued behind it. Both pools are plain postgres.js clients; the
 * database object drizzle builds on the statement pool is told which pool its transactions take (setTransactionPool).
 */
export async function openPostgres(
  env: Env & { databaseUrl: string },
  options: { migrate: boolean; maxConnections?: number },
): Promise<DatabaseHandle> {
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const url = env.databaseUrl;
  if (options.migrate) {
    const { migrate: runMigrations } = await import("drizzle-orm/postgres-js/migrator");
    const one = postgres(url, { max: 1, onnotice: () => {} });
    try {
      await one`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
      await runMigrations(drizzle({ client: one }), { migrationsFolder: MIGRATIONS_FOLDER });
      await one`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
    } finally {
      await one.end({ timeout: 5 });
    }
  }
  // Bounded work: no statement runs longer, and no transaction sits idle longer, than DATABASE_STATEMENT_TIMEOUT_MS.
  const timeouts = env.databaseStatementTimeoutMs
    ? { statement_timeout: env.databaseStatementTimeoutMs, idle_in_transaction_session_timeout: env.databaseStatementTimeoutMs }
    : {};
  const statements = postgres(url, {
    max: options.maxConnections ?? env.databasePoolSize,
    onnotice: () => {},
    idle_timeout: 60,
    connection: { application_name: "portal", ...timeouts },
  });
  const transactions = postgres(url, {
    max: options.maxConnections ?? env.databaseTxPoolSize,
    onnotice: () => {},
    idle_timeout: 60,
    connection: { application_name: "portal-tx", ...timeouts },
  });
  const db = drizzle({ client: statements, schema }) as unknown as Db;
  // drizzle sets its value parsers and serializers (dates, json) on the client it is given; the transaction pool
  // needs the same, so it is given to drizzle too (that instance itself is not used).
  drizzle({ client: transactions });
  // transaction() (db/statements.ts) reserves its connection from this pool, and drizzle's db.transaction is that
  // same function here (its own would BEGIN on the statement pool). Isolation options are not used in the portal.
  setTransactionPool(db, transactions);
  db.transaction = ((work: (tx: Tx) => Promise<unknown>, config?: unknown) => {
    if (config !== undefined) throw new Error("db.transaction: transaction options are not supported on this database");
    return transaction(db, work);
  }) as Db["transaction"];
  const listeners = new Set<() => Promise<void>>();
  return {
    db,
    kind: "postgres",
    location: redactUrl(url),
    listen: (channel, onNotify, onReady) => listenOn(postgres, url, listeners, channel, onNotify, onReady),
    close: async () => {
      await Promise.all([...listeners].map((stop) => stop()));
      await Promise.all([statements.end({ timeout: 5 }), transactions.end({ timeout: 5 })]);
    },
  };
}

/**
 * LISTEN on a connection of its own that never idles out; postgres.js reconnects it on the next query after a drop,
 * and it is re-subscribed every second until that works (`onReady(false)` meanwhile).
 */
function listenOn(
  postgres: typeof import("postgres"),
  url: string,
  listeners: Set<() => Promise<void>>,
  channel: string,
  onNotify: () => void,
  onReady: (ready: boolean) => void,
): () => void {
  let stopped = false;
  let retry: ReturnType<typeof setTimeout> | undefined;
  const again = () => {
    onReady(false);
    if (stopped || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      subscribe();
    }, 1000);
    retry.unref();
  };
  const conn = postgres(url, {
    max: 1,
    idle_timeout: 0,
    max_lifetime: null,
    fetch_types: false,
    onnotice: () => {},
    onclose: again,
    // Not in postgres.js's types, but its connection option for NotificationResponse messages.
    ...({ onnotify: (ch: string) => ch === channel && onNotify() } as object),
  });
  const subscribe = () => {
    conn.unsafe(`listen "${channel.replace(/"/g, '""')}"`).then(() => !stopped && onReady(true), again);
  };
  subscribe();
  const stop = async () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    onReady(false);
    listeners.delete(stop);
    await conn.end({ timeout: 1 });
  };
  listeners.add(stop);
  return () => void stop();
}
