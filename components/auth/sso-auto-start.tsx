"use client";

import { useEffect, useRef, useState } from "react";
import { startSsoSignIn } from "./start-sso";

/** The Initiate login URI's page: goes to the org's IdP at once; a button if that did not happen. */
export function SsoAutoStart({
  orgId,
  orgName,
  callbackUrl,
  loginHint,
}: {
  orgId: string;
  orgName: string;
  callbackUrl: string;
  loginHint?: string;
}) {
  const [error, setError] = useState<string>();
  const started = useRef(false);
  const go = () => startSsoSignIn(orgId, callbackUrl, loginHint).catch((e: Error) => setError(e.message));
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    void go();
  });
  return (
    <div className="space-y-4 text-center">
      <p className="text-sm text-slate-600" role="status">
        {error ? error : `Taking you to ${orgName}'s identity provider…`}
      </p>
      <button
        type="button"
        onClick={() => void go()}
        className="rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500"
      >
        Continue to {orgName}&apos;s sign-in
      </button>
    </div>
  );
}
