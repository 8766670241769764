import { sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { rateLimitBuckets } from "@/db/schema";

/**
 * A rate limit that holds across every server on one database, without a database round trip per request. The
 * budget of a key (`limit` per fixed window) lives in PostgreSQL (rate_limit_buckets); each server leases a slice
 * of it (`lease` requests) and counts requests down locally, going back to the database only when its slice is
 * spent — one statement per `lease` requests. Servers together never hand out more than `limit` in a window (what a
 * server leased and did not use is lost to that window, never multiplied). One key at its limit costs the others
 * nothing: each has its own row and its own local slice.
 */

export type Decision = { ok: true } | { ok: false; retryAfterSeconds: number };

type Local = { window: number; left: number; exhausted: boolean; leasing?: Promise<void> };

/** Old windows are deleted now and then, by the lease that happens to cross a multiple of this. */
const CLEANUP_EVERY = 200;

export class RateLimiter {
  private readonly local = new Map<string, Local>();
  private leases = 0;

  constructor(
    private readonly db: () => Promise<Db>,
    readonly options: { limit: number; windowMs: number; lease: number; now?: () => number },
  ) {}

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  /** Takes one request's worth of `key`'s budget. Synchronous while this server's slice lasts. */
  take(key: string): Decision | Promise<Decision> {
    const now = this.now();
    const window = Math.floor(now / this.options.windowMs);
    let entry = this.local.get(key);
    if (!entry || entry.window !== window) {
      entry = { window, left: 0, exhausted: false };
      this.local.set(key, entry);
      if (this.local.size > 10_000) this.forgetOldWindows(window);
    }
    if (entry.left > 0) {
      entry.left--;
      return { ok: true };
    }
    if (entry.exhausted) return this.refused(now, window);
    return this.leaseThenTake(key, entry);
  }

  private refused(now: number, window: number): Decision {
    const end = (window + 1) * this.options.windowMs;
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((end - now) / 1000)) };
  }

  private async leaseThenTake(key: string, entry: Local): Promise<Decision> {
    // Concurrent requests that find the slice spent wait for one lease together.
    entry.leasing ??= this.lease(key, entry.window)
      .then((granted) => {
        entry.left += granted;
        if (granted === 0) entry.exhausted = true;
      })
      .finally(() => (entry.leasing = undefined));
    await entry.leasing;
    if (this.local.get(key) !== entry) return this.take(key);
    if (entry.left > 0) {
      entry.left--;
      return { ok: true };
    }
    if (entry.exhausted) return this.refused(this.now(), entry.window);
    return this.leaseThenTake(key, entry);
  }

  /** Leases up to `lease` of the window's budget; answers how much was granted (0: the window's budget is spent). */
  private async lease(key: string, window: number): Promise<number> {
    const { limit, lease, windowMs } = this.options;
    const db = await this.db();
    const start = new Date(window * windowMs);
    // In an UPDATE's SET every expression reads the row as it was: last_grant is what this lease adds.
    const [row] = await queryRows<{ granted: number }>(
      db,
      sql`insert into ${rateLimitBuckets} as b (key, window_start, used, last_grant)
          values (${key}, ${start.toISOString()}::timestamptz, least(${lease}::int, ${limit}::int), least(${lease}::int, ${limit}::int))
          on conflict (key, window_start) do update set used = least(b.used + ${lease}::int, ${limit}::int), last_grant = least(${lease}::int, ${limit}::int - b.used)
          where b.used < ${limit}::int
          returning last_grant as granted`,
    );
    if (++this.leases % CLEANUP_EVERY === 0) {
      const before = new Date(start.getTime() - 60 * windowMs).toISOString();
      await queryRows(db, sql`delete from ${rateLimitBuckets} where window_start < ${before}::timestamptz`).catch(() => {});
    }
    return Number(row?.granted ?? 0);
  }

  private forgetOldWindows(current: number): void {
    for (const [key, entry] of this.local) if (entry.window !== current) this.local.delete(key);
  }
}

/**
 * A failure counter shared across servers (sign-in failures, failed token requests): one statement per check or
 * failure — these are rare requests, and counting them exactly matters more than the round trip.
 */
export class FailureCounter {
  constructor(
    private readonly db: () => Promise<Db>,
    readonly options: { max: number; windowMs: number; now?: () => number },
  ) {}

  private window(): { start: Date; end: number } {
    const now = this.options.now?.() ?? Date.now();
    const w = Math.floor(now / this.options.windowMs);
    return { start: new Date(w * this.options.windowMs), end: (w + 1) * this.options.windowMs };
  }

  /** Refused when any of `keys` has reached its maximum of failures in the current window. */
  async check(keys: { key: string; max?: number }[]): Promise<Decision> {
    const { start, end } = this.window();
    const db = await this.db();
    const rows = await queryRows<{ key: string; used: number }>(
      db,
      sql`select key, used from ${rateLimitBuckets} where window_start = ${start.toISOString()}::timestamptz
          and key = any(string_to_array(${keys.map((k) => k.key).join("\n")}, chr(10)))`,
    );
    const over = rows.some((r) => r.used >= (keys.find((k) => k.key === r.key)?.max ?? this.options.max));
    if (!over) return { ok: true };
    const now = this.options.now?.() ?? Date.now();
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((end - now) / 1000)) };
  }

  /** Counts one failure against each of `keys`. */
  async fail(keys: string[]): Promise<void> {
    const { start } = this.window();
    const db = await this.db();
    await queryRows(
      db,
      sql`insert into ${rateLimitBuckets} as b (key, window_start, used)
          select k, ${start.toISOString()}::timestamptz, 1 from unnest(string_to_array(${keys.join("\n")}, chr(10))) as k
          on conflict (key, window_start) do update set used = b.used + 1`,
    );
  }
}
