// Abuse limits shared by every server on one database: rate-limit budgets and failure counts, per key and window.
import { index, integer, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/**
 * One row per limited key (an org's SCIM traffic, an account's sign-in failures from one address, an OAuth client's
 * failed token requests, …) per fixed window. `used`: what has been handed out (leased to servers, or counted) in
 * the window; `lastGrant`: what the last lease got (see lib/limits/rate-limit.ts).
 */
export const rateLimitBuckets = pgTable(
  "rate_limit_buckets",
  {
    key: text("key").notNull(),
    windowStart: timestamp("window_start", { withTimezone: true, mode: "date" }).notNull(),
    used: integer("used").notNull(),
    lastGrant: integer("last_grant").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.key, t.windowStart] }), index("rate_limit_buckets_window_idx").on(t.windowStart)],
);
