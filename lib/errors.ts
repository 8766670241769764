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
