"use client";

import { useActionState } from "react";
import { inviteMemberAction } from "@/app/org-admin/members/actions";
import { ShownOnce } from "@/components/ui/shown-once";
import { INPUT_CLASS } from "@/components/ui/field";
import { formatWhen } from "@/components/ui/page-header";
import type { ActionResult } from "@/lib/org-admin/action";

type Invited = { url: string; email: string; role: "owner" | "admin" | "member"; expiresAt: string };

/** Invite by email with a role; the link is shown once, with a copy button (nothing is mailed). */
export function InvitePanel() {
  const [state, invite, pending] = useActionState<ActionResult<Invited> | undefined, FormData>(inviteMemberAction, undefined);
  const refused = state && !state.ok ? state : undefined;
  return (
    <div className="space-y-4">
      <form action={invite} className="flex flex-wrap items-end gap-3">
        <div className="min-w-64 flex-1">
          <label htmlFor="invite-email" className="block text-sm font-medium text-slate-700">
            Email
          </label>
          <input
            id="invite-email"
            name="email"
            type="email"
            required
            maxLength={320}
            placeholder="name@company.com"
            defaultValue={refused?.fields?.email ?? ""}
            key={state?.ok ? state.value.url : "form"}
            className={`mt-1.5 ${INPUT_CLASS}`}
          />
        </div>
        <div>
          <label htmlFor="invite-role" className="block text-sm font-medium text-slate-700">
            Role
          </label>
          <select
            id="invite-role"
            name="role"
            defaultValue={refused?.fields?.role ?? "member"}
            className="mt-1.5 block rounded-md border border-slate-300 bg-white py-2 pr-8 pl-3 text-sm shadow-sm"
          >
            <option value="member">Member</option>
            <option value="admin">Admin</option>
          </select>
        </div>
        <button
          type="submit"
          disabled={pending}
          className="rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500 disabled:opacity-70"
        >
          {pending ? "Creating…" : "Create invitation"}
        </button>
      </form>
      {refused && (
        <p role="alert" className="text-sm text-red-700">
          {refused.error}
        </p>
      )}
      {state?.ok && (
        <ShownOnce
          message={`Invitation for ${state.value.email} as ${state.value.role === "admin" ? "Admin" : "Member"} created. Copy the link now and send it to them: it is shown only once, works once, and expires ${formatWhen(state.value.expiresAt)}.`}
          value={state.value.url}
          copyLabel="Copy invitation link"
          testId="invitation-link"
        />
      )}
    </div>
  );
}
