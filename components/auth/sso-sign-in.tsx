"use client";

import { INPUT_CLASS } from "@/components/ui/field";
import { useState, useTransition } from "react";
import { findSsoOrgsAction } from "@/app/sign-in/actions";
import { startSsoSignIn } from "./start-sso";

/** Continue with SSO: the work email finds the person's organizations with SSO; one goes straight to its IdP. */
export function SsoSignIn({ callbackUrl }: { callbackUrl: string }) {
  const [open, setOpen] = useState(false);
  const [email, setEmail] = useState("");
  const [orgs, setOrgs] = useState<{ id: string; name: string }[] | null>(null);
  const [error, setError] = useState<string>();
  const [pending, start] = useTransition();
  const go = (orgId: string) =>
    start(async () => {
      await startSsoSignIn(orgId, callbackUrl, email).catch((e: Error) => setError(e.message));
    });

  if (!open)
    return (
      <button
        type="button"
        onClick={() => setOpen(true)}
        className="flex w-full items-center justify-center gap-2 rounded-md border border-slate-300 bg-white px-4 py-2.5 text-sm font-semibold text-slate-800 shadow-sm hover:bg-slate-50"
      >
        <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.7" className="h-4 w-4" aria-hidden>
          <path d="M15 7a2 2 0 012 2m4 0a6 6 0 01-7.7 5.7L11 17H9v2H7v2H4a1 1 0 01-1-1v-2.6a1 1 0 01.3-.7l6-6A6 6 0 1121 9z" />
        </svg>
        Continue with SSO
      </button>
    );
  return (
    <form
      className="space-y-3"
      aria-label="Single sign-on"
      onSubmit={(e) => {
        e.preventDefault();
        setError(undefined);
        start(async () => {
          const found = await findSsoOrgsAction(email);
          if (!found.ok) return setError(found.error);
          if (found.orgs.length === 0) {
            setOrgs([]);
            return setError(
              "No organization with single sign-on was found for that email. Sign in with your password, or use your organization's sign-in link.",
            );
          }
          if (found.orgs.length === 1)
            return void (await startSsoSignIn(found.orgs[0]!.id, callbackUrl, email).catch((x: Error) => setError(x.message)));
          setOrgs(found.orgs);
        });
      }}
    >
      <div className="space-y-1.5">
        <label htmlFor="sso-email" className="block text-sm font-medium text-slate-700">
          Work email
        </label>
        <input
          id="sso-email"
          type="email"
          required
          autoFocus
          autoComplete="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          className={INPUT_CLASS}
        />
      </div>
      {error && (
        <p role="alert" className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          {error}
        </p>
      )}
      {orgs && orgs.length > 1 ? (
        <div className="space-y-2">
          <p className="text-sm text-slate-600">Choose the organization to sign in to:</p>
          <ul className="space-y-2">
            {orgs.map((o) => (
              <li key={o.id}>
                <button
                  type="button"
                  disabled={pending}
                  onClick={() => go(o.id)}
                  className="flex w-full items-center justify-between rounded-md border border-slate-300 bg-white px-3 py-2 text-left text-sm font-medium text-slate-800 hover:border-indigo-400 hover:bg-indigo-50"
                >
                  {o.name}
                  <span className="text-xs text-slate-500">Continue →</span>
                </button>
              </li>
            ))}
          </ul>
        </div>
      ) : (
        <button
          type="submit"
          disabled={pending}
          className="flex w-full items-center justify-center rounded-md bg-slate-900 px-4 py-2.5 text-sm font-semibold text-white shadow-sm hover:bg-slate-700 disabled:cursor-wait disabled:opacity-70"
        >
          {pending ? "Finding your organization…" : "Continue"}
        </button>
      )}
    </form>
  );
}
