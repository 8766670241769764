import "server-only";
import { headers } from "next/headers";
import { originOf, type RequestOrigin } from "./origin";
import type { AuditActor } from "./record";

/** Where this request came from: the client's address (as the sign-in throttle reads it) and user agent. */
export async function requestOrigin(): Promise<RequestOrigin> {
  return originOf(await headers());
}

/** The signed-in person acting in this request, as the audit trail records them. */
export async function webActor(account: { id: string; email: string }): Promise<AuditActor> {
  return { kind: "web", accountId: account.id, email: account.email, ...(await requestOrigin()) };
}
