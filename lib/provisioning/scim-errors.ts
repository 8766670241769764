import { BodyTooLarge } from "@/lib/http/body";
import { logger } from "@/lib/logger";
import { pgCode, refusedValue, uniqueViolation } from "@/lib/errors";
import { invalidValue, ScimError, uniqueness } from "@/lib/scim/errors";
import { quote } from "@/lib/scim/quote";

/**
 * Every database and domain error a SCIM request can meet, as the SCIM error its caller gets — in one place.
 * Use cases call `asScimError(e, subject)` where a violation needs the resource to explain itself; the endpoint
 * (handler.ts) calls `toScimError` on whatever reaches it.
 */

/** What a unique violation of each constraint means, said with the resource the request was writing. */
const UNIQUE: Record<string, (subject: UniqueSubject) => string> = {
  scim_users_org_username_uq: (s) =>
    `A User with userName "${quote(String(s.userName))}" already exists in this organization (userName is unique, ignoring case).`,
  scim_users_org_account_uq: (s) =>
    `Another User in this organization already belongs to the person with email "${quote(String(s.email ?? s.userName))}".`,
  scim_groups_org_display_name_uq: (s) =>
    `A Group named "${quote(String(s.displayName))}" already exists in this organization (displayName is unique, ignoring case).`,
};

/** The resource a write was making: what a uniqueness error quotes. */
export type UniqueSubject = { userName?: unknown; email?: unknown; displayName?: unknown };

/** The SCIM error a database error stands for, when it is one the caller caused; otherwise the error itself. */
export function asScimError(e: unknown, subject: UniqueSubject = {}): unknown {
  if (e instanceof ScimError) return e;
  if (e instanceof BodyTooLarge) return new ScimError(413, e.message);
  const violation = uniqueViolation(e);
  const explain = violation?.constraint ? UNIQUE[violation.constraint] : undefined;
  if (explain) return uniqueness(explain(subject));
  const refused = refusedValue(e);
  if (refused) return invalidValue(refused);
  return e;
}

/** `.catch(rethrowAsScim(subject))`: a statement's failure, as its SCIM error. */
export const rethrowAsScim =
  (subject: UniqueSubject) =>
  (e: unknown): never => {
    throw asScimError(e, subject);
  };

/** A foreign key that names a row deleted meanwhile (23503): the SCIM error to answer instead. */
export function whenGone(e: unknown, gone: () => ScimError): unknown {
  return pgCode(e) === "23503" ? gone() : e;
}

/** The SCIM error for anything that reaches the endpoint; an unexpected error is logged and answered with a 500 that leaks nothing. */
export function toScimError(e: unknown, where: { requestId: string; orgId: string; method: string; path: string }): ScimError {
  const mapped = asScimError(e);
  if (mapped instanceof ScimError) return mapped;
  logger().error({ ...where, err: e instanceof Error ? { message: e.message, stack: e.stack } : String(e) }, "SCIM request failed");
  return new ScimError(
    500,
    `The request could not be completed because of an error on our side (request id ${where.requestId}). Please retry; if it keeps failing, contact support with the request id.`,
  );
}
