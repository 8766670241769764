import { and, eq, sql } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { accounts, memberships, stackAccess, type OrgRole } from "@/db/schema";
import { recordAudit, type AuditActor } from "@/lib/audit/record";
import { AppError } from "@/lib/errors";
import { ROLE_LABEL } from "@/lib/orgs/roles";

/**
 * Members managed by hand: role changes, removal, ownership transfer. The rules, checked inside the transaction on
 * locked rows (so two admins acting at once cannot break them):
 * - SCIM-managed members are the IdP's: nothing here changes them (their page says so).
 * - The Owner is changed only by transferring ownership, which only the Owner does, to an Admin. An Admin can never
 *   change or remove the Owner.
 * - The org always keeps its Owner, so it always has an Owner or Admin; nobody removes themselves here.
 */

export type Acting = { actor: AuditActor; accountId: string; role: OrgRole };

type Target = { accountId: string; email: string; role: OrgRole; scimManaged: boolean };

/** The member, locked until the end of the transaction; refused when they are not in the org. */
async function lockMember(tx: Tx, orgId: string, accountId: string): Promise<Target> {
  const [row] = await tx
    .select({ accountId: memberships.accountId, email: accounts.email, role: memberships.role, scimManaged: memberships.scimManaged })
    .from(memberships)
    .innerJoin(accounts, eq(accounts.id, memberships.accountId))
    .where(and(eq(memberships.orgId, orgId), eq(memberships.accountId, accountId)))
    .for("update", { of: memberships });
  if (!row) throw new AppError("not_found", "That person is not a member of this organization any more.");
  return row;
}

function checkManageable(by: Acting, target: Target, verb: string): void {
  if (target.accountId === by.accountId) throw new AppError("forbidden", `You cannot ${verb} yourself.`);
  if (target.role === "owner")
    throw new AppError(
      "forbidden",
      by.role === "owner"
        ? "You are the Owner: transfer ownership to an Admin first."
        : `${target.email} is the Owner: only the Owner can hand over ownership, and nobody can ${verb} the Owner.`,
    );
  if (target.scimManaged)
    throw new AppError("forbidden", `${target.email} is managed by your identity provider: change their groups there instead.`);
}

/** Changes a hand-managed member's role (Admin ↔ Member). */
export async function changeMemberRole(db: Db, orgId: string, by: Acting, accountId: string, role: "admin" | "member"): Promise<void> {
  if (role !== "admin" && role !== "member") throw new AppError("invalid_input", "A member's role is Admin or Member.");
  await db.transaction(async (tx) => {
    const target = await lockMember(tx, orgId, accountId);
    checkManageable(by, target, "change the role of");
    if (target.role === role) return;
    await tx
      .update(memberships)
      .set({ role, updatedAt: new Date() })
      .where(and(eq(memberships.orgId, orgId), eq(memberships.accountId, accountId)));
    await recordAudit(tx, by.actor, {
      orgId,
      action: "member.role_changed",
      target: { type: "member", id: accountId, label: target.email },
      details: { from: target.role, to: role },
    });
  });
}

/** Removes a hand-managed member: their membership and stack roles in the org go; the account stays. */
export async function removeMember(db: Db, orgId: string, by: Acting, accountId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const target = await lockMember(tx, orgId, accountId);
    checkManageable(by, target, "remove");
    const revoked = await tx
      .delete(stackAccess)
      .where(and(eq(stackAccess.orgId, orgId), eq(stackAccess.accountId, accountId)))
      .returning({ stackId: stackAccess.stackId });
    await tx.delete(memberships).where(and(eq(memberships.orgId, orgId), eq(memberships.accountId, accountId)));
    await recordAudit(tx, by.actor, {
      orgId,
      action: "member.removed",
      target: { type: "member", id: accountId, label: target.email },
      details: { role: target.role, stackRolesRemoved: revoked.length },
    });
  });
}

/** The Owner hands ownership to an Admin made in the portal; the Owner becomes an Admin. */
export async function transferOwnership(db: Db, orgId: string, by: Acting, toAccountId: string): Promise<void> {
  if (by.role !== "owner") throw new AppError("forbidden", "Only the Owner can transfer ownership.");
  await db.transaction(async (tx) => {
    // The Owner's row first, then the Admin's: the order every transfer takes, so two cannot deadlock.
    const owner = await lockMember(tx, orgId, by.accountId);
    if (owner.role !== "owner") throw new AppError("forbidden", "Only the Owner can transfer ownership.");
    const target = await lockMember(tx, orgId, toAccountId);
    if (target.accountId === owner.accountId) throw new AppError("invalid_input", "You are the Owner already.");
    if (target.role !== "admin")
      throw new AppError(
        "invalid_input",
        `Ownership goes to an Admin: make ${target.email} an Admin first (now ${ROLE_LABEL[target.role]}).`,
      );
    if (target.scimManaged)
      throw new AppError(
        "forbidden",
        `${target.email} is managed by your identity provider, whose groups could take their role away: choose an Admin made in the portal.`,
      );
    // One Owner at a time (memberships_one_owner_uq): the Owner steps down first.
    await tx
      .update(memberships)
      .set({ role: "admin", updatedAt: sql`now()` })
      .where(and(eq(memberships.orgId, orgId), eq(memberships.accountId, owner.accountId)));
    await tx
      .update(memberships)
      .set({ role: "owner", updatedAt: sql`now()` })
      .where(and(eq(memberships.orgId, orgId), eq(memberships.accountId, target.accountId)));
    await recordAudit(tx, by.actor, {
      orgId,
      action: "ownership.transferred",
      target: { type: "member", id: target.accountId, label: target.email },
      details: { from: owner.email, to: target.email },
    });
  });
}
