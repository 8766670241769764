"use client";

import { useActionState } from "react";
import { createTokenAction, revokeTokenAction } from "@/app/org-admin/scim/actions";
import type { ActionResult } from "@/lib/org-admin/action";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { DataTable } from "@/components/ui/data-table";
import { formatWhen } from "@/components/ui/page-header";
import { useConfirmAction } from "@/components/ui/use-confirm-action";
import { ShownOnce } from "@/components/ui/shown-once";

export type TokenRow = {
  id: string;
  name: string;
  prefix: string;
  createdBy: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
};

function status(t: TokenRow): { label: string; tone: string } {
  if (t.revokedAt) return { label: "Revoked", tone: "bg-slate-100 text-slate-600" };
  if (t.expiresAt && new Date(t.expiresAt).getTime() < Date.now()) return { label: "Expired", tone: "bg-amber-50 text-amber-800" };
  return { label: "Active", tone: "bg-emerald-50 text-emerald-700" };
}

/** Secret tokens for IdPs that use a bearer token (Entra ID, Okta's header mode): generate (shown once), list, revoke. */
export function TokenPanel({ tokens }: { tokens: TokenRow[] }) {
  const [created, create, creating] = useActionState<ActionResult<{ token: string; name: string }> | undefined, FormData>(
    createTokenAction,
    undefined,
  );
  const confirm = useConfirmAction((t: TokenRow) => revokeTokenAction(t.id));
  return (
    <div className="space-y-5">
      <form action={create} className="flex flex-wrap items-end gap-3">
        <div className="min-w-48 flex-1">
          <label htmlFor="token-name" className="block text-sm font-medium text-slate-700">
            Token name
          </label>
          <input
            id="token-name"
            name="name"
            required
            maxLength={100}
            placeholder="e.g. Entra ID production"
            className="mt-1.5 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm shadow-sm outline-none focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/30"
          />
        </div>
        <div>
          <label htmlFor="token-expiry" className="block text-sm font-medium text-slate-700">
            Expires
          </label>
          <select
            id="token-expiry"
            name="expiresInDays"
            defaultValue="365"
            className="mt-1.5 block rounded-md border border-slate-300 bg-white py-2 pr-8 pl-3 text-sm shadow-sm"
          >
            <option value="30">In 30 days</option>
            <option value="90">In 90 days</option>
            <option value="180">In 180 days</option>
            <option value="365">In 1 year</option>
            <option value="">Never</option>
          </select>
        </div>
        <button
          type="submit"
          disabled={creating}
          className="rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500 disabled:opacity-70"
        >
          {creating ? "Generating…" : "Generate token"}
        </button>
      </form>
      {created && !created.ok && (
        <p role="alert" className="text-sm text-red-700">
          {created.error}
        </p>
      )}
      {created?.ok && (
        <ShownOnce
          message={`Token “${created.value.name}” created. Copy it now: it will not be shown again.`}
          value={created.value.token}
          copyLabel="Copy token"
          testId="new-token"
        />
      )}
      {tokens.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 px-4 py-6 text-center text-sm text-slate-500">
          No tokens yet. Generate one for Entra ID or another SCIM client.
        </p>
      ) : (
        <div className="relative overflow-x-auto rounded-lg border border-slate-200">
          <DataTable caption="SCIM tokens" columns={["Name", "Created", "Last used", "Expires", "Status", null]} compact>
            {tokens.map((t) => {
              const s = status(t);
              return (
                <tr key={t.id}>
                  <td className="px-4 py-2.5">
                    <span className="font-medium text-slate-900">{t.name}</span>
                    <span className="block font-mono text-xs text-slate-400">{t.prefix}…</span>
                  </td>
                  <td className="px-4 py-2.5 text-slate-600">
                    {formatWhen(t.createdAt, "")}
                    {t.createdBy && <span className="block text-xs text-slate-400">by {t.createdBy}</span>}
                  </td>
                  <td className="px-4 py-2.5 text-slate-600">{formatWhen(t.lastUsedAt, "Never")}</td>
                  <td className="px-4 py-2.5 text-slate-600">{formatWhen(t.expiresAt, "Never")}</td>
                  <td className="px-4 py-2.5">
                    <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${s.tone}`}>{s.label}</span>
                  </td>
                  <td className="px-4 py-2.5 text-right">
                    {s.label === "Active" && (
                      <button
                        type="button"
                        onClick={() => confirm.ask(t)}
                        aria-label={`Revoke token ${t.name}`}
                        className="text-sm font-medium text-red-600 hover:text-red-500"
                      >
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </DataTable>
        </div>
      )}
      <ConfirmDialog {...confirm.dialog} title="Revoke token" tone="danger">
        <p>
          Requests that use “{confirm.target?.name}” will be refused at once. The identity provider using it stops provisioning until you
          give it a new token.
        </p>
      </ConfirmDialog>
    </div>
  );
}
