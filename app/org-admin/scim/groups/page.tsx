import type { Metadata } from "next";
import Link from "next/link";
import { ScimTabs } from "@/components/scim/scim-tabs";
import { PageHeader } from "@/components/ui/page-header";
import { getDb } from "@/db/client";
import { adminPage } from "@/lib/org-admin/guard";
import { GROUPS_PAGE_SIZE, groupsPage } from "@/lib/provisioning/queries";

export const metadata: Metadata = { title: "SCIM groups" };

export default async function GroupsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { ctx, denied } = await adminPage("/org-admin/scim/groups");
  if (denied) return denied;
  const sp = await searchParams;
  const q = typeof sp.q === "string" ? sp.q.slice(0, 200) : "";
  const page = Math.max(1, Number.parseInt(typeof sp.page === "string" ? sp.page : "1", 10) || 1);
  const { rows, total } = await groupsPage(await getDb(), ctx.org.id, { q, page });
  const pages = Math.max(1, Math.ceil(total / GROUPS_PAGE_SIZE));
  const href = (p: number) => `/org-admin/scim/groups?${new URLSearchParams({ ...(q ? { q } : {}), page: String(p) })}`;
  return (
    <>
      <PageHeader title="SCIM" description="The groups your identity provider pushed, with their members and what they grant." />
      <ScimTabs />
      <form role="search" action="/org-admin/scim/groups" className="mb-4 flex max-w-md gap-2">
        <label htmlFor="group-search" className="sr-only">
          Search groups
        </label>
        <input id="group-search" name="q" type="search" defaultValue={q} placeholder="Search groups by name" className="min-w-0 flex-1 rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm" />
        <button type="submit" className="rounded-md bg-slate-900 px-3.5 py-2 text-sm font-medium text-white hover:bg-slate-700">
          Search
        </button>
      </form>
      <div className="relative overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
        {rows.length === 0 ? (
          <p className="px-6 py-12 text-center text-sm text-slate-600">{q ? `No group matches "${q}".` : "No groups yet. Push groups from your identity provider (Okta: Push Groups; Entra ID: assign groups)."}</p>
        ) : (
          <table className="min-w-full divide-y divide-slate-200 text-sm">
            <caption className="sr-only">SCIM groups</caption>
            <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
              <tr>
                <th scope="col" className="px-5 py-3">Group</th>
                <th scope="col" className="px-5 py-3">Members</th>
                <th scope="col" className="px-5 py-3">Mapping</th>
                <th scope="col" className="px-5 py-3"><span className="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((g) => (
                <tr key={g.id}>
                  <td className="px-5 py-3 font-medium text-slate-900">{g.displayName}</td>
                  <td className="px-5 py-3 tabular-nums text-slate-700">{g.members.toLocaleString("en-US")}</td>
                  <td className="px-5 py-3 text-slate-700">
                    {g.orgRole ? (
                      <>
                        {g.orgRole === "admin" ? "Admin" : "Member"}
                        {g.stackRoles?.length ? <span className="text-slate-500"> · {g.stackRoles.join(", ")}</span> : null}
                      </>
                    ) : (
                      <span className="text-slate-400">Not mapped</span>
                    )}
                  </td>
                  <td className="px-5 py-3 text-right">
                    <Link href={`/org-admin/scim/mapping?group=${g.id}`} className="text-sm font-medium text-indigo-600 hover:text-indigo-500" aria-label={`${g.orgRole ? "Edit" : "Map"} ${g.displayName}`}>
                      {g.orgRole ? "Edit mapping" : "Map"}
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      <nav aria-label="Pagination" className="mt-4 flex items-center justify-between text-sm text-slate-600">
        <p>
          {total.toLocaleString("en-US")} {total === 1 ? "group" : "groups"}
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
