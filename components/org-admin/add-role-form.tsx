"use client";

import { useActionState, useEffect, useRef } from "react";
import { addRoleAction } from "@/app/org-admin/stacks/actions";
import type { ActionResult } from "@/lib/org-admin/action";

export function AddRoleForm({ stackId, stackName }: { stackId: string; stackName: string }) {
  const [state, action, pending] = useActionState<ActionResult<string> | undefined, FormData>(addRoleAction, undefined);
  const ref = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (state?.ok) ref.current?.reset();
  }, [state]);
  return (
    <form ref={ref} action={action} className="mt-4">
      <input type="hidden" name="stackId" value={stackId} />
      <div className="flex gap-2">
        <label htmlFor={`role-${stackId}`} className="sr-only">
          New role for {stackName}
        </label>
        <input
          id={`role-${stackId}`}
          name="name"
          required
          maxLength={60}
          placeholder="Custom role, e.g. Translator"
          className="min-w-0 flex-1 rounded-md border border-slate-300 px-2.5 py-1.5 text-sm shadow-sm"
        />
        <button
          type="submit"
          disabled={pending}
          aria-label={`Add role to ${stackName}`}
          className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50 disabled:opacity-60"
        >
          {pending ? "Adding…" : "Add role"}
        </button>
      </div>
      <p aria-live="polite" className="mt-1 min-h-4 text-xs">
        {state && !state.ok && (
          <span role="alert" className="text-red-700">
            {state.error}
          </span>
        )}
        {state?.ok && <span className="text-emerald-700">Added “{state.value}”.</span>}
      </p>
    </form>
  );
}
