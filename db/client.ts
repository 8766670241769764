import { mkdirSync } from "node:fs";
import path from "node:path";
import { sql, type SQL } from "drizzle-orm";
import { PgTransaction, type PgDatabase, type PgDialect, type PgQueryResultHKT } from "drizzle-orm/pg-core";
import { getEnv, type Env } from "@/lib/env";
import { lockPgliteDir } from "./pglite-lock";
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
/** Serializes migrations when several servers start at once on one PostgreSQL. */
const MIGRATION_LOCK_KEY = 727_411_001;

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

export async function openDatabase(options: OpenOptions): Promise<DatabaseHandle> {
  const env = options.env ?? getEnv();
  const migrate = options.migrate ?? true;
  if (env.databaseUrl) {
    const { default: postgres } = await import("postgres");
    const { drizzle } = await import("drizzle-orm/postgres-js");
    if (migrate) {
      const { migrate: runMigrations } = await import("drizzle-orm/postgres-js/migrator");
      const one = postgres(env.databaseUrl, { max: 1, onnotice: () => {} });
      try {
        await one`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
        await runMigrations(drizzle({ client: one }), { migrationsFolder: MIGRATIONS_FOLDER });
        await one`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
      } finally {
        await one.end({ timeout: 5 });
      }
    }
    // Two pools. Single statements share a few connections: under load postgres.js pipelines them, several to a
    // socket write and to a wake-up of a PostgreSQL process, which on a small machine is most of a statement's cost
    // (DATABASE_POOL_SIZE 4 served 10–15 % more lookups than 10). Transactions hold a connection while they run, so
    // they get their own (postgres.js begin/reserve, which drizzle's transactions and ours use): a long one — a
    // mapping change re-deriving 100,000 people — never has statements queued behind it.
    const client = postgres(env.databaseUrl, {
      max: options.maxConnections ?? env.databasePoolSize,
      onnotice: () => {},
      idle_timeout: 60,
      connection: { application_name: "portal" },
    });
    const txClient = postgres(env.databaseUrl, {
      max: options.maxConnections ?? env.databaseTxPoolSize,
      onnotice: () => {},
      idle_timeout: 60,
      connection: { application_name: "portal-tx" },
    });
    const toTx = (prop: string | symbol) => prop === "begin" || prop === "reserve";
    const routed = new Proxy(client, {
      get: (target, prop, receiver) => (toTx(prop) ? Reflect.get(txClient, prop) : Reflect.get(target, prop, receiver)),
      set: (target, prop, value, receiver) =>
        toTx(prop) ? Reflect.set(txClient, prop, value) : Reflect.set(target, prop, value, receiver),
    });
    const db = drizzle({ client: routed, schema }) as unknown as Db;
    // drizzle sets its value parsers and serializers (dates, json) on the client it is given; the transaction pool
    // needs the same, so it is given to drizzle too (that instance itself is not used).
    drizzle({ client: txClient });
    const listeners = new Set<() => Promise<void>>();
    const url = env.databaseUrl;
    const listen = (channel: string, onNotify: () => void, onReady: (ready: boolean) => void) => {
      // A connection of its own that never idles out; postgres.js reconnects it on the next query after a drop.
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
    };
    return {
      db,
      kind: "postgres",
      location: redactUrl(env.databaseUrl),
      listen,
      close: async () => {
        await Promise.all([...listeners].map((stop) => stop()));
        await Promise.all([client.end({ timeout: 5 }), txClient.end({ timeout: 5 })]);
      },
    };
  }

  const dir = env.pgliteDir;
  const inMemory = dir.startsWith("memory://");
  const release = inMemory ? () => {} : lockPgliteDir(dir, options.role);
  try {
    if (!inMemory) mkdirSync(dir, { recursive: true });
    const { PGlite } = await import("@electric-sql/pglite");
    const { drizzle } = await import("drizzle-orm/pglite");
    const client = await PGlite.create(dir);
    const db = drizzle({ client, schema }) as unknown as Db;
    if (migrate) {
      const { migrate: runMigrations } = await import("drizzle-orm/pglite/migrator");
      await runMigrations(drizzle({ client }), { migrationsFolder: MIGRATIONS_FOLDER });
    }
    return {
      db,
      kind: "pglite",
      location: dir,
      // One process owns a PGlite folder, so every change is seen here; notifications are delivered after each query.
      listen: (channel, onNotify, onReady) => {
        let unlisten: (() => Promise<void>) | undefined;
        let stopped = false;
        client
          .listen(channel, () => onNotify())
          .then(
            (u) => {
              if (stopped) return void u();
              unlisten = u;
              onReady(true);
            },
            () => onReady(false),
          );
        return () => {
          stopped = true;
          onReady(false);
          void unlisten?.().catch(() => {});
        };
      },
      close: async () => {
        await client.close();
        release();
      },
    };
  } catch (e) {
    release();
    throw e;
  }
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

const preparedStatements = new WeakMap<Db, Map<string, unknown>>();

/**
 * A hot query's prepared form, built once per database (drizzle then skips rebuilding its SQL on every call, and
 * PostgreSQL keeps the statement parsed and planned on each connection). Values come in through `sql.placeholder`.
 */
export function prepared<T>(db: Db, name: string, build: (db: Db, name: string) => T): T {
  let byName = preparedStatements.get(db);
  if (!byName) preparedStatements.set(db, (byName = new Map()));
  if (!byName.has(name)) byName.set(name, build(db, name));
  return byName.get(name) as T;
}

/** postgres.js's raw query call, which drizzle's `db.execute` uses without preparing. */
type RawClient = { unsafe: (text: string, params: unknown[], options: { prepare: boolean }) => Promise<unknown[]> };

/**
 * Rows of a raw statement. On PostgreSQL it runs as a named prepared statement of its connection (postgres.js keys
 * them by text; our raw statements have a fixed text per shape, values are parameters), inside a transaction as
 * well: the server plans the set-based access statements once per connection instead of on every request, which
 * was most of a membership change's database time. drizzle's `db.execute` would send them unprepared.
 */
export async function queryRows<T extends Record<string, unknown>>(db: DbOrTx, query: SQL): Promise<T[]> {
  if (committedTx.has(db)) throw new Error("a statement was sent after its transaction's COMMIT");
  const { session, dialect } = db as unknown as { session?: { client?: Partial<RawClient> }; dialect?: PgDialect };
  const client = session?.client;
  if (dialect && typeof client?.unsafe === "function") {
    const { sql: text, params } = dialect.sqlToQuery(query);
    // `.then` at once (here and below): both drivers' queries start only when something calls it, and inOrder()
    // relies on statements starting in the order they were asked for.
    return (await (client as RawClient).unsafe(text, params, { prepare: true }).then((rows) => rows)) as T[];
  }
  const result = (await db.execute(query).then((r) => r)) as unknown;
  // PGlite answers an object with `rows`.
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

/** Transactions of transaction() whose COMMIT can be sent behind their last statements (see inOrderThenCommit). */
const commitAhead = new WeakMap<object, () => Promise<unknown>>();
/** Transactions whose COMMIT has been sent: a statement after it would run outside the transaction. */
const committedTx = new WeakSet<object>();

/** drizzle's postgres.js session module, imported once (an import() per transaction costs a module resolution). */
let postgresJsSession: Promise<typeof import("drizzle-orm/postgres-js/session")> | undefined;

type ReservableClient = { reserve: () => Promise<RawClient & { release: () => void }> };

/**
 * One transaction, like `db.transaction`, with one round trip fewer on PostgreSQL: postgres.js's own `begin` waits
 * for BEGIN's answer before sending anything else, so here BEGIN goes out on a reserved connection together with the
 * transaction's first statements. If anything fails the transaction is rolled back; the connection always goes
 * back to the pool. The `tx` given to `work` is an ordinary drizzle transaction on that connection (so inOrder()
 * pipelines on it). PGlite has no round trips to save: there it is `db.transaction`.
 */
export async function transaction<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  const { session, dialect } = db as unknown as {
    session: { client?: Partial<ReservableClient>; schema?: unknown; options?: object };
    dialect: PgDialect;
  };
  if (typeof session.client?.reserve !== "function") return db.transaction(work);
  const { PostgresJsSession, PostgresJsTransaction } = await (postgresJsSession ??= import("drizzle-orm/postgres-js/session"));
  const reserved = await (session.client as ReservableClient).reserve();
  try {
    type SessionArgs = ConstructorParameters<typeof PostgresJsSession>;
    // Without the schema: relational queries (tx.query) are not used in transactions, and without it each
    // transaction's drizzle object is built without walking every table.
    const txSession = new PostgresJsSession(reserved as unknown as SessionArgs[0], dialect, undefined, session.options as SessionArgs[3]);
    const tx = new PostgresJsTransaction(dialect, txSession as never, undefined as never) as unknown as Tx;
    // BEGIN and COMMIT as prepared statements of the connection, like every other statement here.
    const begin = reserved.unsafe("begin", [], { prepare: true }).then(() => undefined);
    let commit: Promise<unknown> | undefined;
    const sendCommit = () => {
      committedTx.add(tx);
      return (commit ??= reserved.unsafe("commit", [], { prepare: true }).then((r) => r));
    };
    commitAhead.set(tx, sendCommit);
    try {
      const result = await work(tx);
      await begin;
      await sendCommit();
      return result;
    } catch (e) {
      await begin.catch(() => {});
      // A COMMIT sent behind a statement that failed ends the transaction as a ROLLBACK (PostgreSQL's rule).
      if (commit) await commit.catch(() => {});
      else
        await reserved
          .unsafe("rollback", [], { prepare: false })
          .then((r) => r)
          .catch(() => {});
      throw e;
    }
  } finally {
    reserved.release();
  }
}

/**
 * inOrder() for a transaction's last statements, with COMMIT sent right behind them: the whole end of a write in
 * one round trip. If one of them fails, PostgreSQL turns that COMMIT into a ROLLBACK and the failure is thrown as
 * usual. Each step must send its statements when it is called (not after an await), and nothing may query the
 * transaction afterwards (queryRows refuses to); what the caller does after it must not fail for a reason that
 * should undo the write. Where COMMIT cannot be sent early (PGlite, drizzle's own transactions) this is inOrder().
 */
export async function inOrderThenCommit<T extends readonly unknown[]>(
  tx: DbOrTx,
  ...work: { [K in keyof T]: () => Promise<T[K]> }
): Promise<T> {
  const sendCommit = commitAhead.get(tx);
  if (!sendCommit) return inOrder<T>(tx, ...work);
  const started = work.map((w) => w().then((v) => v));
  const committed = sendCommit();
  const settled = await Promise.allSettled(started);
  const failed = settled.find((r) => r.status === "rejected");
  if (failed) throw failed.reason;
  await committed;
  return settled.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

/**
 * Runs statements in order. Inside a transaction they are sent back to back without waiting for each answer
 * (postgres.js pipelines them on the transaction's one connection, which runs them in the order sent): one round
 * trip instead of one each. Outside a transaction they run one after another, as the pool could otherwise run them
 * side by side. All are awaited; the first failure (in order) is thrown.
 */
export async function inOrder<T extends readonly unknown[]>(tx: DbOrTx, ...work: { [K in keyof T]: () => Promise<T[K]> }): Promise<T> {
  if (!(tx instanceof PgTransaction)) {
    const out: unknown[] = [];
    for (const w of work) out.push(await w());
    return out as unknown as T;
  }
  // `.then` at once: drizzle's queries are lazy thenables that start only when something calls it, and they must
  // reach the connection in this order.
  const settled = await Promise.allSettled(work.map((w) => w().then((v) => v)));
  const failed = settled.find((r) => r.status === "rejected");
  if (failed) throw failed.reason;
  return settled.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

export async function ping(db: DbOrTx): Promise<void> {
  await db.execute(sql`select 1`);
}

export { schema };
