import Link from "next/link";
import { ROLE_LABEL } from "@/components/ui/page-header";

/** What a Member sees on an Owner/Admin page: why, and where to go instead. */
export function AccessDenied({ orgName, role }: { orgName: string; role: keyof typeof ROLE_LABEL }) {
  return (
    <section aria-labelledby="denied-title" className="mx-auto max-w-lg rounded-xl border border-amber-200 bg-white p-8 text-center shadow-sm">
      <div className="mx-auto flex h-12 w-12 items-center justify-center rounded-full bg-amber-100 text-amber-700">
        <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.8" className="h-6 w-6" aria-hidden>
          <rect x="5" y="11" width="14" height="10" rx="2" />
          <path d="M8 11V7a4 4 0 018 0v4" />
        </svg>
      </div>
      <h1 id="denied-title" className="mt-4 text-lg font-semibold text-slate-900">
        You need to be an Owner or Admin
      </h1>
      <p className="mt-2 text-sm leading-6 text-slate-600">
        Org Admin for <strong className="font-medium text-slate-800">{orgName}</strong> is only available to the organization&apos;s
        Owner and Admins. You are a <strong className="font-medium text-slate-800">{ROLE_LABEL[role]}</strong>. Ask an Admin if you need
        access.
      </p>
      <Link href="/" className="mt-6 inline-flex rounded-md bg-slate-900 px-4 py-2 text-sm font-medium text-white hover:bg-slate-700">
        Back to your organizations
      </Link>
    </section>
  );
}

export function NoOrganization() {
  return (
    <section className="mx-auto max-w-lg rounded-xl border border-slate-200 bg-white p-8 text-center shadow-sm">
      <h1 className="text-lg font-semibold text-slate-900">You don&apos;t belong to an organization yet</h1>
      <p className="mt-2 text-sm text-slate-600">Ask an organization&apos;s Owner or Admin to add you, then sign in again.</p>
    </section>
  );
}
