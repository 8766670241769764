import { and, eq, sql } from "drizzle-orm";
import { queryRows, type Db, type DbOrTx } from "@/db/client";
import { groupMappings, groupMappingStackRoles, scimGroups, stackRoles, stacks } from "@/db/schema";
import { recordAudit, type AuditActor } from "@/lib/audit/record";
import { AppError } from "@/lib/errors";
import { isUuid } from "@/lib/ids";
import { inactiveMembersOf } from "./group-counts";
import { describeMappingChange } from "@/lib/provisioning/describe";
import { flushProvisioningLog, recordMappingEvent } from "@/lib/provisioning/log";
import { type AccessChanges } from "./recompute";
import { applyGroupChange, groupChangeCtes, savedMapping, type GroupChange } from "./group-change";

/**
 * Group mappings: what a SCIM group grants — one org role (Admin or Member) and at most one role per stack.
 * Saving one applies the change to the group's members in one set-based statement (group-change.ts); the preview
 * computes the same change from the same CTEs without making it. (Listing mappings and searching groups:
 * mapping-lists.ts.)
 */
export type MappingInput = { groupId: string; orgRole: "admin" | "member"; stackRoles: Record<string, string | null> };

export type MappingPreview = {
  /** Active, SCIM-managed members of the group (the people the mapping applies to). */
  people: number;
  /** Deactivated members of the group: the mapping gives them nothing until the IdP reactivates them. */
  inactive: number;
  /** People whose access would change. */
  affected: number;
  roleChanges: { to: "admin" | "member"; count: number }[];
  stackChanges: { stack: string; role: string; gained: number; lost: number }[];
};

/** Checks that the group, stacks and roles all belong to the org; returns the group's name and the (stack, role) pairs to grant. */
async function validate(
  db: DbOrTx,
  orgId: string,
  input: MappingInput,
): Promise<{ groupName: string; pairs: { stackId: string; roleId: string }[] }> {
  if (!isUuid(input.groupId)) throw new AppError("not_found", "Choose a SCIM group.");
  if (input.orgRole !== "admin" && input.orgRole !== "member")
    throw new AppError("invalid_input", "The organization role is Admin or Member.");
  const [group] = await db
    .select({ displayName: scimGroups.displayName })
    .from(scimGroups)
    .where(and(eq(scimGroups.orgId, orgId), eq(scimGroups.id, input.groupId)));
  if (!group) throw new AppError("not_found", "That SCIM group does not exist in this organization any more.");
  const pairs = Object.entries(input.stackRoles)
    .filter((e): e is [string, string] => !!e[1])
    .map(([stackId, roleId]) => ({ stackId, roleId }));
  if (pairs.some((p) => !isUuid(p.roleId))) throw new AppError("invalid_input", "Choose a role from the list for each stack.");
  if (pairs.length) {
    const known = await db
      .select({ stackId: stackRoles.stackId, roleId: stackRoles.id })
      .from(stackRoles)
      .innerJoin(stacks, eq(stacks.id, stackRoles.stackId))
      .where(
        and(eq(stacks.orgId, orgId), sql`${stackRoles.id} = any(string_to_array(${pairs.map((p) => p.roleId).join(",")}, ',')::uuid[])`),
      );
    for (const p of pairs)
      if (!known.some((k) => k.stackId === p.stackId && k.roleId === p.roleId))
        throw new AppError("invalid_input", "A stack or stack role no longer exists: reload the page.");
  }
  return { groupName: group.displayName, pairs };
}

/**
 * Who would gain or lose what if `input` were saved — one read-only statement over the group's members, by the
 * group-level rules the save applies (group-change.ts), so the preview and the save cannot disagree.
 */
export async function previewMapping(db: DbOrTx, orgId: string, input: MappingInput): Promise<MappingPreview> {
  const { pairs } = await validate(db, orgId, input);
  const g = input.groupId;
  const saved = await savedMapping(db, g);
  const change: GroupChange = { groupId: g, roleBefore: saved.role, roleAfter: input.orgRole, before: saved.pairs, after: pairs };
  const [row] = await queryRows<{
    people: number;
    inactive: number;
    affected: number;
    role_changes: MappingPreview["roleChanges"] | null;
    stack_changes: MappingPreview["stackChanges"] | null;
  }>(
    db,
    sql`with ${groupChangeCtes(orgId, change)},
        per_pair as (
          select stack_id, stack_role_id, count(*) filter (where kind = 'gained')::int as gained, count(*) filter (where kind = 'lost')::int as lost
          from changes group by stack_id, stack_role_id
        )
        select (select count(*)::int from t) as people, ${inactiveMembersOf(orgId, g)} as inactive,
          (select count(*)::int from (select account_id from moves union select account_id from changes) a) as affected,
          (select json_agg(json_build_object('to', after::text, 'count', n) order by after desc) from (select after, count(*)::int n from moves group by after) r) as role_changes,
          (select json_agg(json_build_object('stack', s.name, 'role', r.name, 'gained', c.gained, 'lost', c.lost) order by s.name, r.name)
             from per_pair c join ${stacks} s on s.id = c.stack_id join ${stackRoles} r on r.id = c.stack_role_id) as stack_changes`,
  );
  return {
    people: row?.people ?? 0,
    inactive: row?.inactive ?? 0,
    affected: row?.affected ?? 0,
    roleChanges: row?.role_changes ?? [],
    stackChanges: row?.stack_changes ?? [],
  };
}

/**
 * Mapping changes lock the group's row, as SCIM membership changes do when they save the group: a member added while
 * the mapping changes is re-derived by one side or the other, never by neither.
 */
async function lockGroupRow(tx: DbOrTx, orgId: string, groupId: string): Promise<string | undefined> {
  const [row] = await queryRows<{ display_name: string }>(
    tx,
    sql`select display_name from ${scimGroups} where org_id = ${orgId} and id = ${groupId}::uuid for update`,
  );
  return row?.display_name;
}

/** Who saved a mapping, as the provisioning log names the "credential" of its event. */
const actorName = (actor: AuditActor) =>
  actor.kind === "cli" ? "Admin CLI" : actor.kind === "system" ? "System" : (actor.email ?? "Org Admin");

/** A group's mapping as the audit trail shows it before and after a change: its org role and (stack, role) names. */
type MappingState = { orgRole: "admin" | "member"; stackRoles: { stack: string; role: string }[] };

async function mappingState(tx: DbOrTx, groupId: string): Promise<MappingState | null> {
  const [row] = await queryRows<{ org_role: MappingState["orgRole"]; stack_roles: MappingState["stackRoles"] }>(
    tx,
    sql`select m.org_role::text as org_role,
          coalesce((select json_agg(json_build_object('stack', s.name, 'role', r.name) order by s.name)
            from ${groupMappingStackRoles} x join ${stacks} s on s.id = x.stack_id join ${stackRoles} r on r.id = x.stack_role_id
            where x.group_id = m.group_id), '[]'::json) as stack_roles
        from ${groupMappings} m where m.group_id = ${groupId}::uuid`,
  );
  return row ? { orgRole: row.org_role, stackRoles: row.stack_roles } : null;
}

/** The counts a save or removal reports, as the audit trail keeps them. */
const counts = (c: AccessChanges) => ({ roleChanges: c.roleChanges, stackGrants: c.stackGrants, stackRevocations: c.stackRevocations });

/**
 * Saves a group's mapping and applies it to its members at once (one transaction, set-based, with its audit event);
 * the provisioning log gets the save as an event too, with the people whose access it changed.
 */
export async function saveMapping(
  db: Db,
  actor: AuditActor,
  orgId: string,
  input: MappingInput,
  byAccountId: string,
): Promise<AccessChanges> {
  const started = performance.now();
  await flushProvisioningLog(); // the SCIM events this process still holds go first: the log reads in id order
  return db.transaction(async (tx) => {
    const { groupName, pairs } = await validate(tx, orgId, input);
    const group = (await lockGroupRow(tx, orgId, input.groupId)) ?? groupName;
    const before = await mappingState(tx, input.groupId);
    const saved = await savedMapping(tx, input.groupId);
    await tx
      .insert(groupMappings)
      .values({ groupId: input.groupId, orgId, orgRole: input.orgRole, updatedBy: byAccountId })
      .onConflictDoUpdate({
        target: groupMappings.groupId,
        set: { orgRole: input.orgRole, updatedBy: byAccountId, updatedAt: new Date() },
      });
    await tx.delete(groupMappingStackRoles).where(eq(groupMappingStackRoles.groupId, input.groupId));
    if (pairs.length)
      await tx
        .insert(groupMappingStackRoles)
        .values(pairs.map((p) => ({ groupId: input.groupId, orgId, stackId: p.stackId, stackRoleId: p.roleId })));
    const changes = await applyGroupChange(tx, orgId, {
      groupId: input.groupId,
      roleBefore: saved.role,
      roleAfter: input.orgRole,
      before: saved.pairs,
      after: pairs,
    });
    await recordAudit(tx, actor, {
      orgId,
      action: before ? "mapping.changed" : "mapping.created",
      target: { type: "group", id: input.groupId, label: groupName },
      details: { before, after: await mappingState(tx, input.groupId), ...counts(changes) },
    });
    await recordMappingEvent(tx, {
      orgId,
      groupId: input.groupId,
      by: actorName(actor),
      summary: describeMappingChange("saved", group, input.orgRole, changes),
      access: changes,
      durationMs: performance.now() - started,
    });
    return changes;
  });
}

/** Removes a group's mapping; its members keep only what their other groups grant. Recorded and logged like a save. */
export async function removeMapping(db: Db, actor: AuditActor, orgId: string, groupId: string): Promise<AccessChanges> {
  if (!isUuid(groupId)) throw new AppError("not_found", "No such mapping.");
  const started = performance.now();
  await flushProvisioningLog(); // the SCIM events this process still holds go first: the log reads in id order
  return db.transaction(async (tx) => {
    const group = (await lockGroupRow(tx, orgId, groupId)) ?? groupId;
    const before = await mappingState(tx, groupId);
    const saved = await savedMapping(tx, groupId);
    const [gone] = await tx
      .delete(groupMappings)
      .where(and(eq(groupMappings.orgId, orgId), eq(groupMappings.groupId, groupId)))
      .returning({ groupName: sql<string>`(select display_name from ${scimGroups} g where g.id = ${groupMappings.groupId})` });
    if (!gone) throw new AppError("not_found", "That group has no mapping.");
    const changes = await applyGroupChange(tx, orgId, { groupId, roleBefore: saved.role, roleAfter: null, before: saved.pairs, after: [] });
    await recordAudit(tx, actor, {
      orgId,
      action: "mapping.removed",
      target: { type: "group", id: groupId, label: gone.groupName },
      details: { before, after: null, ...counts(changes) },
    });
    await recordMappingEvent(tx, {
      orgId,
      groupId,
      by: actorName(actor),
      summary: describeMappingChange("removed", group, undefined, changes),
      access: changes,
      durationMs: performance.now() - started,
    });
    return changes;
  });
}
