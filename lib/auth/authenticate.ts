import type { Db } from "@/db/client";
import { findAccountByEmail } from "@/lib/orgs/accounts";
import { burnPasswordCheck, verifyPassword } from "./password";

export type SignedInAccount = { id: string; email: string; name: string };

/**
 * Checks an email and password. Unknown emails, and accounts without a password (created by SCIM), spend the same
 * hash time as a real check, so timing does not tell which emails exist.
 */
export async function authenticate(db: Db, email: string, password: string): Promise<SignedInAccount | null> {
  if (!email || !password || password.length > 1024 || email.length > 320) {
    await burnPasswordCheck(password.slice(0, 1024));
    return null;
  }
  const account = await findAccountByEmail(db, email);
  if (!account?.passwordHash) return burnPasswordCheck(password).then(() => null);
  const ok = await verifyPassword(password, account.passwordHash);
  return ok ? { id: account.id, email: account.email, name: account.name } : null;
}
