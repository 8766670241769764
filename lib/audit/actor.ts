import "server-only";
import { headers } from "next/headers";
import { clientAddress } from "@/lib/limits/throttle";
import type { AuditActor } from "./record";

/** Where this request came from: the client's address (as the sign-in throttle reads it) and user agent. */
export async function requestOrigin(): Promise<{ ip: string | null; userAgent: string | null }> {
  const h = await headers();
  const ip = clientAddress(h);
  return { ip: ip === "unknown" ? null : ip, userAgent: h.get("user-agent") };
}

/** The signed-in person acting in this request, as the audit trail records them. */
export async function webActor(account: { id: string; email: string }): Promise<AuditActor> {
  return { kind: "web", accountId: account.id, email: account.email, ...(await requestOrigin()) };
}
