import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ScimTabs } from "@/components/scim/scim-tabs";
import { Breadcrumbs } from "@/components/ui/breadcrumbs";
import { DataTable } from "@/components/ui/data-table";
import { listParams, Pager, SearchForm } from "@/components/ui/list-controls";
import { Badge, PageHeader, ROLE_LABEL } from "@/components/ui/page-header";
import { getDb } from "@/db/client";
import { adminPage } from "@/app/org-admin/guard";
import { isUuid } from "@/lib/ids";
import { GROUP_MEMBERS_PAGE_SIZE, groupDetail, groupMembersPage } from "@/lib/provisioning/queries";

export const metadata: Metadata = { title: "SCIM group" };

export default async function GroupPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { id } = await params;
  const ctx = await adminPage(`/org-admin/scim/groups/${id}`);
  const db = await getDb();
  const group = isUuid(id) ? await groupDetail(db, ctx.org.id, id) : null;
  // 404 with its page (not-found.tsx beside this one): the id is not a SCIM group of this org.
  if (!group) notFound();
  const { q, page } = listParams(await searchParams);
  const { rows, total } = await groupMembersPage(db, ctx.org.id, group, { q, page });
  const path = `/org-admin/scim/groups/${group.id}`;
  // A member's page links back here, to the same search and page.
  const userHref = (userId: string) =>
    `/org-admin/scim/users/${userId}?${new URLSearchParams({ group: group.id, ...(q ? { q } : {}), ...(page > 1 ? { page: String(page) } : {}) })}`;
  return (
    <>
      <PageHeader title="SCIM" description="A group your identity provider pushed: its members and what its mapping grants them." />
      <ScimTabs />
      <Breadcrumbs items={[{ label: "Groups", href: "/org-admin/scim/groups" }, { label: group.displayName }]} />
      <div className="mb-6 flex flex-wrap items-start justify-between gap-4 rounded-xl border border-slate-200 bg-white px-5 py-4 shadow-sm">
        <div className="min-w-0">
          <h2 className="text-lg font-semibold text-slate-900">{group.displayName}</h2>
          <p className="mt-1 text-sm text-slate-600" data-testid="group-members-summary">
            {group.counts.active.toLocaleString("en-US")} active {group.counts.active === 1 ? "member" : "members"}
            {group.counts.inactive > 0 && (
              <>
                {" "}
                and {group.counts.inactive.toLocaleString("en-US")} inactive
                <span className="text-slate-500"> (no access until the identity provider reactivates them)</span>
              </>
            )}
          </p>
          <p className="mt-1 text-sm text-slate-600">
            Mapping:{" "}
            {group.orgRole ? (
              <span className="text-slate-800">
                {ROLE_LABEL[group.orgRole]}
                {group.stackRoles?.length ? ` · ${group.stackRoles.join(", ")}` : " · no stack access"}
              </span>
            ) : (
              <span className="text-slate-400">Not mapped: membership gives no access</span>
            )}
          </p>
          {group.externalId && <p className="mt-1 font-mono text-xs text-slate-500">externalId {group.externalId}</p>}
        </div>
        <Link
          href={`/org-admin/scim/mapping?group=${group.id}`}
          className="shrink-0 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 shadow-sm hover:bg-slate-50"
        >
          {group.orgRole ? "Edit mapping" : "Map this group"}
        </Link>
      </div>
      <SearchForm
        action={path}
        id="group-member-search"
        label="Search members"
        placeholder="Search members by userName, name or email"
        q={q}
      />
      <div className="relative overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
        {rows.length === 0 ? (
          <p className="px-6 py-12 text-center text-sm text-slate-600">
            {q
              ? `No member of ${group.displayName} matches "${q}".`
              : "No members yet. Your identity provider adds them when it pushes the group."}
          </p>
        ) : (
          <DataTable caption={`Members of ${group.displayName}`} columns={["User", "Email", "Status"]}>
            {rows.map((u) => (
              <tr key={u.id}>
                <td className="px-5 py-3">
                  <Link href={userHref(u.id)} className="font-medium text-indigo-700 hover:underline">
                    {u.userName}
                  </Link>
                  {u.displayName && <span className="block text-xs text-slate-500">{u.displayName}</span>}
                </td>
                <td className="px-5 py-3 text-slate-700">{u.email ?? <span className="text-slate-400">—</span>}</td>
                <td className="px-5 py-3">{u.active ? <Badge tone="green">Active</Badge> : <Badge tone="gray">Inactive</Badge>}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </div>
      <Pager path={path} q={q} page={page} total={total} pageSize={GROUP_MEMBERS_PAGE_SIZE} noun={["member", "members"]} />
    </>
  );
}
