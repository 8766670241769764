import { transaction, type Db, type Tx } from "@/db/client";
import { NO_CHANGES, type AccessChanges } from "@/lib/access/recompute";
import { pgCode } from "@/lib/errors";

/** What one SCIM request changed in people's access (recorded in the provisioning log). */
export type AccessEffect = AccessChanges & { membership?: "joined" | "removed"; removedRole?: string };

/** The effect of a person leaving the org (`removedRole`: the role they had; null when they had no membership). */
export function leftOrg(removedRole: string | null): AccessEffect {
  return { ...NO_CHANGES, membership: removedRole ? "removed" : undefined, removedRole: removedRole ?? undefined };
}

/** The result of a SCIM use case, before it becomes an HTTP response. */
export type Outcome = {
  status: number;
  body?: Record<string, unknown>;
  resourceId?: string;
  /** The resource's version, for the ETag header. */
  version?: number;
  access?: AccessEffect;
};

const RETRYABLE = new Set(["40001", "40P01"]); // serialization failure (also portal_concurrent_change()), deadlock detected

/**
 * Runs `work` again (up to 3 times in all) when PostgreSQL aborted it for a deadlock or a serialization failure —
 * which is also how a one-statement write reports that the row it read changed before it wrote
 * (`portal_concurrent_change`, migration 0003). `work` must start from reading, so a retry sees the new state.
 */
export async function retryingConflicts<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (e) {
      const code = pgCode(e);
      if (attempt >= 3 || !code || !RETRYABLE.has(code)) throw e;
      await new Promise((r) => setTimeout(r, 10 * attempt + Math.random() * 20));
    }
  }
}

/** One transaction per request, retried like retryingConflicts. */
export function inTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  return retryingConflicts(() => transaction(db, work));
}
