"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db/client";
import { createScimToken, revokeScimToken } from "@/lib/credentials/scim-tokens";
import { webActor } from "@/lib/audit/actor";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { revokeApp } from "@/lib/oauth/grants";
import { adminAction, adminFormAction, field } from "@/lib/org-admin/action";
import { setScimEnabled } from "@/lib/orgs/set-scim-enabled";

const PATH = "/org-admin/scim";

export const setScimEnabledAction = adminAction("scim_enabled", z.boolean(), async (enabled, ctx) => {
  await setScimEnabled(await getDb(), ctx.org.id, enabled, await webActor(ctx.account));
  logger().info({ event: enabled ? "scim_enabled" : "scim_disabled", orgId: ctx.org.id, by: ctx.account.id }, "SCIM switched");
  revalidatePath(PATH);
  return null;
});

const tokenForm = z.object({
  name: field(2000),
  expiresInDays: z.preprocess(
    (v) => (typeof v === "string" ? v : ""),
    z.string().regex(/^(|30|90|180|365)$/, "Choose an expiry from the list."),
  ),
});

export const createTokenAction = adminFormAction("scim_token_created", tokenForm, async ({ name, expiresInDays }, ctx) => {
  const created = await createScimToken(await getDb(), await webActor(ctx.account), {
    orgId: ctx.org.id,
    name,
    createdBy: ctx.account.id,
    expiresAt: expiresInDays ? new Date(Date.now() + Number(expiresInDays) * 86_400_000) : null,
  });
  logger().info({ event: "scim_token_created", orgId: ctx.org.id, tokenId: created.id, by: ctx.account.id }, "SCIM token created");
  revalidatePath(PATH);
  return { token: created.token, name: created.name };
});

export const revokeTokenAction = adminAction("scim_token_revoked", z.string().max(100), async (tokenId, ctx) => {
  if (!(await revokeScimToken(await getDb(), await webActor(ctx.account), ctx.org.id, tokenId)))
    throw new AppError("not_found", "That token does not exist or is already revoked.");
  logger().info({ event: "scim_token_revoked", orgId: ctx.org.id, tokenId, by: ctx.account.id }, "SCIM token revoked");
  revalidatePath(PATH);
  return null;
});

export const revokeGrantAction = adminAction("oauth_grant_revoked", z.string().max(100), async (grantId, ctx) => {
  if (!(await revokeApp(await getDb(), await webActor(ctx.account), ctx.org.id, grantId)))
    throw new AppError("not_found", "That app is not connected any more.");
  logger().info({ event: "oauth_grant_revoked", orgId: ctx.org.id, grantId, by: ctx.account.id }, "connected app revoked");
  revalidatePath(PATH);
  return null;
});
