import "server-only";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { orgAdminContext, type AdminContext } from "./context";

/**
 * What every Org Admin server action answers. A refused form also gets back what was typed (`fields`, never a
 * secret), so the form shows it again.
 */
export type ActionResult<T = null> = { ok: true; value: T } | { ok: false; error: string; fields?: Record<string, string> };

const DENIED = "You need to be an Owner or Admin of this organization.";
const SECRET_FIELD = /secret|password|token/i;

/**
 * The one shape of an Org Admin server action (a public POST endpoint): the input validated with zod, the caller's
 * Owner/Admin role in the current organization checked, domain errors (AppError) answered as their sentence, anything
 * else logged with the action's name and answered with a generic sentence.
 */
export function adminAction<S extends z.ZodType, T>(name: string, schema: S, work: (input: z.infer<S>, ctx: AdminContext) => Promise<T>) {
  return async (raw: unknown): Promise<ActionResult<T>> => {
    const ctx = await orgAdminContext("/org-admin");
    if (ctx.kind !== "admin") return { ok: false, error: DENIED };
    const parsed = schema.safeParse(raw);
    if (!parsed.success) return { ok: false, error: parsed.error.issues[0]?.message ?? "Check the form." };
    try {
      return { ok: true, value: await work(parsed.data, ctx) };
    } catch (e) {
      if (e instanceof AppError) return { ok: false, error: e.message };
      logger().error({ action: name, orgId: ctx.org.id, err: e instanceof Error ? e.message : String(e) }, "Org Admin action failed");
      return { ok: false, error: "Something went wrong on our side. Please try again." };
    }
  };
}

/** adminAction for a form used with useActionState: (previous answer, FormData); a refusal echoes the fields. */
export function adminFormAction<S extends z.ZodType, T>(
  name: string,
  schema: S,
  work: (input: z.infer<S>, ctx: AdminContext) => Promise<T>,
) {
  const action = adminAction(name, schema, work);
  return async (_previous: ActionResult<T> | undefined, form: FormData): Promise<ActionResult<T>> => {
    const fields = Object.fromEntries(
      [...form.entries()].filter(([k, v]) => typeof v === "string" && !k.startsWith("$") && !SECRET_FIELD.test(k)),
    ) as Record<string, string>;
    const result = await action(Object.fromEntries(form.entries()));
    return result.ok ? result : { ...result, fields };
  };
}

/** A form's text field: trimmed to at most `max` characters (an absent field is ""). */
export const field = (max: number) =>
  z.preprocess((v) => (typeof v === "string" ? v : ""), z.string().max(max, `At most ${max} characters.`));
/** A form's checkbox: "on" when ticked, absent otherwise. */
export const checkbox = z.preprocess((v) => v === "on" || v === true, z.boolean());
