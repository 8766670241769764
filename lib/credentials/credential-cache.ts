import type { DatabaseHandle } from "@/db/client";
import { admit, digestOf, findCredential, type CredentialRecord, type ScimCaller } from "./authenticate";

/**
 * The SCIM endpoint's memory of the credentials it has checked, so that an IdP's burst of requests with one token
 * costs one lookup instead of one per request.
 *
 * Revocation stays immediate: database triggers (migration 0002) NOTIFY `portal_credentials` when a token or grant
 * is revoked, expires early or goes, or SCIM is turned off, whoever does it (this server, another node, the admin
 * CLI, SQL by hand); every server LISTENs and forgets everything it remembered. The code that revokes also forgets
 * at once in its own process. Nothing is remembered while the listening connection is down, entries live at most
 * TTL_MS, expiry is checked on every request, and unknown tokens are never remembered.
 */
export const CREDENTIALS_CHANNEL = "portal_credentials";
const TTL_MS = 10_000;
const MAX_ENTRIES = 10_000;

type State = {
  handle?: DatabaseHandle;
  unlisten?: () => void;
  /** Notifications are flowing: remembering is safe. */
  ready: boolean;
  /** Bumped by every forget: a lookup that started before one must not be remembered after it. */
  generation: number;
  entries: Map<string, { record: CredentialRecord; at: number }>;
};
const slot = globalThis as unknown as { __scimCredentialCache?: State };
const state: State = (slot.__scimCredentialCache ??= { ready: false, generation: 0, entries: new Map() });

/** Drops everything remembered (called on every notification, and by the code that revokes, in its own process). */
export function forgetCredentials(): void {
  state.generation++;
  state.entries.clear();
}

function watch(handle: DatabaseHandle): void {
  if (state.handle === handle) return;
  state.unlisten?.();
  state.handle = handle;
  state.ready = false;
  forgetCredentials();
  state.unlisten = handle.listen(CREDENTIALS_CHANNEL, forgetCredentials, (ready) => {
    if (state.handle !== handle) return;
    state.ready = ready;
    forgetCredentials();
  });
}

/** authenticateScim with the memory above: the same answers, the same errors. */
export async function authenticateCached(
  handle: DatabaseHandle,
  orgId: string,
  authorization: string | null,
  now = new Date(),
): Promise<ScimCaller> {
  watch(handle);
  const digest = digestOf(authorization);
  const hit = state.ready ? state.entries.get(digest) : undefined;
  if (hit && hit.at > Date.now() - TTL_MS) return admit(hit.record, digest, orgId, now);
  const generation = state.generation;
  const record = await findCredential(handle.db, digest);
  if (record && state.ready && generation === state.generation) {
    if (state.entries.size >= MAX_ENTRIES) state.entries.delete(state.entries.keys().next().value!);
    state.entries.set(digest, { record, at: Date.now() });
  }
  return admit(record, digest, orgId, now);
}

/** For tests: whether lookups are being remembered, and how many are. */
export function credentialCacheState(): { ready: boolean; size: number } {
  return { ready: state.ready, size: state.entries.size };
}

/** For tests: whether this authorization header's credential is remembered now. */
export function credentialRemembered(authorization: string): boolean {
  return state.entries.has(digestOf(authorization));
}
