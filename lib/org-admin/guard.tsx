import "server-only";
import { AccessDenied, NoOrganization } from "@/components/org-admin/access-denied";
import { orgAdminContext, type OrgAdminContext } from "./context";

export type AdminContext = Extract<OrgAdminContext, { kind: "admin" }>;

/**
 * For Owner/Admin pages: the admin context, or the page to render instead (sign-in redirect, "you need to be an
 * Owner or Admin", or "no organization").
 */
export async function adminPage(path: string): Promise<{ ctx: AdminContext; denied?: never } | { ctx?: never; denied: React.ReactElement }> {
  const ctx = await orgAdminContext(path);
  if (ctx.kind === "no-org") return { denied: <NoOrganization /> };
  if (ctx.kind === "member") return { denied: <AccessDenied orgName={ctx.org.name} role={ctx.role} /> };
  return { ctx };
}
