import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { accounts, invitations, memberships, organizations, ssoConnections, type Invitation, type OrgRole } from "@/db/schema";
import { recordAudit, type AuditActor } from "@/lib/audit/record";
import { hashPassword, MIN_PASSWORD_LENGTH } from "@/lib/auth/password";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { findAccountByEmail, normalizeEmail } from "@/lib/orgs/accounts";
import { ROLE_LABEL } from "@/lib/orgs/roles";

/**
 * Invitations: how an Owner or Admin brings someone in by hand, beside the IdP. The link carries a secret that is
 * stored only as its SHA-256; it works once, until it expires (INVITATION_TTL_HOURS) or is revoked. There is no
 * outgoing mail: the link is shown once to the inviter (and printed by `member:invite`) to pass on. A mail hook would
 * go in createInvitation, after the transaction commits.
 */

export type InvitableRole = Extract<OrgRole, "admin" | "member">;
export const INVITE_PATH = "/invite/";

const hashOf = (token: string) => createHash("sha256").update(token).digest("hex");

export function invitationUrl(token: string): string {
  return `${getEnv().appUrl.replace(/\/+$/, "")}${INVITE_PATH}${token}`;
}

/**
 * Invites `email` to the org with `role`. Refused when the person is a member already. An earlier open invitation
 * for the same email is replaced (revoked) in the same transaction, so only the newest link works.
 */
export async function createInvitation(
  db: Db,
  actor: AuditActor,
  input: { orgId: string; email: string; role: InvitableRole },
): Promise<{ invitation: Invitation; token: string; url: string }> {
  const email = normalizeEmail(input.email);
  if (input.role !== "admin" && input.role !== "member") throw new AppError("invalid_input", "An invitation is for an Admin or a Member.");
  const token = randomBytes(32).toString("base64url");
  const invitation = await db.transaction(async (tx) => {
    const [member] = await tx
      .select({ role: memberships.role })
      .from(memberships)
      .innerJoin(accounts, eq(accounts.id, memberships.accountId))
      .where(and(eq(memberships.orgId, input.orgId), sql`lower(${accounts.email}) = lower(${email})`));
    if (member) throw new AppError("conflict", `${email} is already a member of this organization (${ROLE_LABEL[member.role]}).`);
    const replaced = await tx
      .update(invitations)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(invitations.orgId, input.orgId), sql`lower(${invitations.email}) = lower(${email})`, openInvitation))
      .returning({ id: invitations.id });
    const [row] = await tx
      .insert(invitations)
      .values({
        orgId: input.orgId,
        email,
        role: input.role,
        tokenHash: hashOf(token),
        invitedBy: actor.kind === "web" ? actor.accountId : null,
        expiresAt: new Date(Date.now() + getEnv().invitationTtlMs),
      })
      .returning();
    await recordAudit(tx, actor, {
      orgId: input.orgId,
      action: "member.invited",
      target: { type: "invitation", id: row!.id, label: email },
      details: {
        role: input.role,
        expiresAt: row!.expiresAt.toISOString(),
        ...(replaced.length ? { replacedInvitations: replaced.length } : {}),
      },
    });
    return row!;
  });
  return { invitation, token, url: invitationUrl(token) };
}

/** An invitation neither accepted nor revoked (it may still have expired). */
const openInvitation = and(isNull(invitations.acceptedAt), isNull(invitations.revokedAt));

export type PendingInvitation = Invitation & { invitedByEmail: string | null; expired: boolean };

/** The org's open invitations, newest first (expired ones too, marked, until someone revokes them or invites again). */
export async function listOpenInvitations(db: DbOrTx, orgId: string, limit = 100): Promise<PendingInvitation[]> {
  const rows = await db
    .select({ invitation: invitations, invitedByEmail: accounts.email, expired: sql<boolean>`${invitations.expiresAt} <= now()` })
    .from(invitations)
    .leftJoin(accounts, eq(accounts.id, invitations.invitedBy))
    .where(and(eq(invitations.orgId, orgId), openInvitation))
    .orderBy(desc(invitations.createdAt))
    .limit(limit);
  return rows.map((r) => ({ ...r.invitation, invitedByEmail: r.invitedByEmail, expired: r.expired }));
}

export async function revokeInvitation(db: Db, actor: AuditActor, orgId: string, invitationId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(invitations)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(invitations.orgId, orgId), eq(invitations.id, invitationId), openInvitation))
      .returning();
    if (!row) throw new AppError("not_found", "That invitation was already used, revoked or replaced.");
    await recordAudit(tx, actor, {
      orgId,
      action: "invitation.revoked",
      target: { type: "invitation", id: row.id, label: row.email },
      details: { role: row.role },
    });
  });
}

export type InvitationState = "open" | "expired" | "accepted" | "revoked";

export type InvitationView = {
  invitation: Invitation;
  state: InvitationState;
  org: { id: string; name: string; requireSso: boolean; sso: boolean };
  invitedByEmail: string | null;
  /** Whether an account with the invited email exists (it then signs in to accept; a new person sets a password). */
  accountExists: boolean;
};

/** What an invitation link opens: the invitation, its state and its org; null for a link that was never issued. */
export async function invitationByToken(db: DbOrTx, token: string): Promise<InvitationView | null> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  const [row] = await db
    .select({
      invitation: invitations,
      orgName: organizations.name,
      sso: sql<boolean>`${ssoConnections.orgId} is not null`,
      requireSso: sql<boolean>`coalesce(${ssoConnections.requireSso}, false)`,
      invitedByEmail: accounts.email,
      expired: sql<boolean>`${invitations.expiresAt} <= now()`,
      accountExists: sql<boolean>`exists (select 1 from ${accounts} a where lower(a.email) = lower(${invitations.email}))`,
    })
    .from(invitations)
    .innerJoin(organizations, eq(organizations.id, invitations.orgId))
    .leftJoin(ssoConnections, eq(ssoConnections.orgId, invitations.orgId))
    .leftJoin(accounts, eq(accounts.id, invitations.invitedBy))
    .where(eq(invitations.tokenHash, hashOf(token)));
  if (!row) return null;
  const i = row.invitation;
  const state: InvitationState = i.acceptedAt ? "accepted" : i.revokedAt ? "revoked" : row.expired ? "expired" : "open";
  return {
    invitation: i,
    state,
    org: { id: i.orgId, name: row.orgName, sso: row.sso, requireSso: row.requireSso },
    invitedByEmail: row.invitedByEmail,
    accountExists: row.accountExists,
  };
}

const REFUSED: Record<Exclude<InvitationState, "open">, string> = {
  expired: "This invitation has expired. Ask an admin of the organization for a new one.",
  accepted: "This invitation was already used. If that was you, sign in.",
  revoked: "This invitation was revoked. Ask an admin of the organization for a new one.",
};

export type Acceptance = { orgId: string; orgName: string; accountId: string; email: string; role: OrgRole; accountCreated: boolean };

/**
 * Accepts an invitation, once: `as` is the signed-in account (its email must be the invited one), or a new
 * person's name and password (when no account has the email; in an org that requires SSO, no password: they sign
 * in through the org's IdP). The membership, the invitation's use and the audit event are one transaction, with the
 * invitation locked, so two acceptances of one link cannot both succeed.
 */
export async function acceptInvitation(
  db: Db,
  token: string,
  as: { account: { id: string; email: string } } | { name: string; password?: string },
  origin: { ip: string | null; userAgent: string | null },
): Promise<Acceptance> {
  const view = await invitationByToken(db, token);
  if (!view) throw new AppError("not_found", "This invitation link is not valid. Check that you copied all of it.");
  if (view.state !== "open") throw new AppError("conflict", REFUSED[view.state]);
  let passwordHash: string | null = null;
  if (!("account" in as)) {
    if (!view.org.requireSso) {
      if (!as.password || as.password.length < MIN_PASSWORD_LENGTH)
        throw new AppError("invalid_input", `Choose a password of at least ${MIN_PASSWORD_LENGTH} characters.`);
      passwordHash = await hashPassword(as.password);
    }
  } else if (as.account.email.toLowerCase() !== view.invitation.email.toLowerCase()) {
    throw new AppError(
      "forbidden",
      `This invitation is for ${view.invitation.email}, and you are signed in as ${as.account.email}. Sign out and open the link again.`,
    );
  }
  return db.transaction(async (tx) => {
    const [locked] = await tx
      .select()
      .from(invitations)
      .where(and(eq(invitations.id, view.invitation.id), openInvitation, sql`${invitations.expiresAt} > now()`))
      .for("update");
    if (!locked) throw new AppError("conflict", "This invitation was used, revoked or expired a moment ago.");
    let accountId: string;
    let accountCreated = false;
    if ("account" in as) accountId = as.account.id;
    else {
      if (await findAccountByEmail(tx, locked.email))
        throw new AppError("conflict", `An account for ${locked.email} exists already: sign in with it to accept the invitation.`);
      const name = as.name.trim().slice(0, 200);
      if (!name) throw new AppError("invalid_input", "Tell us your name.");
      const [created] = await tx.insert(accounts).values({ email: locked.email, name, passwordHash }).returning({ id: accounts.id });
      accountId = created!.id;
      accountCreated = true;
    }
    const joined = await tx
      .insert(memberships)
      .values({ orgId: locked.orgId, accountId, role: locked.role })
      .onConflictDoNothing()
      .returning({ role: memberships.role });
    if (!joined.length) throw new AppError("conflict", `${locked.email} is already a member of ${view.org.name}.`);
    await tx
      .update(invitations)
      .set({ acceptedAt: sql`now()`, acceptedBy: accountId })
      .where(eq(invitations.id, locked.id));
    await recordAudit(
      tx,
      { kind: "web", accountId, email: locked.email, ...origin },
      {
        orgId: locked.orgId,
        action: "invitation.accepted",
        target: { type: "member", id: accountId, label: locked.email },
        details: { role: locked.role, newAccount: accountCreated },
      },
    );
    return { orgId: locked.orgId, orgName: view.org.name, accountId, email: locked.email, role: locked.role, accountCreated };
  });
}
