import { sql, type SQL } from "drizzle-orm";
import { PgTransaction } from "drizzle-orm/pg-core";
import type { Db, DbOrTx, Tx } from "./client";
import { drizzleTransactionOn, rawClientOf, type RawClient, type ReservedConnection } from "./drizzle-internals";

/**
 * How statements reach the database with as few round trips as possible: prepared statements, transactions whose
 * BEGIN and COMMIT travel with their statements, and statements pipelined in order on a transaction's connection.
 */

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

/** What transaction() keeps on the transaction it hands out (a symbol property: it lives and dies with the tx). */
type Pipeline = {
  /** Sends COMMIT (once) behind whatever was sent before; see inOrderThenCommit. */
  sendCommit: () => Promise<unknown>;
  /** COMMIT has been sent: a statement after it would run outside the transaction. */
  committed: boolean;
  /** inOrder() calls whose steps have all been started and are not settled: no step may send anything now. */
  ordering: number;
};
const PIPELINE = Symbol("portal.pipeline");
const pipelineOf = (db: DbOrTx) => (db as { [PIPELINE]?: Pipeline })[PIPELINE];

/** Refused statements: after COMMIT, or sent by an inOrder() step after its first await (out of order). */
function checkSend(p: Pipeline): void {
  if (p.committed) throw new Error("a statement was sent after its transaction's COMMIT");
  if (p.ordering > 0)
    throw new Error(
      "an inOrder() step sent a statement after its first await: it would reach the connection out of order (send first, then await)",
    );
}

/**
 * Rows of a raw statement. On PostgreSQL it runs as a named prepared statement of its connection (postgres.js keys
 * them by text; our raw statements have a fixed text per shape, values are parameters), inside a transaction as
 * well: the server plans the set-based access statements once per connection instead of on every request, which
 * was most of a membership change's database time. drizzle's `db.execute` would send them unprepared.
 */
export async function queryRows<T extends Record<string, unknown>>(db: DbOrTx, query: SQL): Promise<T[]> {
  const pipeline = pipelineOf(db);
  if (pipeline?.committed) throw new Error("a statement was sent after its transaction's COMMIT");
  const raw = rawClientOf(db);
  if (raw) {
    const { sql: text, params } = raw.dialect.sqlToQuery(query);
    // `.then` at once (here and below): both drivers' queries start only when something calls it, and inOrder()
    // relies on statements starting in the order they were asked for.
    return (await raw.client.unsafe(text, params, { prepare: true }).then((rows) => rows)) as T[];
  }
  const result = (await db.execute(query).then((r) => r)) as unknown;
  // PGlite answers an object with `rows`.
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

/**
 * For the rest of the transaction, prepared statements run on their generic plan (PostgreSQL's plan_cache_mode).
 * For the statements of a hot path whose plans do not depend on the values — lookups by key, sets of a few ids —
 * and which PostgreSQL would otherwise plan again on every execution: with `= any(array)` parameters it prefers a
 * custom plan, whose planning cost more than the statement itself (about 1 ms each for a member change's access
 * statements). Sent at once, not awaited: it travels with the statements after it, and should it fail, they fail
 * with the transaction.
 */
export function preferGenericPlans(tx: Tx): void {
  queryRows(tx, sql`set local plan_cache_mode = force_generic_plan`).catch(() => {});
}

/** The pool a PostgreSQL database's transactions reserve their connection from (postgres.js `reserve`). */
type TransactionPool = Pick<import("postgres").Sql, "reserve">;
const TRANSACTION_POOL = Symbol("portal.transactionPool");

/**
 * Gives a PostgreSQL database its transaction pool (db/postgres.ts): single statements go to the database's own
 * client, transaction() takes a connection of this one. A database without one (PGlite) runs `db.transaction`.
 */
export function setTransactionPool(db: Db, pool: TransactionPool): void {
  (db as { [TRANSACTION_POOL]?: TransactionPool })[TRANSACTION_POOL] = pool;
}

/** The database's transaction pool; null where transactions are drizzle's own (PGlite). */
export function transactionPoolOf(db: Db): TransactionPool | null {
  return (db as { [TRANSACTION_POOL]?: TransactionPool })[TRANSACTION_POOL] ?? null;
}

/**
 * One transaction, like `db.transaction`, with one round trip fewer on PostgreSQL: postgres.js's own `begin` waits
 * for BEGIN's answer before sending anything else, so here BEGIN goes out on a reserved connection together with the
 * transaction's first statements. If anything fails the transaction is rolled back; the connection always goes
 * back to the pool. The `tx` given to `work` is an ordinary drizzle transaction on that connection (so inOrder()
 * pipelines on it). PGlite has no round trips to save: there it is `db.transaction`.
 */
export async function transaction<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  const pool = transactionPoolOf(db);
  if (!pool) return db.transaction(work);
  const reserved = (await pool.reserve()) as unknown as ReservedConnection;
  try {
    let commit: Promise<unknown> | undefined;
    const pipeline: Pipeline = {
      committed: false,
      ordering: 0,
      sendCommit: () => {
        pipeline.committed = true;
        return (commit ??= send("commit", [], { prepare: true }).then((r) => r));
      },
    };
    // Every statement of the transaction — ours, and drizzle's built queries — goes through this check.
    const send: RawClient["unsafe"] = reserved.unsafe.bind(reserved);
    reserved.unsafe = (text, params, options) => {
      if (text !== "commit") checkSend(pipeline);
      return send(text, params, options);
    };
    const tx = await drizzleTransactionOn(db, reserved);
    (tx as { [PIPELINE]?: Pipeline })[PIPELINE] = pipeline;
    // BEGIN and COMMIT as prepared statements of the connection, like every other statement here.
    const begin = send("begin", [], { prepare: true }).then(() => undefined);
    try {
      const result = await work(tx);
      await begin;
      await pipeline.sendCommit();
      return result;
    } catch (e) {
      await begin.catch(() => {});
      // A COMMIT sent behind a statement that failed ends the transaction as a ROLLBACK (PostgreSQL's rule).
      if (commit) await commit.catch(() => {});
      else
        await send("rollback", [], { prepare: false })
          .then((r) => r)
          .catch(() => {});
      throw e;
    }
  } finally {
    reserved.release();
  }
}

/**
 * Starts the steps in order (each must send its statement before its first await) and waits for all; the first
 * failure in order is thrown. In a transaction of transaction(), a statement a step sends after the others were
 * started is refused — it would not run in order.
 */
async function startInOrder(tx: DbOrTx, work: (() => Promise<unknown>)[], afterStart?: () => Promise<unknown>): Promise<unknown[]> {
  const pipeline = pipelineOf(tx);
  // `.then` at once: drizzle's queries are lazy thenables that start only when something calls it, and they must
  // reach the connection in this order.
  const started = work.map((w) => w().then((v) => v));
  const after = afterStart?.();
  if (pipeline) pipeline.ordering++;
  try {
    const settled = await Promise.allSettled(started);
    const failed = settled.find((r) => r.status === "rejected");
    if (failed) throw failed.reason;
    await after;
    return settled.map((r) => (r as PromiseFulfilledResult<unknown>).value);
  } finally {
    if (pipeline) pipeline.ordering--;
  }
}

/**
 * inOrder() for a transaction's last statements, with COMMIT sent right behind them: the whole end of a write in
 * one round trip. If one of them fails, PostgreSQL turns that COMMIT into a ROLLBACK and the failure is thrown as
 * usual. Nothing may query the transaction afterwards (queryRows refuses to); what the caller does after it must
 * not fail for a reason that should undo the write. Where COMMIT cannot be sent early (PGlite, drizzle's own
 * transactions) this is inOrder().
 */
export async function inOrderThenCommit<T extends readonly unknown[]>(
  tx: DbOrTx,
  ...work: { [K in keyof T]: () => Promise<T[K]> }
): Promise<T> {
  const pipeline = pipelineOf(tx);
  if (!pipeline) return inOrder<T>(tx, ...work);
  return (await startInOrder(tx, work as unknown as (() => Promise<unknown>)[], pipeline.sendCommit)) as unknown as T;
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
  return (await startInOrder(tx, work as unknown as (() => Promise<unknown>)[])) as unknown as T;
}
