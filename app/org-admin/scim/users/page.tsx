import type { Metadata } from "next";
import Link from "next/link";
import { ScimTabs } from "@/components/scim/scim-tabs";
import { Badge, PageHeader } from "@/components/ui/page-header";
import { getDb } from "@/db/client";
import { adminPage } from "@/lib/org-admin/guard";
import { scimUsersPage, USERS_PAGE_SIZE } from "@/lib/provisioning/queries";

export const metadata: Metadata = { title: "Provisioned users" };

const ROLE = { owner: "Owner", admin: "Admin", member: "Member" } as Record<string, string>;

export default async function ScimUsersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { ctx, denied } = await adminPage("/org-admin/scim/users");
  if (denied) return denied;
  const sp = await searchParams;
  const q = typeof sp.q === "string" ? sp.q.slice(0, 200) : "";
  const page = Math.max(1, Number.parseInt(typeof sp.page === "string" ? sp.page : "1", 10) || 1);
  const { rows, total } = await scimUsersPage(await getDb(), ctx.org.id, { q, page });
  const pages = Math.max(1, Math.ceil(total / USERS_PAGE_SIZE));
  const href = (p: number) => `/org-admin/scim/users?${new URLSearchParams({ ...(q ? { q } : {}), page: String(p) })}`;
  return (
    <>
      <PageHeader title="SCIM" description="The people your identity provider provisioned, with the access their groups give them." />
      <ScimTabs />
      <form role="search" action="/org-admin/scim/users" className="mb-4 flex max-w-md gap-2">
        <label htmlFor="scim-user-search" className="sr-only">
          Search provisioned users
        </label>
        <input id="scim-user-search" name="q" type="search" defaultValue={q} placeholder="Search by userName or name" className="min-w-0 flex-1 rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm" />
        <button type="submit" className="rounded-md bg-slate-900 px-3.5 py-2 text-sm font-medium text-white hover:bg-slate-700">
          Search
        </button>
      </form>
      <div className="relative overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
        {rows.length === 0 ? (
          <p className="px-6 py-12 text-center text-sm text-slate-600">{q ? `No provisioned user matches "${q}".` : "No one provisioned yet. Assign people to the app in your identity provider."}</p>
        ) : (
          <table className="min-w-full divide-y divide-slate-200 text-sm">
            <caption className="sr-only">Provisioned users</caption>
            <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
              <tr>
                <th scope="col" className="px-5 py-3">User</th>
                <th scope="col" className="px-5 py-3">Status</th>
                <th scope="col" className="px-5 py-3">Groups</th>
                <th scope="col" className="px-5 py-3">Organization role</th>
                <th scope="col" className="px-5 py-3">Stack roles</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((u) => (
                <tr key={u.id}>
                  <td className="px-5 py-3">
                    <Link href={`/org-admin/scim/users/${u.id}`} className="font-medium text-indigo-700 hover:underline">
                      {u.userName}
                    </Link>
                    {u.displayName && <span className="block text-xs text-slate-500">{u.displayName}</span>}
                  </td>
                  <td className="px-5 py-3">{u.active ? <Badge tone="green">Active</Badge> : <Badge tone="gray">Deactivated</Badge>}</td>
                  <td className="px-5 py-3 tabular-nums text-slate-700">{u.groups}</td>
                  <td className="px-5 py-3 text-slate-700">{u.role ? ROLE[u.role] : <span className="text-slate-400">None</span>}</td>
                  <td className="px-5 py-3 text-slate-700">{u.stackRoles?.length ? u.stackRoles.join(", ") : <span className="text-slate-400">None</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      <nav aria-label="Pagination" className="mt-4 flex items-center justify-between text-sm text-slate-600">
        <p>
          {total.toLocaleString("en-US")} provisioned {total === 1 ? "user" : "users"}
          {pages > 1 && ` · page ${page} of ${pages}`}
        </p>
        <div className="flex gap-2">
          {page > 1 && <Link href={href(page - 1)} className="rounded-md border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-50">Previous</Link>}
          {page < pages && <Link href={href(page + 1)} className="rounded-md border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-50">Next</Link>}
        </div>
      </nav>
    </>
  );
}
