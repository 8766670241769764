import "server-only";
import { forbidden } from "next/navigation";
import { orgAdminContext, type AdminContext } from "@/lib/org-admin/context";

/**
 * For Owner/Admin pages: the admin context, a redirect to sign-in, or a 403 — app/org-admin/forbidden.tsx says
 * why ("You need to be an Owner or Admin", or no organization this session may open).
 */
export async function adminPage(path: string): Promise<AdminContext> {
  const ctx = await orgAdminContext(path);
  if (ctx.kind !== "admin") forbidden();
  return ctx;
}
