import { count, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "./client";
import { pgCode } from "@/lib/errors";
import { inOrder, queryRows } from "./client";
import { accounts } from "./schema";
import { openTestDatabase, uniqueSuffix } from "./test-support";

let h: DatabaseHandle;
beforeAll(async () => {
  h = await openTestDatabase();
});
afterAll(async () => {
  await h?.close();
});

describe("inOrder", () => {
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
