import "server-only";
import { cookies } from "next/headers";
import { cache } from "react";
import { getDb } from "@/db/client";
import type { Organization, OrgRole } from "@/db/schema";
import { redirect } from "next/navigation";
import { currentAccount, sessionOrgs, signInUrl, type ClosedOrg, type SessionAccount } from "@/lib/auth/session";
import { getOrganization, type OrgOfAccount } from "@/lib/orgs/queries";

/** The cookie that remembers which organization the admin is working on (chosen with the org switcher). */
export const CURRENT_ORG_COOKIE = "portal-org";

/** `orgs`: the organizations this session may open; `closed`: the account's others, which need another sign-in. */
type Common = { account: SessionAccount; orgs: OrgOfAccount[]; closed: ClosedOrg[] };
export type OrgAdminContext =
  | (Common & { kind: "admin"; org: Organization; role: OrgRole })
  | (Common & { kind: "member"; org: Organization; role: OrgRole })
  | (Common & { kind: "no-org" });

/** The context of an Owner or Admin of the organization they are working on. */
export type AdminContext = Extract<OrgAdminContext, { kind: "admin" }>;

export function isAdminRole(role: OrgRole): boolean {
  return role === "owner" || role === "admin";
}

/**
 * Who is asking and for which organization, read from the database on every request. Every Org Admin page and
 * action calls this and checks `kind` itself; the layout's check alone would not protect a page.
 */
const loadContext = cache(async (): Promise<OrgAdminContext | null> => {
  const account = await currentAccount();
  if (!account) return null;
  const db = await getDb();
  const { open: orgs, closed } = await sessionOrgs(account);
  if (orgs.length === 0) return { kind: "no-org", account, orgs, closed };
  const wanted = (await cookies()).get(CURRENT_ORG_COOKIE)?.value;
  const chosen = orgs.find((o) => o.id === wanted) ?? orgs[0]!;
  const org = await getOrganization(db, chosen.id);
  if (!org) return { kind: "no-org", account, orgs, closed };
  return { kind: isAdminRole(chosen.role) ? "admin" : "member", account, org, role: chosen.role, orgs, closed };
});

/** The context of this request, or a redirect to sign-in that comes back to `callbackPath`. */
export async function orgAdminContext(callbackPath: string): Promise<OrgAdminContext> {
  const context = await loadContext();
  if (!context) redirect(signInUrl(callbackPath));
  return context;
}
