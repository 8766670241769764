import type { PgDialect } from "drizzle-orm/pg-core";
import type { Db, DbOrTx, Tx } from "./client";

/**
 * Every place the portal reaches into drizzle-orm's internals, in one file (checked against drizzle-orm 0.45 by
 * drizzle-internals.test.ts, which fails on another version so that this file is looked at again):
 * - a database's or transaction's `session.client` (postgres.js: `unsafe`) and `dialect` (`sqlToQuery`);
 * - drizzle's postgres.js session and transaction classes, built on a connection we reserved ourselves.
 */
export const DRIZZLE_CHECKED_AGAINST = "0.45.";

/** postgres.js's raw query call, which drizzle's `db.execute` uses without preparing. */
export type RawClient = { unsafe: (text: string, params: unknown[], options: { prepare: boolean }) => Promise<unknown[]> };
/** A connection reserved from postgres.js's pool (`sql.reserve()`), back to the pool with `release()`. */
export type ReservedConnection = RawClient & { release: () => void };

type Internals = {
  session?: { client?: Partial<RawClient>; options?: object };
  dialect?: PgDialect;
};

/** The raw postgres.js client under a database or transaction, and its dialect; null on PGlite. */
export function rawClientOf(db: DbOrTx): { client: RawClient; dialect: PgDialect } | null {
  const { session, dialect } = db as unknown as Internals;
  const client = session?.client;
  return dialect && typeof client?.unsafe === "function" ? { client: client as RawClient, dialect } : null;
}

/** drizzle's postgres.js session module, imported once (an import() per transaction costs a module resolution). */
let postgresJsSession: Promise<typeof import("drizzle-orm/postgres-js/session")> | undefined;

/**
 * An ordinary drizzle transaction object on a connection we reserved and began ourselves. Without the schema:
 * relational queries (tx.query) are not used in transactions, and without it each transaction's drizzle object is
 * built without walking every table.
 */
export async function drizzleTransactionOn(db: Db, connection: RawClient): Promise<Tx> {
  const { PostgresJsSession, PostgresJsTransaction } = await (postgresJsSession ??= import("drizzle-orm/postgres-js/session"));
  const { session, dialect } = db as unknown as Required<Internals> & { session: { options?: object } };
  type SessionArgs = ConstructorParameters<typeof PostgresJsSession>;
  const txSession = new PostgresJsSession(connection as unknown as SessionArgs[0], dialect, undefined, session.options as SessionArgs[3]);
  return new PostgresJsTransaction(dialect, txSession as never, undefined as never) as unknown as Tx;
}
