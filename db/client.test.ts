import { count, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "./client";
import { pgCode } from "@/lib/errors";
import { inOrder, inOrderThenCommit, queryRows, transaction } from "./client";
import { accounts } from "./schema";
import { onPostgres, openTestDatabase, uniqueSuffix } from "./test-support";

let h: DatabaseHandle;
beforeAll(async () => {
  h = await openTestDatabase();
});
afterAll(async () => {
  await h?.close();
});

describe("inOrder", () => {
  it.runIf(onPostgres)(
    "refuses a step that sends its statement after its first await: it would reach the connection out of order",
    async () => {
      const email = `late.${uniqueSuffix()}@example.com`;
      const late = transaction(h.db, (tx) =>
        inOrder(
          tx,
          async () => {
            await Promise.resolve(); // awaits before sending
            return queryRows(tx, sql`insert into accounts (email, name) values (${email}, 'late')`);
          },
          () => queryRows(tx, sql`select 1 as n`),
        ),
      );
      await expect(late).rejects.toThrow(/inOrder\(\) step sent a statement after its first await/);
      expect(await queryRows(h.db, sql`select 1 from accounts where email = ${email}`)).toEqual([]); // rolled back, nothing written
    },
  );

  it("runs a transaction's statements in the order given, raw and built, lazy or not", async () => {
    const email = `order.${uniqueSuffix()}@example.com`;
    const seen = await h.db.transaction((tx) =>
      inOrder(
        tx,
        () => queryRows(tx, sql`insert into accounts (email, name) values (${email}, 'first')`),
        // A drizzle builder is a lazy thenable: it must still run second, and see the insert.
        () => tx.select({ n: count() }).from(accounts).where(eq(accounts.email, email)),
        () => queryRows<{ name: string }>(tx, sql`update accounts set name = 'third' where email = ${email} returning name`),
        () => tx.select({ name: accounts.name }).from(accounts).where(eq(accounts.email, email)),
      ),
    );
    expect(seen[1][0]!.n).toBe(1);
    expect(seen[2][0]!.name).toBe("third");
    expect(seen[3][0]!.name).toBe("third");
  });

  it("throws the first failure and the transaction rolls back", async () => {
    const email = `rollback.${uniqueSuffix()}@example.com`;
    const failure = await h.db
      .transaction((tx) =>
        inOrder(
          tx,
          () => queryRows(tx, sql`insert into accounts (email, name) values (${email}, 'x')`),
          () => queryRows(tx, sql`insert into accounts (email, name) values (${email.toUpperCase()}, 'duplicate ignoring case')`),
          () => queryRows(tx, sql`select 1`),
        ),
      )
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(pgCode(failure)).toBe("23505"); // the duplicate, not the aborted statement after it
    expect(await h.db.select().from(accounts).where(eq(accounts.email, email))).toEqual([]);
  });
});

describe("transaction", () => {
  it("commits what succeeds, rolls back what fails, and gives the connection back either way", async () => {
    const email = `tx.${uniqueSuffix()}@example.com`;
    const id = await transaction(h.db, async (tx) => {
      const [row] = await queryRows<{ id: string }>(tx, sql`insert into accounts (email, name) values (${email}, 'kept') returning id`);
      return row!.id;
    });
    expect(await h.db.select({ id: accounts.id }).from(accounts).where(eq(accounts.email, email))).toEqual([{ id }]);
    // More failures than the test pool has connections (4): none may leak a reserved connection or a half-done write.
    for (let i = 0; i < 10; i++) {
      const failed = await transaction(h.db, async (tx) => {
        await queryRows(tx, sql`update accounts set name = 'changed' where email = ${email}`);
        throw new Error(`failure ${i}`);
      }).catch((e: Error) => e.message);
      expect(failed).toBe(`failure ${i}`);
    }
    const failedInSql = await transaction(h.db, (tx) =>
      inOrder(
        tx,
        () => queryRows(tx, sql`update accounts set name = 'changed' where email = ${email}`),
        () => queryRows(tx, sql`select 1/0`),
      ),
    ).catch((e: unknown) => pgCode(e));
    expect(failedInSql).toBe("22012");
    const [row] = await h.db.select({ name: accounts.name }).from(accounts).where(eq(accounts.email, email));
    expect(row!.name).toBe("kept");
  });
});

describe("inOrderThenCommit", () => {
  it("commits with the last statements, rolls all back when one fails, and refuses statements after the COMMIT", async () => {
    const email = `ahead.${uniqueSuffix()}@example.com`;
    await transaction(h.db, (tx) =>
      inOrderThenCommit(tx, () => queryRows(tx, sql`insert into accounts (email, name) values (${email}, 'one')`)),
    );
    expect(await h.db.select({ name: accounts.name }).from(accounts).where(eq(accounts.email, email))).toEqual([{ name: "one" }]);

    const failure = await transaction(h.db, (tx) =>
      inOrderThenCommit(
        tx,
        () => queryRows(tx, sql`update accounts set name = 'two' where email = ${email}`),
        () => queryRows(tx, sql`insert into accounts (email, name) values (${email.toUpperCase()}, 'duplicate')`),
      ),
    ).catch((e: unknown) => pgCode(e));
    expect(failure).toBe("23505");
    expect(await h.db.select({ name: accounts.name }).from(accounts).where(eq(accounts.email, email))).toEqual([{ name: "one" }]);

    if (h.kind === "postgres") {
      const late = await transaction(h.db, async (tx) => {
        await inOrderThenCommit(tx, () => queryRows(tx, sql`update accounts set name = 'three' where email = ${email}`));
        await queryRows(tx, sql`update accounts set name = 'outside' where email = ${email}`);
      }).catch((e: Error) => e.message);
      expect(late).toContain("after its transaction's COMMIT");
      expect(await h.db.select({ name: accounts.name }).from(accounts).where(eq(accounts.email, email))).toEqual([{ name: "three" }]);
    }
  });
});

describe("connection pools (PostgreSQL)", () => {
  const appName = async (db: Parameters<typeof queryRows>[0]) =>
    (await queryRows<{ name: string }>(db, sql`select current_setting('application_name') as name`))[0]!.name;

  // PostgreSQL only: PGlite has one connection, so nothing runs side by side.
  it.runIf(onPostgres)("run single statements on one pool and transactions — ours and drizzle's — on another", async () => {
    expect(await appName(h.db)).toBe("portal");
    expect(await transaction(h.db, (tx) => appName(tx))).toBe("portal-tx");
    expect(await h.db.transaction((tx) => appName(tx))).toBe("portal-tx");
  });

  it.runIf(onPostgres)("bound every statement and every idle transaction (DATABASE_STATEMENT_TIMEOUT_MS, 60 s by default)", async () => {
    const setting = async (db: Parameters<typeof queryRows>[0], name: string) =>
      (await queryRows<{ v: string }>(db, sql`select current_setting(${name}) as v`))[0]!.v;
    for (const name of ["statement_timeout", "idle_in_transaction_session_timeout"]) {
      expect(await setting(h.db, name)).toBe("1min");
      expect(await transaction(h.db, (tx) => setting(tx, name))).toBe("1min");
    }
  });

  // PostgreSQL only: PGlite has one connection, so nothing runs side by side.
  it.runIf(onPostgres)("keep statements flowing while every transaction connection is held", async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    // The test database has 4 connections per pool: hold all 4 transaction connections open.
    const open = Array.from({ length: 4 }, () =>
      transaction(h.db, async (tx) => {
        await queryRows(tx, sql`select 1`);
        await held;
      }),
    );
    await new Promise((r) => setTimeout(r, 100));
    const answered = await Promise.race([
      Promise.all(Array.from({ length: 8 }, () => appName(h.db))).then(() => "statements answered"),
      new Promise((r) => setTimeout(() => r("statements waited"), 2000)),
    ]);
    release();
    await Promise.all(open);
    expect(answered).toBe("statements answered");
  });
});
