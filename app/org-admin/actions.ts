"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { currentAccount, sessionOrgs } from "@/lib/auth/session";
import { CURRENT_ORG_COOKIE } from "@/lib/org-admin/context";

/** The org switcher: remembers the chosen organization (only one the caller belongs to) and reloads the page. */
export async function switchOrganization(formData: FormData): Promise<void> {
  const account = await currentAccount();
  if (!account) redirect("/sign-in");
  const orgId = String(formData.get("orgId") ?? "");
  const returnTo = String(formData.get("returnTo") ?? "/org-admin/info");
  const orgs = (await sessionOrgs(account)).open;
  if (orgs.some((o) => o.id === orgId)) {
    (await cookies()).set(CURRENT_ORG_COOKIE, orgId, { httpOnly: true, sameSite: "lax", path: "/", maxAge: 60 * 60 * 24 * 365 });
  }
  redirect(/^\/org-admin(\/[a-z-]*)*$/.test(returnTo) ? returnTo : "/org-admin/info");
}
