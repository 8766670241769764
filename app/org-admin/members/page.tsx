import type { Metadata } from "next";
import Link from "next/link";
import { InvitationList } from "@/components/members/invitation-list";
import { InvitePanel } from "@/components/members/invite-panel";
import { MemberActions } from "@/components/members/member-actions";
import { DataTable } from "@/components/ui/data-table";
import { listParams, Pager, SearchForm } from "@/components/ui/list-controls";
import { Badge, Card, PageHeader, ROLE_LABEL } from "@/components/ui/page-header";
import { getDb } from "@/db/client";
import { adminPage } from "@/app/org-admin/guard";
import { listOpenInvitations } from "@/lib/members/invitations";
import { listMembers, MEMBERS_PAGE_SIZE } from "@/lib/orgs/queries";

export const metadata: Metadata = { title: "Members" };

const PATH = "/org-admin/members";

export default async function MembersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await adminPage(PATH);
  const params = await searchParams;
  const { q, page } = listParams(params);
  const db = await getDb();
  const [{ rows, total }, invitations] = await Promise.all([
    listMembers(db, ctx.org.id, { page, query: q }),
    listOpenInvitations(db, ctx.org.id),
  ]);
  const viewer = { accountId: ctx.account.id, role: ctx.role };
  return (
    <>
      <PageHeader
        title="Members"
        description="Everyone in this organization. Invite people and manage the ones added here; the people your identity provider manages follow their groups."
      />
      <div className="mb-6 grid gap-6">
        <Card title="Invite a member" description="They get a link to join as an Admin or a Member. Nothing is emailed: you send the link.">
          <InvitePanel />
        </Card>
        <Card title="Pending invitations">
          <InvitationList
            invitations={invitations.map((i) => ({
              id: i.id,
              email: i.email,
              role: i.role,
              invitedBy: i.invitedByEmail,
              createdAt: i.createdAt.toISOString(),
              expiresAt: i.expiresAt.toISOString(),
              expired: i.expired,
            }))}
          />
        </Card>
      </div>
      <SearchForm action={PATH} id="member-search" label="Search members" placeholder="Search by name or email" q={q} />
      <div className="relative overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
        {rows.length === 0 ? (
          <div className="px-6 py-12 text-center">
            <p className="text-sm font-medium text-slate-900">{q ? `No members match "${q}".` : "No members yet."}</p>
            {q && (
              <Link href={PATH} className="mt-2 inline-block text-sm text-indigo-600 hover:underline">
                Clear the search
              </Link>
            )}
          </div>
        ) : (
          <DataTable caption="Organization members" columns={["Name", "Email", "Organization role", "Managed by", null]}>
            {rows.map((m) => (
              <tr key={m.accountId} className="hover:bg-slate-50/60">
                <td className="px-5 py-3 font-medium text-slate-900">
                  {m.scimUserId ? (
                    <Link href={`/org-admin/scim/users/${m.scimUserId}`} className="hover:text-indigo-700 hover:underline">
                      {m.name || m.email}
                    </Link>
                  ) : (
                    m.name || <span className="text-slate-400">—</span>
                  )}
                </td>
                <td className="px-5 py-3 text-slate-700">{m.email}</td>
                <td className="px-5 py-3">
                  <Badge tone={m.role}>{ROLE_LABEL[m.role]}</Badge>
                </td>
                <td className="px-5 py-3 text-slate-600">{m.scimManaged ? <Badge tone="green">SCIM</Badge> : "Portal"}</td>
                <td className="px-5 py-3 text-right">
                  <MemberActions member={m} viewer={viewer} />
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </div>
      <Pager path={PATH} q={q} page={page} total={total} pageSize={MEMBERS_PAGE_SIZE} noun={["member", "members"]} />
    </>
  );
}
