"use server";

import { cookies } from "next/headers";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db/client";
import { webActor } from "@/lib/audit/actor";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { adminAction, adminFormAction, checkbox, field } from "@/lib/org-admin/action";
import { configureSso, disableSso, getSsoConnection, setRequireSso } from "@/lib/sso/connections";
import { ssoTestCookie } from "@/lib/sso/next-auth";

const PATH = "/org-admin/sso";

const connectionForm = z.object({ issuer: field(2000), clientId: field(500), clientSecret: field(4000), emailAuthoritative: checkbox });

/** Saves the org's connection (the issuer checked with its discovery document); a refusal keeps what was typed but the secret. */
export const saveSsoAction = adminFormAction("sso_configured", connectionForm, async (input, ctx) => {
  const saved = await configureSso(await getDb(), await webActor(ctx.account), {
    orgId: ctx.org.id,
    ...input,
    clientSecret: input.clientSecret || undefined,
    by: ctx.account.id,
  });
  logger().info({ event: "sso_configured", orgId: ctx.org.id, issuer: saved.issuer, by: ctx.account.id }, "SSO connection saved");
  revalidatePath(PATH);
  return "Saved. Run a Test sign-in to check the connection.";
});

export const setRequireSsoAction = adminAction("require_sso", z.boolean(), async (requireSso, ctx) => {
  await setRequireSso(await getDb(), await webActor(ctx.account), ctx.org.id, requireSso, ctx.account.id);
  logger().info({ event: requireSso ? "sso_required" : "sso_not_required", orgId: ctx.org.id, by: ctx.account.id }, "Require SSO changed");
  revalidatePath(PATH);
  return null;
});

export const disableSsoAction = adminAction("sso_disabled", z.null(), async (_, ctx) => {
  if (!(await disableSso(await getDb(), await webActor(ctx.account), ctx.org.id)))
    throw new AppError("not_found", "Single sign-on is not set up.");
  logger().info({ event: "sso_disabled", orgId: ctx.org.id, by: ctx.account.id }, "SSO disabled");
  revalidatePath(PATH);
  return null;
});

/** Marks this browser's next round trip with the org's IdP as the admin's Test sign-in (no session is made by it); answers the org id. */
export const beginSsoTestAction = adminAction("sso_test", z.null(), async (_, ctx) => {
  if (!(await getSsoConnection(await getDb(), ctx.org.id))) throw new AppError("invalid_input", "Save the connection first.");
  const c = ssoTestCookie(ctx.org.id, ctx.account.id);
  (await cookies()).set(c.name, c.value, c.options);
  return ctx.org.id;
});
