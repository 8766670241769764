import "server-only";
import { eq } from "drizzle-orm";
import { getServerSession } from "next-auth";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { cache } from "react";
import { getDb } from "@/db/client";
import { accounts } from "@/db/schema";
import { authOptions, SIGN_IN_PATH } from "./options";

export type SessionAccount = { id: string; email: string; name: string };

/** The signed-in account, checked against the database (a deleted account's session is worthless). */
export const currentAccount = cache(async (): Promise<SessionAccount | null> => {
  await connection(); // per-request: never prerendered at build time (no database there)
  const session = await getServerSession(authOptions());
  const id = session?.user?.id;
  if (!id) return null;
  const db = await getDb();
  const [account] = await db
    .select({ id: accounts.id, email: accounts.email, name: accounts.name })
    .from(accounts)
    .where(eq(accounts.id, id))
    .limit(1);
  return account ?? null;
});

export function signInUrl(callbackPath: string): string {
  return `${SIGN_IN_PATH}?callbackUrl=${encodeURIComponent(callbackPath)}`;
}

/** The signed-in account, or a redirect to the sign-in page that comes back to `callbackPath`. */
export async function requireAccount(callbackPath: string): Promise<SessionAccount> {
  const account = await currentAccount();
  if (!account) redirect(signInUrl(callbackPath));
  return account;
}
