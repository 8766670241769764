"use client";

import { useState, useTransition } from "react";

type Outcome = { ok: true } | { ok: false; error: string };

/**
 * "Click → confirm in a modal → run a server action": which item is being confirmed, and the props for its
 * ConfirmDialog (open, pending, error, cancel, confirm). The dialog stays open with the action's error if it fails.
 */
export function useConfirmAction<T>(action: (item: T) => Promise<Outcome>) {
  const [target, setTarget] = useState<T | null>(null);
  const [error, setError] = useState<string>();
  const [pending, start] = useTransition();
  return {
    target,
    ask: (item: T) => setTarget(item),
    dialog: {
      open: target !== null,
      pending,
      error,
      onCancel: () => {
        setTarget(null);
        setError(undefined);
      },
      onConfirm: () =>
        start(async () => {
          if (target === null) return;
          const result = await action(target);
          if (result.ok) setTarget(null);
          else setError(result.error);
        }),
    },
  };
}
