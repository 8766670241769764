"use client";

import { revokeInvitationAction } from "@/app/org-admin/members/actions";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { DataTable } from "@/components/ui/data-table";
import { Badge, formatWhen } from "@/components/ui/page-header";
import { useConfirmAction } from "@/components/ui/use-confirm-action";

export type InvitationRow = {
  id: string;
  email: string;
  role: "owner" | "admin" | "member";
  invitedBy: string | null;
  createdAt: string;
  expiresAt: string;
  expired: boolean;
};

/** The open invitations: who, as what, by whom, until when; each revocable after a confirmation. */
export function InvitationList({ invitations }: { invitations: InvitationRow[] }) {
  const confirm = useConfirmAction((i: InvitationRow) => revokeInvitationAction(i.id));
  if (invitations.length === 0)
    return (
      <p className="rounded-lg border border-dashed border-slate-300 px-4 py-6 text-center text-sm text-slate-500">
        No pending invitations. Invite someone above: they get a link to join.
      </p>
    );
  return (
    <>
      <div className="relative overflow-x-auto rounded-lg border border-slate-200">
        <DataTable caption="Pending invitations" columns={["Email", "Role", "Invited", "Expires", null]} compact>
          {invitations.map((i) => (
            <tr key={i.id}>
              <td className="px-4 py-2.5 font-medium text-slate-900">{i.email}</td>
              <td className="px-4 py-2.5">
                <Badge tone={i.role}>{i.role === "admin" ? "Admin" : "Member"}</Badge>
              </td>
              <td className="px-4 py-2.5 text-slate-600">
                {formatWhen(i.createdAt)}
                {i.invitedBy && <span className="block text-xs text-slate-400">by {i.invitedBy}</span>}
              </td>
              <td className="px-4 py-2.5 text-slate-600">{i.expired ? <Badge tone="amber">Expired</Badge> : formatWhen(i.expiresAt)}</td>
              <td className="px-4 py-2.5 text-right">
                <button
                  type="button"
                  onClick={() => confirm.ask(i)}
                  aria-label={`Revoke the invitation for ${i.email}`}
                  className="text-sm font-medium text-red-600 hover:text-red-500"
                >
                  Revoke
                </button>
              </td>
            </tr>
          ))}
        </DataTable>
      </div>
      <ConfirmDialog {...confirm.dialog} title="Revoke invitation" tone="danger">
        <p>The link sent to {confirm.target?.email} stops working at once. You can invite them again later.</p>
      </ConfirmDialog>
    </>
  );
}
