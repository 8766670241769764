import { getDb } from "@/db/client";
import { getEnv } from "@/lib/env";
import { ScimError } from "@/lib/scim/errors";
import { RateLimiter } from "./rate-limit";

/** A SCIM request over its organization's rate limit: 429 with Retry-After (Okta waits that long, then retries). */
export class ScimRateLimited extends ScimError {
  constructor(
    readonly limit: number,
    readonly retryAfterSeconds: number,
  ) {
    super(
      429,
      `This organization has made more than ${limit} SCIM requests in the last minute (the portal's limit per organization). Retry after ${retryAfterSeconds} seconds.`,
    );
  }
}

const globalForLimit = globalThis as unknown as { __scimRateLimiter?: RateLimiter | null };

/** The process's SCIM rate limiter (SCIM_RATE_LIMIT_PER_MINUTE per org; each server leases a twentieth at a time). */
function limiter(): RateLimiter | null {
  if (globalForLimit.__scimRateLimiter === undefined) {
    const limit = getEnv().scimRateLimitPerMinute;
    globalForLimit.__scimRateLimiter =
      limit > 0 ? new RateLimiter(getDb, { limit, windowMs: 60_000, lease: Math.max(1, Math.min(500, Math.ceil(limit / 20))) }) : null;
  }
  return globalForLimit.__scimRateLimiter;
}

/** Counts one authenticated SCIM request of `orgId`; throws ScimRateLimited over the limit. */
export async function takeScimRequest(orgId: string): Promise<void> {
  const l = limiter();
  if (!l) return;
  const taken = l.take(`scim:${orgId}`);
  const decision = taken instanceof Promise ? await taken : taken;
  if (!decision.ok) throw new ScimRateLimited(l.options.limit, decision.retryAfterSeconds);
}
