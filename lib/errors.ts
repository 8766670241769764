/**
 * Errors a use case raises on purpose. Each dialect (SCIM JSON, OAuth JSON, a sentence in the UI, a CLI message)
 * maps them in one place; anything else is an unexpected error: logged, answered with a generic message.
 */
export type AppErrorCode = "invalid_input" | "not_found" | "conflict" | "forbidden" | "unauthenticated";

export class AppError extends Error {
  override name = "AppError";
  constructor(
    readonly code: AppErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Postgres unique violation (23505); drizzle-orm ≥ 0.44 puts the driver error on `cause`. */
export function uniqueViolation(err: unknown): { constraint?: string } | null {
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (code === "23505") {
      const c = e as { constraint_name?: string; constraint?: string };
      return { constraint: c.constraint_name ?? c.constraint };
    }
  }
  return null;
}

/** The SQLSTATE of a database error (postgres.js or PGlite, possibly wrapped by drizzle). */
export function pgCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

/**
 * When the database refused a value the caller sent (not our bug), what to tell them: text with a NUL character,
 * text the encoding cannot hold, a value too large for an index.
 */
export function refusedValue(err: unknown): string | undefined {
  switch (pgCode(err)) {
    case "22021":
    case "22P05":
      return "Text values cannot contain the NUL character (\\u0000) or bytes that are not valid UTF-8.";
    case "54000":
      return "A value is too long to be stored and searched (keep names, ids and emails under 2,000 characters).";
    default:
      return undefined;
  }
}
