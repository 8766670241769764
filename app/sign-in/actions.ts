"use server";

import { getDb } from "@/db/client";
import { normalizeEmail } from "@/lib/orgs/accounts";
import { ssoOrgsForEmail } from "@/lib/sso/connections";
import { AppError } from "@/lib/errors";

export type SsoLookup = { ok: true; orgs: { id: string; name: string }[] } | { ok: false; error: string };

/** Continue with SSO: the organizations with single sign-on that this work email belongs to. */
export async function findSsoOrgsAction(rawEmail: string): Promise<SsoLookup> {
  try {
    const email = normalizeEmail(String(rawEmail).slice(0, 320));
    return { ok: true, orgs: await ssoOrgsForEmail(await getDb(), email) };
  } catch (e) {
    if (e instanceof AppError) return { ok: false, error: "Enter your work email address." };
    throw e;
  }
}
