import { readFileSync } from "node:fs";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "./client";
import { DRIZZLE_CHECKED_AGAINST, drizzleTransactionOn, rawClientOf, type ReservedConnection } from "./drizzle-internals";
import { transactionPoolOf } from "./statements";
import { onPostgres, openTestDatabase } from "./test-support";

let h: DatabaseHandle;
beforeAll(async () => {
  h = await openTestDatabase();
});
afterAll(async () => {
  await h?.close();
});

describe("drizzle internals (db/drizzle-internals.ts)", () => {
  it("are checked against the installed drizzle-orm: another version means reading that file again", () => {
    const { version } = JSON.parse(readFileSync("node_modules/drizzle-orm/package.json", "utf8")) as { version: string };
    expect(
      version.startsWith(DRIZZLE_CHECKED_AGAINST),
      `drizzle-orm ${version}: re-check db/drizzle-internals.ts, then update DRIZZLE_CHECKED_AGAINST`,
    ).toBe(true);
  });

  it.runIf(!onPostgres)("on PGlite there is no raw postgres.js client and no pool to reserve from", () => {
    expect(rawClientOf(h.db)).toBeNull();
    expect(transactionPoolOf(h.db)).toBeNull();
  });

  it.runIf(onPostgres)(
    "on PostgreSQL: the raw client and dialect, a connection of the transaction pool, and a working drizzle transaction on it",
    async () => {
      const raw = rawClientOf(h.db)!;
      expect(raw.dialect.sqlToQuery(sql`select ${1} as n`)).toMatchObject({ sql: "select $1 as n", params: [1] });
      expect(await raw.client.unsafe("select 2 as n", [], { prepare: false })).toEqual([{ n: 2 }]);
      const connection = (await transactionPoolOf(h.db)!.reserve()) as unknown as ReservedConnection;
      try {
        await connection.unsafe("begin", [], { prepare: false });
        const tx = await drizzleTransactionOn(h.db, connection);
        expect(await tx.execute(sql`select current_setting('application_name') as name`)).toEqual([{ name: "portal-tx" }]);
        expect(rawClientOf(tx)?.client).toBe(connection);
        await connection.unsafe("rollback", [], { prepare: false });
      } finally {
        connection.release();
      }
    },
  );
});
