"use client";

import Link from "next/link";
import { signIn } from "next-auth/react";
import { useState } from "react";
import { acceptAsNewPersonAction, acceptAsSignedInAction } from "@/app/invite/[token]/actions";
import { startSsoSignIn } from "@/components/auth/start-sso";
import { INPUT_CLASS } from "@/components/ui/field";

const BUTTON =
  "w-full rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500 disabled:opacity-70";

/**
 * Accepting an invitation, by who opens it: the signed-in invited account joins with one click; an existing account
 * signs in first; a new person chooses a name and password and is signed in — or, in an org that signs in only
 * through its IdP, chooses a name and continues there.
 */
export function AcceptInvitation({
  token,
  mode,
  email,
  orgId,
  orgName,
}: {
  token: string;
  mode: "signed-in" | "sign-in-first" | "new-password" | "new-sso";
  email: string;
  orgId: string;
  orgName: string;
}) {
  const [error, setError] = useState<string>();
  const [pending, setPending] = useState(false);
  const fail = (message: string) => {
    setError(message);
    setPending(false);
  };

  if (mode === "sign-in-first")
    return (
      <div className="space-y-3">
        <p className="text-sm text-slate-600">An account for {email} exists already. Sign in with it to accept the invitation.</p>
        <Link href={`/sign-in?callbackUrl=${encodeURIComponent(`/invite/${token}`)}`} className={`block text-center ${BUTTON}`}>
          Sign in to accept
        </Link>
      </div>
    );

  if (mode === "signed-in")
    return (
      <div className="space-y-3">
        {error && (
          <p role="alert" className="text-sm text-red-700">
            {error}
          </p>
        )}
        <button
          type="button"
          disabled={pending}
          className={BUTTON}
          onClick={async () => {
            setPending(true);
            const result = await acceptAsSignedInAction(token);
            if (!result.ok) return fail(result.error);
            window.location.assign(result.value.home);
          }}
        >
          {pending ? "Joining…" : `Join ${orgName}`}
        </button>
      </div>
    );

  const sso = mode === "new-sso";
  return (
    <form
      className="space-y-4"
      onSubmit={async (e) => {
        e.preventDefault();
        const form = new FormData(e.currentTarget);
        const name = String(form.get("name") ?? "");
        const password = sso ? undefined : String(form.get("password") ?? "");
        setPending(true);
        setError(undefined);
        const result = await acceptAsNewPersonAction(token, { name, password });
        if (!result.ok) return fail(result.error);
        if (sso) return startSsoSignIn(orgId, result.value.home, email).catch((err: Error) => fail(err.message));
        const signedIn = await signIn("credentials", { email, password, redirect: false, callbackUrl: result.value.home });
        window.location.assign(signedIn && !signedIn.error ? result.value.home : "/sign-in");
      }}
    >
      <div>
        <label htmlFor="invite-account-email" className="block text-sm font-medium text-slate-700">
          Email
        </label>
        <input id="invite-account-email" value={email} readOnly className={`mt-1.5 bg-slate-50 text-slate-600 ${INPUT_CLASS}`} />
      </div>
      <div>
        <label htmlFor="invite-name" className="block text-sm font-medium text-slate-700">
          Your name
        </label>
        <input id="invite-name" name="name" required maxLength={200} autoComplete="name" className={`mt-1.5 ${INPUT_CLASS}`} />
      </div>
      {sso ? (
        <p className="text-sm text-slate-600">{orgName} signs in through its identity provider: you continue there after joining.</p>
      ) : (
        <div>
          <label htmlFor="invite-password" className="block text-sm font-medium text-slate-700">
            Choose a password
          </label>
          <input
            id="invite-password"
            name="password"
            type="password"
            required
            minLength={8}
            maxLength={200}
            autoComplete="new-password"
            className={`mt-1.5 ${INPUT_CLASS}`}
          />
          <p className="mt-1 text-xs text-slate-500">At least 8 characters.</p>
        </div>
      )}
      {error && (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      )}
      <button type="submit" disabled={pending} className={BUTTON}>
        {pending ? "Joining…" : sso ? `Join and continue with SSO` : `Join ${orgName}`}
      </button>
    </form>
  );
}
