"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { revokeGrant } from "@/lib/oauth/grants";
import { orgAdminContext } from "@/lib/org-admin/context";
import { setScimEnabled } from "@/lib/orgs/set-scim-enabled";
import { createScimToken, revokeScimToken } from "@/lib/credentials/scim-tokens";

export type ActionResult = { ok: true } | { ok: false; error: string };
export type CreateTokenResult = { ok: true; token: string; name: string } | { ok: false; error: string } | undefined;

const PATH = "/org-admin/scim";
const denied = { ok: false as const, error: "You need to be an Owner or Admin of this organization." };

/** Each action is a public endpoint: it checks the caller's role in the current organization itself. */
async function admin() {
  const ctx = await orgAdminContext(PATH);
  return ctx.kind === "admin" ? ctx : null;
}

export async function setScimEnabledAction(enabled: boolean): Promise<ActionResult> {
  const ctx = await admin();
  if (!ctx) return denied;
  await setScimEnabled(await getDb(), ctx.org.id, enabled, ctx.account.id);
  logger().info({ event: enabled ? "scim_enabled" : "scim_disabled", orgId: ctx.org.id, by: ctx.account.id }, "SCIM switched");
  revalidatePath(PATH);
  return { ok: true };
}

export async function createTokenAction(_prev: CreateTokenResult, form: FormData): Promise<CreateTokenResult> {
  const ctx = await admin();
  if (!ctx) return denied;
  const days = String(form.get("expiresInDays") ?? "");
  if (days && !/^(30|90|180|365)$/.test(days)) return { ok: false, error: "Choose an expiry from the list." };
  try {
    const created = await createScimToken(await getDb(), {
      orgId: ctx.org.id,
      name: String(form.get("name") ?? ""),
      createdBy: ctx.account.id,
      expiresAt: days ? new Date(Date.now() + Number(days) * 86_400_000) : null,
    });
    logger().info({ event: "scim_token_created", orgId: ctx.org.id, tokenId: created.id, by: ctx.account.id }, "SCIM token created");
    revalidatePath(PATH);
    return { ok: true, token: created.token, name: created.name };
  } catch (e) {
    if (e instanceof AppError) return { ok: false, error: e.message };
    throw e;
  }
}

export async function revokeTokenAction(tokenId: string): Promise<ActionResult> {
  const ctx = await admin();
  if (!ctx) return denied;
  const done = await revokeScimToken(await getDb(), ctx.org.id, tokenId);
  if (!done) return { ok: false, error: "That token does not exist or is already revoked." };
  logger().info({ event: "scim_token_revoked", orgId: ctx.org.id, tokenId, by: ctx.account.id }, "SCIM token revoked");
  revalidatePath(PATH);
  return { ok: true };
}

export async function revokeGrantAction(grantId: string): Promise<ActionResult> {
  const ctx = await admin();
  if (!ctx) return denied;
  if (!(await revokeGrant(await getDb(), grantId, new Date(), ctx.org.id))) return { ok: false, error: "That app is not connected any more." };
  logger().info({ event: "oauth_grant_revoked", orgId: ctx.org.id, grantId, by: ctx.account.id }, "connected app revoked");
  revalidatePath(PATH);
  return { ok: true };
}
