"use server";

import { cookies } from "next/headers";
import { getDb } from "@/db/client";
import { requestOrigin } from "@/lib/audit/actor";
import { currentAccount } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { acceptInvitation, type Acceptance } from "@/lib/members/invitations";
import { CURRENT_ORG_COOKIE } from "@/lib/org-admin/context";

export type AcceptResult = { ok: true; value: Acceptance & { home: string } } | { ok: false; error: string };

async function accept(token: string, as: Parameters<typeof acceptInvitation>[2]): Promise<AcceptResult> {
  try {
    const accepted = await acceptInvitation(await getDb(), String(token).slice(0, 200), as, await requestOrigin());
    // The org they joined is the one Org Admin opens next.
    (await cookies()).set(CURRENT_ORG_COOKIE, accepted.orgId, { path: "/", httpOnly: true, sameSite: "lax" });
    return { ok: true, value: { ...accepted, home: accepted.role === "member" ? "/my-access" : "/org-admin" } };
  } catch (e) {
    if (e instanceof AppError) return { ok: false, error: e.message };
    logger().error({ action: "invitation_accepted", err: e instanceof Error ? e.message : String(e) }, "invitation acceptance failed");
    return { ok: false, error: "Something went wrong on our side. Please try again." };
  }
}

/** A new person: name and password (no password when the org signs in with SSO only). */
export async function acceptAsNewPersonAction(token: string, input: { name: string; password?: string }): Promise<AcceptResult> {
  return accept(token, {
    name: String(input.name ?? "").slice(0, 400),
    password: input.password ? String(input.password).slice(0, 1000) : undefined,
  });
}

/** The signed-in account joins (its email must be the invited one). */
export async function acceptAsSignedInAction(token: string): Promise<AcceptResult> {
  const account = await currentAccount();
  if (!account) return { ok: false, error: "Sign in first, then open the link again." };
  return accept(token, { account });
}
