"use client";

import Link from "next/link";
import { removeMappingAction } from "@/app/org-admin/scim/mapping/actions";
import { MemberCount } from "@/components/scim/member-count";
import { useSavedMapping } from "@/components/scim/mapping-workspace";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { DataTable } from "@/components/ui/data-table";
import { ROLE_LABEL } from "@/components/ui/page-header";
import { useConfirmAction } from "@/components/ui/use-confirm-action";
import { describeRemoval } from "@/lib/access/count-words";
import type { MemberCounts } from "@/lib/access/group-counts";

export type MappingListRow = {
  groupId: string;
  group: string;
  members: MemberCounts;
  orgRole: "admin" | "member";
  stackRoles: { stack: string; role: string }[];
};

export function MappingList({ rows }: { rows: MappingListRow[] }) {
  const confirm = useConfirmAction((row: MappingListRow) => removeMappingAction(row.groupId));
  const { savedGroupId } = useSavedMapping();
  if (rows.length === 0)
    return (
      <p className="rounded-lg border border-dashed border-slate-300 px-4 py-6 text-center text-sm text-slate-500">
        No mappings yet. Map a group above to give its members access.
      </p>
    );
  return (
    <>
      <div className="relative overflow-x-auto rounded-lg border border-slate-200">
        <DataTable caption="Group mappings" columns={["SCIM Group", "Active members", "Organization Role", "Stack roles", null]} compact>
          {rows.map((m) => (
            <tr
              key={m.groupId}
              data-saved={m.groupId === savedGroupId || undefined}
              className={m.groupId === savedGroupId ? "bg-emerald-50 transition-colors" : undefined}
            >
              <td className="px-4 py-2.5 font-medium text-slate-900">
                <Link href={`/org-admin/scim/groups/${m.groupId}`} className="hover:text-indigo-700 hover:underline">
                  {m.group}
                </Link>
                {m.groupId === savedGroupId && (
                  <span className="ml-2 rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-medium whitespace-nowrap text-emerald-800">
                    Just saved
                  </span>
                )}
              </td>
              <td className="px-4 py-2.5 text-slate-600">
                <MemberCount counts={m.members} />
              </td>
              <td className="px-4 py-2.5 text-slate-700">{ROLE_LABEL[m.orgRole]}</td>
              <td className="px-4 py-2.5 text-slate-700">
                {m.stackRoles.length ? (
                  m.stackRoles.map((r) => `${r.role} on ${r.stack}`).join(", ")
                ) : (
                  <span className="text-slate-400">No stack access</span>
                )}
              </td>
              <td className="px-4 py-2.5 text-right whitespace-nowrap">
                <Link
                  href={`/org-admin/scim/mapping?group=${m.groupId}`}
                  aria-label={`Edit mapping of ${m.group}`}
                  className="mr-3 text-sm font-medium text-indigo-600 hover:text-indigo-500"
                >
                  Edit
                </Link>
                <button
                  type="button"
                  onClick={() => confirm.ask(m)}
                  aria-label={`Remove mapping of ${m.group}`}
                  className="text-sm font-medium text-red-600 hover:text-red-500"
                >
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </DataTable>
      </div>
      <ConfirmDialog {...confirm.dialog} title="Remove mapping" tone="danger">
        {confirm.target && <p>{describeRemoval(confirm.target.group, confirm.target.members)}</p>}
      </ConfirmDialog>
    </>
  );
}
