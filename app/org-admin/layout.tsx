import Link from "next/link";
import { BrandMark } from "@/components/brand";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { OrgAdminNav } from "@/components/org-admin/nav";
import { OrgSwitcher } from "@/components/org-admin/org-switcher";
import { forbidden } from "next/navigation";
import { orgAdminContext } from "@/lib/org-admin/context";

/** The Org Admin shell. It does not guard the pages: each page checks the caller's role itself. */
export default async function OrgAdminLayout({ children }: { children: React.ReactNode }) {
  const ctx = await orgAdminContext("/org-admin");
  // Members and sessions that open no organization get 403 (app/forbidden.tsx); every page also checks itself.
  if (ctx.kind !== "admin") forbidden();
  return (
    <div className="min-h-screen">
      <header className="sticky top-0 z-20 border-b border-slate-200 bg-white/90 backdrop-blur">
        <div className="mx-auto flex h-14 max-w-7xl items-center gap-4 px-4 sm:px-6">
          <Link href="/" className="flex items-center gap-2.5">
            <BrandMark className="h-7 w-7" />
            <span className="text-sm font-semibold whitespace-nowrap text-slate-900">Org Admin</span>
          </Link>
          <div className="ml-auto flex items-center gap-3">
            {ctx.orgs.length > 1 && <OrgSwitcher orgs={ctx.orgs} currentId={ctx.org.id} />}
            {ctx.orgs.length === 1 && <span className="hidden text-sm font-medium text-slate-700 sm:inline">{ctx.org.name}</span>}
            <Link href="/my-access" className="hidden text-sm font-medium text-slate-600 hover:text-slate-900 md:inline">
              My access
            </Link>
            <span className="hidden h-5 w-px bg-slate-200 lg:block" aria-hidden />
            <span className="hidden text-sm text-slate-500 lg:inline" title="Signed in as">
              {ctx.account.email}
            </span>
            <SignOutButton />
          </div>
        </div>
      </header>
      <div className="mx-auto flex max-w-7xl flex-col gap-6 px-4 py-6 sm:px-6 md:flex-row md:gap-8 md:py-8">
        <aside className="md:w-52 md:shrink-0">
          <OrgAdminNav />
        </aside>
        <main className="min-w-0 flex-1">{children}</main>
      </div>
    </div>
  );
}
