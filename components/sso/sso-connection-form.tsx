"use client";

import { useActionState } from "react";
import { saveSsoAction } from "@/app/org-admin/sso/actions";
import { Field, INPUT_CLASS } from "@/components/ui/field";
import type { ActionResult } from "@/lib/org-admin/action";

/** Issuer, client ID, client secret (write-only) and whether the IdP's emails are trusted without email_verified. */
export function SsoConnectionForm({
  current,
}: {
  current: { issuer: string; clientId: string; emailAuthoritative: boolean; secretReadable: boolean } | null;
}) {
  const [state, action, pending] = useActionState<ActionResult<string> | undefined, FormData>(saveSsoAction, undefined);
  // After a refused save the form shows what was typed (React resets a form to its default values after an action).
  const typed = state && !state.ok ? state.fields : undefined;
  const shown = typed ? { issuer: typed.issuer, clientId: typed.clientId, emailAuthoritative: typed.emailAuthoritative === "on" } : current;
  return (
    <form action={action} className="space-y-5">
      {state && !state.ok && (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          {state.error}
        </p>
      )}
      {state?.ok && (
        <p role="status" className="rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-800">
          {state.value}
        </p>
      )}
      <Field
        htmlFor="sso-issuer"
        label="Issuer URL"
        hint={
          <>
            Its discovery document <code className="font-mono">/.well-known/openid-configuration</code> is checked when you save. https only
            (http is accepted for localhost).
          </>
        }
      >
        <input
          id="sso-issuer"
          name="issuer"
          type="url"
          required
          defaultValue={shown?.issuer}
          placeholder="https://acme.okta.com"
          className={INPUT_CLASS}
        />
      </Field>
      <div className="grid gap-5 sm:grid-cols-2">
        <Field htmlFor="sso-client-id" label="Client ID">
          <input
            id="sso-client-id"
            name="clientId"
            required
            defaultValue={shown?.clientId}
            autoComplete="off"
            className={`${INPUT_CLASS} font-mono`}
          />
        </Field>
        <Field htmlFor="sso-client-secret" label="Client secret" hint="Stored encrypted and never shown again.">
          <input
            id="sso-client-secret"
            name="clientSecret"
            type="password"
            autoComplete="new-password"
            required={!current || !current.secretReadable}
            placeholder={current?.secretReadable ? "Saved — leave empty to keep it" : ""}
            className={INPUT_CLASS}
          />
        </Field>
      </div>
      <label className="flex items-start gap-3 text-sm">
        <input
          type="checkbox"
          name="emailAuthoritative"
          defaultChecked={shown?.emailAuthoritative}
          className="mt-0.5 h-4 w-4 rounded border-slate-300 text-indigo-600"
        />
        <span>
          <span className="font-medium text-slate-800">Trust this IdP&apos;s email addresses</span>
          <span className="block text-slate-500">
            Accept an email without <code className="font-mono text-xs">email_verified</code> on a first sign-in. Turn on for Entra ID,
            which does not send that claim, when your tenant controls every address.
          </span>
        </span>
      </label>
      <div className="flex justify-end">
        <button
          type="submit"
          disabled={pending}
          className="rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500 disabled:cursor-wait disabled:opacity-70"
        >
          {pending ? "Checking the issuer…" : current ? "Save changes" : "Save connection"}
        </button>
      </div>
    </form>
  );
}
