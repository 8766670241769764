import "server-only";
import { getToken } from "next-auth/jwt";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { cache } from "react";
import { getDb } from "@/db/client";
import { orgsOfAccount, type OrgOfAccount } from "@/lib/orgs/queries";
import { sessionAccount } from "./session-check";
import { getEnv } from "@/lib/env";
import { SIGN_IN_PATH } from "./options";

/** How a session signed in: with a password, or through one org's IdP (which opens that org only). */
export type SessionVia = { kind: "password" } | { kind: "sso"; orgId: string };
export type SessionAccount = { id: string; email: string; name: string; via: SessionVia };

/**
 * The signed-in account, checked against the database on every request (a deleted account's session is
 * worthless). A session from an org's IdP is also checked against its epoch, in the same statement: the membership
 * it signed in against must still be there (lib/sso/sign-in.ts, membershipEpoch) and the person's SCIM user, if
 * any, active — so deactivating, deleting or removing the person ends the session on its next request.
 */
export const currentAccount = cache(async (): Promise<SessionAccount | null> => {
  await connection(); // per-request: never prerendered at build time (no database there)
  const token = await sessionToken();
  if (typeof token?.accountId !== "string") return null;
  const sso = token.via === "sso" && token.ssoOrg && token.ssoSince ? { orgId: token.ssoOrg, since: token.ssoSince } : null;
  return accountOfSession(token.accountId, sso);
});

/** The session's JWT, decoded and checked (signature, expiry) by next-auth, from the request's cookies only. */
async function sessionToken() {
  const jar = await cookies();
  return getToken({
    req: { cookies: Object.fromEntries(jar.getAll().map((c) => [c.name, c.value])), headers: {} } as never,
    secret: getEnv().nextAuthSecret,
  });
}

async function accountOfSession(id: string, sso: { orgId: string; since: string } | null): Promise<SessionAccount | null> {
  const row = await sessionAccount(await getDb(), id, sso);
  return row && { ...row, via: sso ? { kind: "sso", orgId: sso.orgId } : { kind: "password" } };
}

export type ClosedOrg = OrgOfAccount & { needs: "sso" | "password" };

/**
 * The organizations this session may open, and the account's others with the sign-in each needs: a session from
 * org X's IdP opens X only; a password session opens every org except those that require SSO (for anyone but
 * their Owner, who keeps password sign-in as break-glass).
 */
export async function sessionOrgs(account: SessionAccount): Promise<{ open: OrgOfAccount[]; closed: ClosedOrg[] }> {
  const orgs = await orgsOfAccount(await getDb(), account.id);
  const via = account.via;
  if (via.kind === "sso") {
    return {
      open: orgs.filter((o) => o.id === via.orgId),
      closed: orgs.filter((o) => o.id !== via.orgId).map((o) => ({ ...o, needs: o.sso ? "sso" : "password" })),
    };
  }
  const blocked = (o: OrgOfAccount) => o.requireSso && o.role !== "owner";
  return { open: orgs.filter((o) => !blocked(o)), closed: orgs.filter(blocked).map((o) => ({ ...o, needs: "sso" })) };
}

export function signInUrl(callbackPath: string): string {
  return `${SIGN_IN_PATH}?callbackUrl=${encodeURIComponent(callbackPath)}`;
}

/** The signed-in account, or a redirect to the sign-in page that comes back to `callbackPath`. */
export async function requireAccount(callbackPath: string): Promise<SessionAccount> {
  const account = await currentAccount();
  if (!account) redirect(signInUrl(callbackPath));
  return account;
}
