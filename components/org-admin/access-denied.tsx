import Link from "next/link";
import { ROLE_LABEL } from "@/components/ui/page-header";
import type { ClosedOrg } from "@/lib/auth/session";

/** The padlock of refusal pages. */
export function Lock() {
  return (
    <div className="mx-auto flex h-12 w-12 items-center justify-center rounded-full bg-amber-100 text-amber-700">
      <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.8" className="h-6 w-6" aria-hidden>
        <rect x="5" y="11" width="14" height="10" rx="2" />
        <path d="M8 11V7a4 4 0 018 0v4" />
      </svg>
    </div>
  );
}

/** What a Member sees on an Owner/Admin page (HTTP 403): why, and where to go instead. */
export function AccessDenied({ orgName, role }: { orgName: string; role: keyof typeof ROLE_LABEL }) {
  return (
    <section
      aria-labelledby="denied-title"
      className="mx-auto max-w-lg rounded-xl border border-amber-200 bg-white p-8 text-center shadow-sm"
    >
      <Lock />
      <h1 id="denied-title" className="mt-4 text-lg font-semibold text-slate-900">
        You need to be an Owner or Admin
      </h1>
      <p className="mt-2 text-sm leading-6 text-slate-600">
        Org Admin for <strong className="font-medium text-slate-800">{orgName}</strong> is only available to the organization&apos;s Owner
        and Admins. You are a <strong className="font-medium text-slate-800">{ROLE_LABEL[role]}</strong>. Ask an Admin if you need access.
      </p>
      <Link
        href="/my-access"
        className="mt-6 inline-flex rounded-md bg-slate-900 px-4 py-2 text-sm font-medium text-white hover:bg-slate-700"
      >
        See your access
      </Link>
    </section>
  );
}

/** The account's organizations that this session does not open, each with the sign-in it needs. */
export function OtherOrgs({ closed }: { closed: ClosedOrg[] }) {
  if (closed.length === 0) return null;
  return (
    <ul
      className="divide-y divide-slate-100 overflow-hidden rounded-xl border border-slate-200 bg-white text-left shadow-sm"
      aria-label="Organizations that need another sign-in"
    >
      {closed.map((o) => (
        <li key={o.id} className="flex flex-wrap items-center justify-between gap-3 px-5 py-3">
          <div className="min-w-0">
            <p className="truncate text-sm font-medium text-slate-900">{o.name}</p>
            <p className="text-xs text-slate-500">
              {o.needs === "sso" ? "Signs in through its own identity provider" : "Signs in with your password"}
            </p>
          </div>
          <Link
            href={o.needs === "sso" ? `/sign-in/sso/${o.id}` : "/sign-in?reauth=1"}
            aria-label={`Sign in to ${o.name}`}
            className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-50"
          >
            {o.needs === "sso" ? "Sign in with SSO" : "Sign in with password"}
          </Link>
        </li>
      ))}
    </ul>
  );
}

export function NoOrganization({ closed = [] }: { closed?: ClosedOrg[] }) {
  return (
    <section className="mx-auto max-w-lg space-y-5 rounded-xl border border-slate-200 bg-white p-8 text-center shadow-sm">
      <Lock />
      {closed.length ? (
        <>
          <h1 className="text-lg font-semibold text-slate-900">This sign-in does not open your organizations</h1>
          <p className="text-sm text-slate-600">Each of them asks for its own sign-in:</p>
          <OtherOrgs closed={closed} />
        </>
      ) : (
        <>
          <h1 className="text-lg font-semibold text-slate-900">You don&apos;t belong to an organization yet</h1>
          <p className="text-sm text-slate-600">Ask an organization&apos;s Owner or Admin to add you, then sign in again.</p>
        </>
      )}
    </section>
  );
}
