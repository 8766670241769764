"use client";

import Link from "next/link";
import { changeRoleAction, removeMemberAction, transferOwnershipAction } from "@/app/org-admin/members/actions";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useConfirmAction } from "@/components/ui/use-confirm-action";

export type MemberActionRow = {
  accountId: string;
  email: string;
  role: "owner" | "admin" | "member";
  scimManaged: boolean;
  scimUserId: string | null;
};

/**
 * What the viewer can do with one member: nothing for the Owner or themselves; a link for an IdP-managed person
 * (their access follows their groups); else change the role, remove, and — for the Owner, on an Admin — hand over
 * ownership. Each after a confirmation that says what happens.
 */
export function MemberActions({ member, viewer }: { member: MemberActionRow; viewer: { accountId: string; role: string } }) {
  const role = useConfirmAction((to: "admin" | "member") => changeRoleAction({ accountId: member.accountId, role: to }));
  const remove = useConfirmAction(() => removeMemberAction(member.accountId));
  const transfer = useConfirmAction(() => transferOwnershipAction(member.accountId));
  if (member.scimManaged)
    return (
      <span className="text-xs text-slate-500">
        Managed by your identity provider
        {member.scimUserId && (
          <>
            {" · "}
            <Link href={`/org-admin/scim/users/${member.scimUserId}`} className="font-medium text-indigo-600 hover:underline">
              SCIM page
            </Link>
          </>
        )}
      </span>
    );
  if (member.accountId === viewer.accountId) return <span className="text-xs text-slate-400">You</span>;
  // The Owner changes only by transferring ownership, from an Admin's row.
  if (member.role === "owner") return null;
  const other = member.role === "admin" ? "member" : "admin";
  return (
    <div className="flex items-center justify-end gap-3 whitespace-nowrap">
      <button
        type="button"
        onClick={() => role.ask(other)}
        className="text-sm font-medium text-indigo-600 hover:text-indigo-500"
        aria-label={`Make ${member.email} ${other === "admin" ? "an Admin" : "a Member"}`}
      >
        {other === "admin" ? "Make Admin" : "Make Member"}
      </button>
      {viewer.role === "owner" && member.role === "admin" && (
        <button
          type="button"
          onClick={() => transfer.ask(true)}
          className="text-sm font-medium text-indigo-600 hover:text-indigo-500"
          aria-label={`Transfer ownership to ${member.email}`}
        >
          Make Owner
        </button>
      )}
      <button
        type="button"
        onClick={() => remove.ask(true)}
        className="text-sm font-medium text-red-600 hover:text-red-500"
        aria-label={`Remove ${member.email}`}
      >
        Remove
      </button>
      <ConfirmDialog {...role.dialog} title={other === "admin" ? "Make Admin" : "Make Member"}>
        <p>
          {other === "admin"
            ? `${member.email} will be able to manage this organization: SCIM, single sign-on, members and stacks.`
            : `${member.email} will no longer manage this organization; they keep their stack roles.`}
        </p>
      </ConfirmDialog>
      <ConfirmDialog {...transfer.dialog} title="Transfer ownership" confirmLabel="Transfer ownership">
        <p>
          {member.email} becomes the Owner of this organization and you become an Admin. Only the new Owner can transfer ownership back.
        </p>
      </ConfirmDialog>
      <ConfirmDialog {...remove.dialog} title="Remove member" confirmLabel="Remove" tone="danger">
        <p>
          {member.email} leaves this organization at once, with their stack roles here, and is signed out of it. Their account stays; you
          can invite them again.
        </p>
      </ConfirmDialog>
    </div>
  );
}
