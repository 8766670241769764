import type { Metadata } from "next";
import Link from "next/link";
import { MemberCount } from "@/components/scim/member-count";
import { ScimTabs } from "@/components/scim/scim-tabs";
import { DataTable } from "@/components/ui/data-table";
import { listParams, Pager, SearchForm } from "@/components/ui/list-controls";
import { PageHeader, ROLE_LABEL } from "@/components/ui/page-header";
import { getDb } from "@/db/client";
import { adminPage } from "@/app/org-admin/guard";
import { GROUPS_PAGE_SIZE, groupsPage } from "@/lib/provisioning/queries";

export const metadata: Metadata = { title: "SCIM groups" };

export default async function GroupsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await adminPage("/org-admin/scim/groups");
  const sp = await searchParams;
  const { q, page } = listParams(sp);
  const { rows, total } = await groupsPage(await getDb(), ctx.org.id, { q, page });
  return (
    <>
      <PageHeader title="SCIM" description="The groups your identity provider pushed, with their members and what they grant." />
      <ScimTabs />
      <SearchForm action="/org-admin/scim/groups" id="group-search" label="Search groups" placeholder="Search groups by name" q={q} />
      <div className="relative overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
        {rows.length === 0 ? (
          <p className="px-6 py-12 text-center text-sm text-slate-600">
            {q
              ? `No group matches "${q}".`
              : "No groups yet. Push groups from your identity provider (Okta: Push Groups; Entra ID: assign groups)."}
          </p>
        ) : (
          <DataTable caption="SCIM groups" columns={["Group", "Active members", "Mapping", null]}>
            {rows.map((g) => (
              <tr key={g.id}>
                <td className="px-5 py-3">
                  <Link href={`/org-admin/scim/groups/${g.id}`} className="font-medium text-indigo-700 hover:underline">
                    {g.displayName}
                  </Link>
                </td>
                <td className="px-5 py-3 text-slate-700">
                  <MemberCount counts={g.members} />
                </td>
                <td className="px-5 py-3 text-slate-700">
                  {g.orgRole ? (
                    <>
                      {ROLE_LABEL[g.orgRole as "admin" | "member"]}
                      {g.stackRoles?.length ? <span className="text-slate-500"> · {g.stackRoles.join(", ")}</span> : null}
                    </>
                  ) : (
                    <span className="text-slate-400">Not mapped</span>
                  )}
                </td>
                <td className="px-5 py-3 text-right">
                  <Link
                    href={`/org-admin/scim/mapping?group=${g.id}`}
                    className="text-sm font-medium text-indigo-600 hover:text-indigo-500"
                    aria-label={`${g.orgRole ? "Edit" : "Map"} ${g.displayName}`}
                  >
                    {g.orgRole ? "Edit mapping" : "Map"}
                  </Link>
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </div>
      <Pager path="/org-admin/scim/groups" q={q} page={page} total={total} pageSize={GROUPS_PAGE_SIZE} noun={["group", "groups"]} />
    </>
  );
}
