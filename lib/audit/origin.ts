import { clientAddress } from "@/lib/limits/throttle";

/** Where a request came from, as the audit trail records it. */
export type RequestOrigin = { ip: string | null; userAgent: string | null };

/** The client's address (as the sign-in throttle reads it) and user agent, from a request's headers. */
export function originOf(headers: Headers): RequestOrigin {
  const ip = clientAddress(headers);
  return { ip: ip === "unknown" ? null : ip, userAgent: headers.get("user-agent") };
}
