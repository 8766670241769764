import { sql } from "drizzle-orm";
import { auditEvents, memberships } from "@/db/schema";
import { queryRows, type DbOrTx } from "@/db/client";
import type { AuditAction } from "./actions";

/**
 * Who did something, as the audit trail records them. `web`: a signed-in person in Org Admin (or on a page of ours,
 * such as the consent screen or an invitation); `cli`: the admin command line (no person); `sso` / `password`: a
 * sign-in, successful or refused (the account is null when no account was found); `system`: the portal itself.
 */
export type AuditActor =
  | { kind: "web"; accountId: string; email: string; ip: string | null; userAgent: string | null }
  | { kind: "sso" | "password"; accountId: string | null; email: string | null; ip: string | null; userAgent: string | null }
  | { kind: "cli" }
  | { kind: "system" };

export const CLI_ACTOR: AuditActor = { kind: "cli" };
/** The portal itself: the demo seed, test and benchmark fixtures. */
export const SYSTEM_ACTOR: AuditActor = { kind: "system" };

export type AuditEntry = {
  orgId: string;
  action: AuditAction;
  /** What it was done to, named as it was at the time (an email, a group's displayName, a token's name). */
  target?: { type: string; id?: string | null; label?: string | null };
  /** What changed: before/after, counts, a refusal's reason. Never a secret. */
  details?: Record<string, unknown>;
};

const MAX_USER_AGENT = 512;

/** An event's columns but its org. */
function eventColumns(actor: AuditActor, entry: Omit<AuditEntry, "orgId">) {
  const person = actor.kind === "cli" || actor.kind === "system" ? null : actor;
  return {
    actorKind: actor.kind,
    actorAccountId: person?.accountId ?? null,
    actorEmail: person?.email ?? null,
    ip: person?.ip ?? null,
    userAgent: person?.userAgent?.slice(0, MAX_USER_AGENT) ?? null,
    action: entry.action,
    targetType: entry.target?.type ?? null,
    targetId: entry.target?.id ?? null,
    targetLabel: entry.target?.label ?? null,
    details: entry.details ?? null,
  };
}

/**
 * Records one audit event. Call it with the transaction of the action it records, so both commit or neither does.
 */
export async function recordAudit(db: DbOrTx, actor: AuditActor, entry: AuditEntry): Promise<void> {
  await db.insert(auditEvents).values({ orgId: entry.orgId, ...eventColumns(actor, entry) });
}

/**
 * Records the same event in every org the account is a member of, in one statement (an INSERT … SELECT over its
 * memberships): a password sign-in, which belongs to no one org.
 */
export async function recordAuditInOrgsOf(db: DbOrTx, actor: AuditActor, accountId: string, entry: Omit<AuditEntry, "orgId">) {
  const c = eventColumns(actor, entry);
  await queryRows(
    db,
    sql`insert into ${auditEvents} (org_id, actor_kind, actor_account_id, actor_email, ip, user_agent, action, target_type, target_id, target_label, details)
        select m.org_id, ${c.actorKind}, ${c.actorAccountId}::uuid, ${c.actorEmail}, ${c.ip}, ${c.userAgent}, ${c.action},
          ${c.targetType}, ${c.targetId}, ${c.targetLabel}, ${c.details === null ? null : JSON.stringify(c.details)}::jsonb
        from ${memberships} m where m.account_id = ${accountId}::uuid`,
  );
}
