import { transaction, type Db, type Tx } from "@/db/client";
import { NO_CHANGES, type AccessChanges } from "@/lib/access/recompute";
import { pgCode } from "@/lib/errors";

/** What one SCIM request changed in people's access (recorded in the provisioning log). */
export type AccessEffect = AccessChanges & { membership?: "joined" | "removed"; removedRole?: string };

/** The effect of a person leaving the org (`removedRole`: the role they had; null when they had no membership). */
export function leftOrg(removedRole: string | null): AccessEffect {
  return { ...NO_CHANGES, membership: removedRole ? "removed" : undefined, removedRole: removedRole ?? undefined };
}

/**
 * What a use case knows about what it did, for the log's sentence (describe.ts): names as written, the lifecycle
 * change, the member changes. Nothing here costs a query: each is a value the use case had in hand.
 */
export type EventFacts = {
  /** The resource's name as written: a user's userName, a group's displayName. */
  name?: string;
  /** A group's displayName before this request renamed it. */
  renamedFrom?: string;
  /** The user's `active` after a write that changed it. */
  activeNow?: boolean;
  /** The write changed nothing (the resource was already as asked). */
  unchanged?: boolean;
  /** Group members this request added and removed (exact counts). */
  membersAdded?: number;
  membersRemoved?: number;
  /** SCIM users the request touched besides its own resource (group member changes): the first PEOPLE_PER_EVENT. */
  people?: string[];
};

/** At most this many people are named per log event (provisioning_event_people); its sentence has the counts. */
export const PEOPLE_PER_EVENT = 100;

/** The result of a SCIM use case, before it becomes an HTTP response. */
export type Outcome = {
  status: number;
  body?: Record<string, unknown>;
  resourceId?: string;
  /** The resource's version, for the ETag header. */
  version?: number;
  access?: AccessEffect;
  facts?: EventFacts;
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
