import { auditEvents } from "@/db/schema";
import type { DbOrTx } from "@/db/client";
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

export type AuditEntry = {
  orgId: string;
  action: AuditAction;
  /** What it was done to, named as it was at the time (an email, a group's displayName, a token's name). */
  target?: { type: string; id?: string | null; label?: string | null };
  /** What changed: before/after, counts, a refusal's reason. Never a secret. */
  details?: Record<string, unknown>;
};

const MAX_USER_AGENT = 512;

/**
 * Records one audit event. Call it with the transaction of the action it records, so both commit or neither does.
 */
export async function recordAudit(db: DbOrTx, actor: AuditActor, entry: AuditEntry): Promise<void> {
  const person = actor.kind === "cli" || actor.kind === "system" ? null : actor;
  await db.insert(auditEvents).values({
    orgId: entry.orgId,
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
  });
}
