"use client";

import { useState, useTransition } from "react";
import { beginSsoTestAction, disableSsoAction, setRequireSsoAction } from "@/app/org-admin/sso/actions";
import { startSsoSignIn } from "@/components/auth/start-sso";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Switch } from "@/components/ui/switch";
import { useConfirmAction } from "@/components/ui/use-confirm-action";

/** Test sign-in: a real round trip with the IdP for the admin; the claims it brings back are shown on this page. */
export function TestSignInButton() {
  const [error, setError] = useState<string>();
  const [pending, start] = useTransition();
  return (
    <div className="flex flex-col items-start gap-2">
      <button
        type="button"
        disabled={pending}
        onClick={() =>
          start(async () => {
            setError(undefined);
            const begun = await beginSsoTestAction(null);
            if (!begun.ok) return setError(begun.error);
            await startSsoSignIn(begun.value, "/org-admin/sso?test=ok").catch((e: Error) => setError(e.message));
          })
        }
        className="rounded-md border border-slate-300 bg-white px-3.5 py-2 text-sm font-semibold text-slate-800 shadow-sm hover:bg-slate-50 disabled:cursor-wait disabled:opacity-70"
      >
        {pending ? "Opening your IdP…" : "Test sign-in"}
      </button>
      {error && (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}

/** Require SSO: asks first, says who keeps password sign-in. */
export function RequireSsoSwitch({ enabled, canEnable, orgName }: { enabled: boolean; canEnable: boolean; orgName: string }) {
  const { ask, dialog } = useConfirmAction(async (value: boolean) => setRequireSsoAction(value));
  return (
    <>
      <Switch checked={enabled} label="Require SSO" disabled={!enabled && !canEnable} onClick={() => ask(!enabled)} />
      <ConfirmDialog
        {...dialog}
        title={enabled ? "Stop requiring SSO" : "Require SSO"}
        confirmLabel={enabled ? "Stop requiring" : "Require SSO"}
      >
        {enabled ? (
          <p>Members of {orgName} who have a password will be able to sign in with it again.</p>
        ) : (
          <>
            <p>
              Members and Admins of {orgName} will sign in only through your identity provider; their passwords no longer open this
              organization.
            </p>
            <p>The Owner keeps password sign-in, so the organization can be reached if the identity provider is down.</p>
          </>
        )}
      </ConfirmDialog>
    </>
  );
}

export function DisableSsoButton({ orgName }: { orgName: string }) {
  const { ask, dialog } = useConfirmAction(async () => disableSsoAction(null));
  return (
    <>
      <button
        type="button"
        onClick={() => ask(true)}
        className="rounded-md border border-red-300 bg-white px-3.5 py-2 text-sm font-semibold text-red-700 shadow-sm hover:bg-red-50"
      >
        Disable single sign-on
      </button>
      <ConfirmDialog {...dialog} title="Disable single sign-on" tone="danger" confirmLabel="Disable">
        <p>People of {orgName} will no longer be able to sign in through your identity provider, and Require SSO is turned off.</p>
        <p>
          The connection&apos;s settings and secret are deleted; the links between people and their IdP identities are kept for when you
          connect the same IdP again.
        </p>
      </ConfirmDialog>
    </>
  );
}
