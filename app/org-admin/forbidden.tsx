import { AccessDenied, NoOrganization } from "@/components/org-admin/access-denied";
import { orgAdminContext } from "@/lib/org-admin/context";

/** An Org Admin page refused (HTTP 403): a Member, or a session that opens none of the account's organizations. */
export default async function OrgAdminForbidden() {
  const ctx = await orgAdminContext("/org-admin");
  if (ctx.kind === "no-org") return <NoOrganization closed={ctx.closed} />;
  return <AccessDenied orgName={ctx.org.name} role={ctx.role} />;
}
