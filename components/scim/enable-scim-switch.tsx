"use client";

import { useState, useTransition } from "react";
import { setScimEnabledAction } from "@/app/org-admin/scim/actions";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Switch } from "@/components/ui/switch";

/** The Enable SCIM switch: both directions ask first and say what will happen. */
export function EnableScimSwitch({ enabled, orgName }: { enabled: boolean; orgName: string }) {
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState<string>();
  const [pending, start] = useTransition();
  const confirm = () =>
    start(async () => {
      const result = await setScimEnabledAction(!enabled);
      if (result.ok) {
        setAsking(false);
        setError(undefined);
      } else setError(result.error);
    });
  return (
    <>
      <Switch checked={enabled} label="Enable SCIM" onClick={() => setAsking(true)} />
      <ConfirmDialog
        open={asking}
        title={enabled ? "Turn off SCIM" : "Enable SCIM"}
        confirmLabel={enabled ? "Turn off" : "Enable"}
        tone={enabled ? "danger" : "primary"}
        pending={pending}
        error={error}
        onConfirm={confirm}
        onCancel={() => {
          setAsking(false);
          setError(undefined);
        }}
      >
        {enabled ? (
          <>
            <p>Your identity provider&apos;s calls to {orgName} will be refused until SCIM is enabled again.</p>
            <p>Nothing is deleted: people keep the access they have now, and groups, mappings, tokens and connected apps are kept.</p>
          </>
        ) : (
          <>
            <p>
              Your identity provider will be able to create, update and deactivate the users and groups of {orgName}, using a secret token
              or a connected app.
            </p>
            <p>Group mappings then decide their organization and stack roles. The Owner is never changed.</p>
          </>
        )}
      </ConfirmDialog>
    </>
  );
}
