"use server";

import { cookies } from "next/headers";
import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { orgAdminContext } from "@/lib/org-admin/context";
import { configureSso, disableSso, getSsoConnection } from "@/lib/sso/connections";
import { ssoTestCookie } from "@/lib/sso/next-auth";

export type SsoActionResult = { ok: true; message?: string } | { ok: false; error: string };
/** The form's answer keeps what was typed (never the secret), so a refused save loses nothing but the secret. */
export type SsoFormState = SsoActionResult & { values?: { issuer: string; clientId: string; emailAuthoritative: boolean } };

const PATH = "/org-admin/sso";
const denied = { ok: false as const, error: "You need to be an Owner or Admin of this organization." };

/** Each action is a public endpoint: it checks the caller's role in the current organization itself. */
async function admin() {
  const ctx = await orgAdminContext(PATH);
  return ctx.kind === "admin" ? ctx : null;
}

function failed(e: unknown): SsoActionResult {
  if (e instanceof AppError) return { ok: false, error: e.message };
  throw e;
}

export async function saveSsoAction(_prev: SsoFormState | undefined, form: FormData): Promise<SsoFormState> {
  const ctx = await admin();
  if (!ctx) return denied;
  const values = { issuer: String(form.get("issuer") ?? "").slice(0, 2000), clientId: String(form.get("clientId") ?? "").slice(0, 500), emailAuthoritative: form.get("emailAuthoritative") === "on" };
  try {
    const saved = await configureSso(await getDb(), { orgId: ctx.org.id, ...values, clientSecret: String(form.get("clientSecret") ?? "") || undefined, by: ctx.account.id });
    logger().info({ event: "sso_configured", orgId: ctx.org.id, issuer: saved.issuer, by: ctx.account.id }, "SSO connection saved");
    revalidatePath(PATH);
    return { ok: true, message: "Saved. Run a Test sign-in to check the connection." };
  } catch (e) {
    return { ...failed(e), values };
  }
}

export async function setRequireSsoAction(requireSso: boolean): Promise<SsoActionResult> {
  const ctx = await admin();
  if (!ctx) return denied;
  const db = await getDb();
  const current = await getSsoConnection(db, ctx.org.id);
  if (!current) return { ok: false, error: "Set up the connection first." };
  if (requireSso && current.status !== "working") return { ok: false, error: "Run a successful Test sign-in before requiring SSO, so nobody is locked out." };
  try {
    await configureSso(db, { orgId: ctx.org.id, issuer: current.issuer, clientId: current.clientId, requireSso, by: ctx.account.id, skipDiscovery: true });
  } catch (e) {
    return failed(e);
  }
  logger().info({ event: requireSso ? "sso_required" : "sso_not_required", orgId: ctx.org.id, by: ctx.account.id }, "Require SSO changed");
  revalidatePath(PATH);
  return { ok: true };
}

export async function disableSsoAction(): Promise<SsoActionResult> {
  const ctx = await admin();
  if (!ctx) return denied;
  if (!(await disableSso(await getDb(), ctx.org.id))) return { ok: false, error: "Single sign-on is not set up." };
  logger().info({ event: "sso_disabled", orgId: ctx.org.id, by: ctx.account.id }, "SSO disabled");
  revalidatePath(PATH);
  return { ok: true };
}

/** Marks this browser's next round trip with the org's IdP as the admin's Test sign-in (no session is made by it). */
export async function beginSsoTestAction(): Promise<SsoActionResult & { orgId?: string }> {
  const ctx = await admin();
  if (!ctx) return denied;
  if (!(await getSsoConnection(await getDb(), ctx.org.id))) return { ok: false, error: "Save the connection first." };
  const c = ssoTestCookie(ctx.org.id, ctx.account.id);
  (await cookies()).set(c.name, c.value, c.options);
  return { ok: true, orgId: ctx.org.id };
}
