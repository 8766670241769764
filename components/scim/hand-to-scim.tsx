"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { handToScimAction } from "@/app/org-admin/scim/users/[id]/actions";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";

/** The held member's panel action: hand them to SCIM, after a confirmation that says what changes. */
export function HandToScim({
  userId,
  email,
  orgName,
  role,
  scimRole,
}: {
  userId: string;
  email: string;
  orgName: string;
  role: string;
  scimRole: string;
}) {
  const router = useRouter();
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState<string>();
  const [pending, start] = useTransition();
  const confirm = () =>
    start(async () => {
      const result = await handToScimAction({ userId });
      if (!result.ok) return setError(result.error);
      setAsking(false);
      router.refresh();
    });
  return (
    <>
      <button
        type="button"
        onClick={() => setAsking(true)}
        className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500"
      >
        Hand to SCIM
      </button>
      <ConfirmDialog
        open={asking}
        title={`Hand ${email} to SCIM`}
        confirmLabel="Hand to SCIM"
        pending={pending}
        error={error}
        onConfirm={confirm}
        onCancel={() => {
          setAsking(false);
          setError(undefined);
        }}
      >
        <p>
          Their organization role will follow their groups from now on:{" "}
          {role === scimRole ? (
            <>
              it stays <strong>{role}</strong>.
            </>
          ) : (
            <>
              <strong>{role}</strong> becomes <strong>{scimRole}</strong>.
            </>
          )}{" "}
          Their groups&apos; stack roles are granted; stack roles given in the portal stay.
        </p>
        <p>When the identity provider deactivates them, they will be removed from {orgName}.</p>
      </ConfirmDialog>
    </>
  );
}
