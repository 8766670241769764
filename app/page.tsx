import Link from "next/link";
import { redirect } from "next/navigation";
import { BrandMark } from "@/components/brand";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { Badge, ROLE_LABEL } from "@/components/ui/page-header";
import { getDb } from "@/db/client";
import { switchOrganization } from "@/app/org-admin/actions";
import { currentAccount, signInUrl } from "@/lib/auth/session";
import { orgsOfAccount } from "@/lib/orgs/queries";

/** Home: the signed-in person's organizations, with the way into Org Admin where they are Owner or Admin. */
export default async function Home() {
  const account = await currentAccount();
  if (!account) redirect(signInUrl("/"));
  const orgs = await orgsOfAccount(await getDb(), account.id);
  return (
    <main className="mx-auto max-w-2xl px-4 py-12">
      <div className="mb-8 flex items-center justify-between">
        <div className="flex items-center gap-3">
          <BrandMark className="h-9 w-9" />
          <div>
            <h1 className="text-lg font-semibold text-slate-900">Your organizations</h1>
            <p className="text-sm text-slate-500">Signed in as {account.email}</p>
          </div>
        </div>
        <SignOutButton />
      </div>
      {orgs.length === 0 ? (
        <p className="rounded-xl border border-dashed border-slate-300 bg-white px-6 py-10 text-center text-sm text-slate-600">
          You don&apos;t belong to an organization yet. Ask an organization&apos;s Owner or Admin to add you.
        </p>
      ) : (
        <ul className="divide-y divide-slate-100 overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm">
          {orgs.map((o) => (
            <li key={o.id} className="flex items-center justify-between gap-4 px-5 py-4">
              <div className="min-w-0">
                <p className="truncate font-medium text-slate-900">{o.name}</p>
                <p className="font-mono text-xs text-slate-500">{o.id}</p>
              </div>
              <div className="flex shrink-0 items-center gap-3">
                <Badge tone={o.role}>{ROLE_LABEL[o.role]}</Badge>
                {o.role === "member" ? (
                  <span className="text-xs text-slate-500">Org Admin is for Owners and Admins</span>
                ) : (
                  <form action={switchOrganization}>
                    <input type="hidden" name="orgId" value={o.id} />
                    <input type="hidden" name="returnTo" value="/org-admin/info" />
                    <button type="submit" aria-label={`Open Org Admin for ${o.name}`} className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-500">
                      Org Admin
                    </button>
                  </form>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
      <p className="mt-6 text-center text-xs text-slate-400">
        <Link href="/api/health" className="hover:underline">
          Service status
        </Link>
      </p>
    </main>
  );
}
