import type { Metadata } from "next";
import Link from "next/link";
import { ScimTabs } from "@/components/scim/scim-tabs";
import { listHref } from "@/components/ui/breadcrumbs";
import { DataTable } from "@/components/ui/data-table";
import { listParams, Pager, SearchForm } from "@/components/ui/list-controls";
import { Badge, PageHeader, ROLE_LABEL } from "@/components/ui/page-header";
import type { OrgRole } from "@/db/schema";
import { getDb } from "@/db/client";
import { adminPage } from "@/app/org-admin/guard";
import { scimUsersPage, USERS_PAGE_SIZE } from "@/lib/provisioning/queries";

export const metadata: Metadata = { title: "Provisioned users" };

export default async function ScimUsersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await adminPage("/org-admin/scim/users");
  const sp = await searchParams;
  const { q, page } = listParams(sp);
  const { rows, total } = await scimUsersPage(await getDb(), ctx.org.id, { q, page });
  return (
    <>
      <PageHeader title="SCIM" description="The people your identity provider provisioned, with the access their groups give them." />
      <ScimTabs />
      <SearchForm
        action="/org-admin/scim/users"
        id="scim-user-search"
        label="Search provisioned users"
        placeholder="Search by userName or name"
        q={q}
      />
      <div className="relative overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
        {rows.length === 0 ? (
          <p className="px-6 py-12 text-center text-sm text-slate-600">
            {q ? `No provisioned user matches "${q}".` : "No one provisioned yet. Assign people to the app in your identity provider."}
          </p>
        ) : (
          <DataTable caption="Provisioned users" columns={["User", "Status", "Groups", "Organization role", "Stack roles"]}>
            {rows.map((u) => (
              <tr key={u.id}>
                <td className="px-5 py-3">
                  <Link
                    href={listHref(`/org-admin/scim/users/${u.id}`, { q, page })}
                    className="font-medium text-indigo-700 hover:underline"
                  >
                    {u.userName}
                  </Link>
                  {u.displayName && <span className="block text-xs text-slate-500">{u.displayName}</span>}
                </td>
                <td className="px-5 py-3">{u.active ? <Badge tone="green">Active</Badge> : <Badge tone="gray">Deactivated</Badge>}</td>
                <td className="px-5 py-3 text-slate-700 tabular-nums">{u.groups}</td>
                <td className="px-5 py-3 text-slate-700">
                  {u.role ? ROLE_LABEL[u.role as OrgRole] : <span className="text-slate-400">None</span>}
                </td>
                <td className="px-5 py-3 text-slate-700">
                  {u.stackRoles?.length ? u.stackRoles.join(", ") : <span className="text-slate-400">None</span>}
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </div>
      <Pager
        path="/org-admin/scim/users"
        q={q}
        page={page}
        total={total}
        pageSize={USERS_PAGE_SIZE}
        noun={["provisioned user", "provisioned users"]}
      />
    </>
  );
}
