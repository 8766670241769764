import type { Db } from "@/db/client";
import type { RequestOrigin } from "@/lib/audit/origin";
import { recordAuditInOrgsOf } from "@/lib/audit/record";
import { findAccountByEmail } from "@/lib/orgs/accounts";
import { orgsOfAccount } from "@/lib/orgs/queries";
import { burnPasswordCheck, verifyPassword } from "./password";

export type SignedInAccount = { id: string; email: string; name: string };

/** A right password that still may not sign in; the message is next-auth's error code for the sign-in page. */
export class PasswordSignInError extends Error {
  override name = "PasswordSignInError";
}

/** Every org of the account requires SSO of it (it is not their Owner): a password opens nothing. */
export const SSO_REQUIRED = "SsoRequired";

/**
 * Checks an email and password. Unknown emails, and accounts without a password (created by SCIM), spend the same
 * hash time as a real check, so timing does not tell which emails exist. A right password is refused (only then,
 * so the refusal tells nothing about wrong passwords) when every organization of the account requires SSO of it;
 * the Owner of an org that requires SSO keeps password sign-in as break-glass. A sign-in is recorded in the audit
 * trail of every org the account is a member of (a refused one is not: it belongs to no org).
 */
export async function authenticate(db: Db, email: string, password: string, origin: RequestOrigin): Promise<SignedInAccount | null> {
  if (!email || !password || password.length > 1024 || email.length > 320) {
    await burnPasswordCheck(password.slice(0, 1024));
    return null;
  }
  const account = await findAccountByEmail(db, email);
  if (!account?.passwordHash) return burnPasswordCheck(password).then(() => null);
  const ok = await verifyPassword(password, account.passwordHash);
  if (!ok) return null;
  const orgs = await orgsOfAccount(db, account.id);
  if (orgs.length > 0 && orgs.every((o) => o.requireSso && o.role !== "owner")) throw new PasswordSignInError(SSO_REQUIRED);
  const actor = { kind: "password" as const, accountId: account.id, email: account.email, ...origin };
  await recordAuditInOrgsOf(db, actor, account.id, { action: "sign_in.password" });
  return { id: account.id, email: account.email, name: account.name };
}
