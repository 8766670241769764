"use client";

import { revokeGrantAction } from "@/app/org-admin/scim/actions";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { formatWhen } from "@/components/ui/page-header";
import { useConfirmAction } from "@/components/ui/use-confirm-action";

export type GrantRow = {
  id: string;
  app: string;
  authorizedBy: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  scope: string;
  revokedAt: string | null;
};

/** Every OAuth grant of the org (e.g. Okta's "Authenticate with …"), with Revoke access. */
export function ConnectedApps({ grants }: { grants: GrantRow[] }) {
  const confirm = useConfirmAction((g: GrantRow) => revokeGrantAction(g.id));
  if (grants.length === 0)
    return (
      <p className="rounded-lg border border-dashed border-slate-300 px-4 py-6 text-center text-sm text-slate-500">
        No apps connected yet. In Okta, paste the SCIM Base URL and click “Authenticate with <var>your app&apos;s name in Okta</var>”.
      </p>
    );
  return (
    <>
      <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200" aria-label="Connected apps">
        {grants.map((g) => (
          <li key={g.id} className="flex flex-wrap items-center justify-between gap-3 px-4 py-3">
            <div className="min-w-0 text-sm">
              <p className="font-medium text-slate-900">
                {g.app}
                {g.revokedAt && (
                  <span className="ml-2 rounded-full bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-600">Revoked</span>
                )}
              </p>
              <p className="text-slate-500">
                Authorized by {g.authorizedBy ?? "a former member"} on {formatWhen(g.createdAt, "")} · last used{" "}
                {formatWhen(g.lastUsedAt, "never")}
              </p>
              <p className="font-mono text-xs text-slate-400">{g.scope}</p>
            </div>
            {!g.revokedAt && (
              <button
                type="button"
                onClick={() => confirm.ask(g)}
                aria-label={`Revoke access for ${g.app}`}
                className="rounded-md border border-red-200 px-3 py-1.5 text-sm font-medium text-red-700 hover:bg-red-50"
              >
                Revoke access
              </button>
            )}
          </li>
        ))}
      </ul>
      <ConfirmDialog {...confirm.dialog} title="Revoke access" tone="danger">
        <p>
          {confirm.target?.app} loses its access and refresh tokens at once; its next call gets 401. An Owner or Admin can connect it again
          from the identity provider.
        </p>
      </ConfirmDialog>
    </>
  );
}
