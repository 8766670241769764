import type { Db } from "@/db/client";
import { accounts, memberships, organizations, type Organization } from "@/db/schema";
import { hashPassword, MIN_PASSWORD_LENGTH } from "@/lib/auth/password";
import { AppError } from "@/lib/errors";
import { newOpaqueId } from "@/lib/ids";
import { findAccountByEmail, normalizeEmail } from "./accounts";

export type CreateOrganizationInput = {
  name: string;
  ownerEmail: string;
  /** Required when the owner has no account yet; an existing account's password is never changed here. */
  ownerPassword?: string;
  ownerName?: string;
};

export type CreateOrganizationResult = { org: Organization; ownerAccountId: string; ownerCreated: boolean };

/** Creates an organization and its Owner (a new or existing account) in one transaction. */
export async function createOrganization(db: Db, input: CreateOrganizationInput): Promise<CreateOrganizationResult> {
  const name = input.name.trim();
  if (!name) throw new AppError("invalid_input", "An organization needs a name.");
  if (name.length > 200) throw new AppError("invalid_input", "An organization name has at most 200 characters.");
  const email = normalizeEmail(input.ownerEmail);
  const existing = await findAccountByEmail(db, email);
  let passwordHash: string | null = null;
  if (!existing) {
    if (!input.ownerPassword) throw new AppError("invalid_input", `No account exists for ${email}: give the owner a password.`);
    if (input.ownerPassword.length < MIN_PASSWORD_LENGTH)
      throw new AppError("invalid_input", `A password has at least ${MIN_PASSWORD_LENGTH} characters.`);
    passwordHash = await hashPassword(input.ownerPassword);
  }
  return db.transaction(async (tx) => {
    let accountId = existing?.id;
    let created = false;
    if (!accountId) {
      const [row] = await tx
        .insert(accounts)
        .values({ email, name: input.ownerName?.trim() ?? "", passwordHash })
        .onConflictDoNothing()
        .returning({ id: accounts.id });
      if (row) {
        accountId = row.id;
        created = true;
      } else {
        const again = await findAccountByEmail(tx, email);
        if (!again) throw new Error("account vanished during organization creation");
        accountId = again.id;
      }
    }
    const [org] = await tx.insert(organizations).values({ id: newOpaqueId(), name }).returning();
    if (!org) throw new Error("insert returned no row");
    await tx.insert(memberships).values({ orgId: org.id, accountId, role: "owner" });
    return { org, ownerAccountId: accountId, ownerCreated: created };
  });
}
