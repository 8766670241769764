import { SignOutButton } from "@/components/auth/sign-out-button";
import { BrandMark } from "@/components/brand";
import { orgAdminContext } from "@/lib/org-admin/context";
import { AccessDenied, NoOrganization } from "./access-denied";

/** An Org Admin page refused (HTTP 403): a Member, or a session that opens none of the account's organizations. */
export async function OrgAdminRefusal({ shell }: { shell: boolean }) {
  const ctx = await orgAdminContext("/org-admin");
  const body =
    ctx.kind === "no-org" ? (
      <NoOrganization closed={ctx.closed} />
    ) : ctx.kind === "member" ? (
      <AccessDenied orgName={ctx.org.name} role={ctx.role} />
    ) : null;
  if (!shell) return body;
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex h-14 max-w-7xl items-center gap-4 px-4 sm:px-6">
          <BrandMark className="h-7 w-7" />
          <span className="text-sm font-semibold text-slate-900">Org Admin</span>
          <span className="ml-auto hidden text-sm text-slate-500 sm:inline">{ctx.account.email}</span>
          <SignOutButton />
        </div>
      </header>
      <main className="px-4 py-12">{body}</main>
    </div>
  );
}
