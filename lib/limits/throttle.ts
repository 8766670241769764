import { sql } from "drizzle-orm";
import { getDb, queryRows } from "@/db/client";
import { rateLimitBuckets } from "@/db/schema";
import { FailureCounter, type Decision } from "./rate-limit";

/**
 * Throttling of guesses, shared by every server on the database: password sign-in and the OAuth token endpoint.
 * Failures are counted per (who, client address) — the real person signing in from elsewhere is never locked out
 * by someone guessing their password — and per client address over everything it tries. Past a maximum, further
 * attempts from there get 429 with Retry-After until the window ends.
 *
 * The client address is the first X-Forwarded-For entry: Next.js sets it from the connection when the request has
 * none, and the reverse proxy in front of a production portal must set it (overwriting what clients send).
 */

export const THROTTLE_WINDOW_MS = 15 * 60_000;
/** Failures per (account or client, address) in a window. */
export const MAX_FAILURES_PER_SUBJECT = 5;
/** Failures per address, whatever it tries, in a window. */
export const MAX_FAILURES_PER_ADDRESS = 50;

const counter = new FailureCounter(getDb, { max: MAX_FAILURES_PER_SUBJECT, windowMs: THROTTLE_WINDOW_MS });

/** The caller's address (see above), or "unknown". */
export function clientAddress(headers: Headers): string {
  return (headers.get("x-forwarded-for") ?? "").split(",")[0]!.trim().slice(0, 64) || "unknown";
}

/** Keys are stored as text with newlines as separators: none may contain a control character. */
const clean = (s: string) =>
  s
    .replace(/[\u0000-\u001f]/g, "")
    .toLowerCase()
    .slice(0, 400);

function keys(kind: "signin" | "oauth", subject: string, address: string) {
  return {
    subject: `${kind}:${clean(subject)}|${clean(address)}`,
    address: `${kind}:address:${clean(address)}`,
  };
}

/** Whether another attempt of `subject` (an email, an OAuth client id) from `address` may be made now. */
export function checkAttempt(kind: "signin" | "oauth", subject: string, address: string): Promise<Decision> {
  const k = keys(kind, subject, address);
  return counter.check([{ key: k.subject }, { key: k.address, max: MAX_FAILURES_PER_ADDRESS }]);
}

/** Counts a failed attempt. */
export function recordFailure(kind: "signin" | "oauth", subject: string, address: string): Promise<void> {
  const k = keys(kind, subject, address);
  return counter.fail([k.subject, k.address]);
}

/** A successful attempt clears the subject's failures from that address (a mistyped password is forgotten). */
export async function recordSuccess(kind: "signin" | "oauth", subject: string, address: string): Promise<void> {
  await queryRows(await getDb(), sql`delete from ${rateLimitBuckets} where key = ${keys(kind, subject, address).subject}`);
}
