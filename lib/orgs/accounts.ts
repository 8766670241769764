import { sql } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/db/client";
import { accounts, type Account } from "@/db/schema";
import { AppError } from "@/lib/errors";

const emailSchema = z.email();

/** Trims an email and checks its shape; the case is kept (uniqueness is case-insensitive). */
export function normalizeEmail(raw: string): string {
  const email = raw.trim();
  if (!emailSchema.safeParse(email).success) throw new AppError("invalid_input", `"${raw}" is not an email address.`);
  return email;
}

export async function findAccountByEmail(db: DbOrTx, email: string): Promise<Account | undefined> {
  const [row] = await db
    .select()
    .from(accounts)
    .where(sql`lower(${accounts.email}) = lower(${email.trim()})`)
    .limit(1);
  return row;
}
