import type { Metadata } from "next";
import Link from "next/link";
import { DataTable } from "@/components/ui/data-table";
import { listParams, Pager, SearchForm } from "@/components/ui/list-controls";
import { Badge, PageHeader, ROLE_LABEL } from "@/components/ui/page-header";
import { getDb } from "@/db/client";
import { adminPage } from "@/app/org-admin/guard";
import { listMembers, MEMBERS_PAGE_SIZE } from "@/lib/orgs/queries";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await adminPage("/org-admin/users");
  const params = await searchParams;
  const { q, page } = listParams(params);
  const { rows, total } = await listMembers(await getDb(), ctx.org.id, { page, query: q });
  return (
    <>
      <PageHeader
        title="Users"
        description="Everyone in this organization, with their organization role and whether your identity provider manages them."
      />
      <SearchForm action="/org-admin/users" id="user-search" label="Search users" placeholder="Search by name or email" q={q} />
      <div className="relative overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
        {rows.length === 0 ? (
          <div className="px-6 py-12 text-center">
            <p className="text-sm font-medium text-slate-900">{q ? `No users match "${q}".` : "No users yet."}</p>
            {q && (
              <Link href="/org-admin/users" className="mt-2 inline-block text-sm text-indigo-600 hover:underline">
                Clear the search
              </Link>
            )}
          </div>
        ) : (
          <DataTable caption="Organization users" columns={["Name", "Email", "Organization role", "Managed by"]}>
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
          </DataTable>
        )}
      </div>
      <Pager path="/org-admin/users" q={q} page={page} total={total} pageSize={MEMBERS_PAGE_SIZE} noun={["user", "users"]} />
    </>
  );
}
