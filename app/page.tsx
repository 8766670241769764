import { redirect } from "next/navigation";
import { requireAccount, sessionOrgs } from "@/lib/auth/session";
import { isAdminRole } from "@/lib/org-admin/context";

/** Home: Owners and Admins land on Org Admin, everyone else on My access. */
export default async function Home() {
  const account = await requireAccount("/");
  const { open } = await sessionOrgs(account);
  redirect(open.some((o) => isAdminRole(o.role)) ? "/org-admin/info" : "/my-access");
}
