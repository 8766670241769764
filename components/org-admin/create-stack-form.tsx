"use client";

import { INPUT_CLASS } from "@/components/ui/field";
import { useActionState, useEffect, useRef } from "react";
import { createStackAction } from "@/app/org-admin/stacks/actions";
import type { ActionResult } from "@/lib/org-admin/action";

export function CreateStackForm() {
  const [state, action, pending] = useActionState<ActionResult<string> | undefined, FormData>(createStackAction, undefined);
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (state?.ok) formRef.current?.reset();
  }, [state]);
  return (
    <form ref={formRef} action={action} className="space-y-2">
      <div className="flex flex-wrap items-end gap-2">
        <div className="min-w-56 flex-1">
          <label htmlFor="stack-name" className="block text-sm font-medium text-slate-700">
            Stack name
          </label>
          <input
            id="stack-name"
            name="name"
            required
            maxLength={100}
            placeholder="e.g. Mobile app"
            aria-describedby="stack-form-status"
            className={`mt-1.5 ${INPUT_CLASS}`}
          />
        </div>
        <button
          type="submit"
          disabled={pending}
          className="rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500 disabled:cursor-wait disabled:opacity-70"
        >
          {pending ? "Creating…" : "Create stack"}
        </button>
      </div>
      <p id="stack-form-status" aria-live="polite" className="min-h-5 text-sm">
        {state && !state.ok && (
          <span role="alert" className="text-red-700">
            {state.error}
          </span>
        )}
        {state?.ok && (
          <span className="text-emerald-700">Created “{state.value}” with the Admin, Developer and Content Manager roles.</span>
        )}
      </p>
    </form>
  );
}
