import type { Metadata } from "next";
import Link from "next/link";
import { Badge, PageHeader, ROLE_LABEL } from "@/components/ui/page-header";
import { getDb } from "@/db/client";
import { adminPage } from "@/lib/org-admin/guard";
import { listMembers, MEMBERS_PAGE_SIZE } from "@/lib/orgs/queries";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { ctx, denied } = await adminPage("/org-admin/users");
  if (denied) return denied;
  const params = await searchParams;
  const query = typeof params.q === "string" ? params.q.slice(0, 200) : "";
  const page = Math.max(1, Number.parseInt(typeof params.page === "string" ? params.page : "1", 10) || 1);
  const { rows, total } = await listMembers(await getDb(), ctx.org.id, { page, query });
  const pages = Math.max(1, Math.ceil(total / MEMBERS_PAGE_SIZE));
  const href = (p: number) => `/org-admin/users?${new URLSearchParams({ ...(query ? { q: query } : {}), page: String(p) })}`;
  return (
    <>
      <PageHeader title="Users" description="Everyone in this organization, with their organization role and whether your identity provider manages them." />
      <form role="search" className="mb-4 flex max-w-md gap-2" action="/org-admin/users">
        <label htmlFor="user-search" className="sr-only">
          Search users
        </label>
        <input
          id="user-search"
          name="q"
          type="search"
          defaultValue={query}
          placeholder="Search by name or email"
          className="min-w-0 flex-1 rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm outline-none focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/30"
        />
        <button type="submit" className="rounded-md bg-slate-900 px-3.5 py-2 text-sm font-medium text-white hover:bg-slate-700">
          Search
        </button>
      </form>
      <div className="relative overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
        {rows.length === 0 ? (
          <div className="px-6 py-12 text-center">
            <p className="text-sm font-medium text-slate-900">{query ? `No users match "${query}".` : "No users yet."}</p>
            {query && (
              <Link href="/org-admin/users" className="mt-2 inline-block text-sm text-indigo-600 hover:underline">
                Clear the search
              </Link>
            )}
          </div>
        ) : (
          <table className="min-w-full divide-y divide-slate-200 text-sm">
            <caption className="sr-only">Organization users</caption>
            <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
              <tr>
                <th scope="col" className="px-5 py-3">
                  Name
                </th>
                <th scope="col" className="px-5 py-3">
                  Email
                </th>
                <th scope="col" className="px-5 py-3">
                  Organization role
                </th>
                <th scope="col" className="px-5 py-3">
                  Managed by
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((m) => (
                <tr key={m.accountId} className="hover:bg-slate-50/60">
                  <td className="px-5 py-3 font-medium text-slate-900">{m.name || <span className="text-slate-400">—</span>}</td>
                  <td className="px-5 py-3 text-slate-700">{m.email}</td>
                  <td className="px-5 py-3">
                    <Badge tone={m.role}>{ROLE_LABEL[m.role]}</Badge>
                  </td>
                  <td className="px-5 py-3 text-slate-600">{m.scimManaged ? <Badge tone="green">SCIM</Badge> : "Portal"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      <nav aria-label="Pagination" className="mt-4 flex items-center justify-between text-sm text-slate-600">
        <p>
          {total.toLocaleString("en-US")} {total === 1 ? "user" : "users"}
          {pages > 1 && ` · page ${page} of ${pages}`}
        </p>
        {pages > 1 && (
          <div className="flex gap-2">
            {page > 1 && (
              <Link href={href(page - 1)} className="rounded-md border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-50">
                Previous
              </Link>
            )}
            {page < pages && (
              <Link href={href(page + 1)} className="rounded-md border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-50">
                Next
              </Link>
            )}
          </div>
        )}
      </nav>
    </>
  );
}
