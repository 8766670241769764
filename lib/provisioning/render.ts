import type { scimGroups, scimUsers } from "@/db/schema";
import { etagOf } from "@/lib/scim/http";
import { ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, USER_SCHEMA } from "@/lib/scim/schemas";

export type UserRow = typeof scimUsers.$inferSelect;
export type GroupRow = typeof scimGroups.$inferSelect;
export type GroupRef = { id: string; displayName: string };
export type MemberRef = { id: string; display: string };

/** Column values of a raw row (see userRowOf), coerced as drizzle's column types would. */
const col = {
  text: (v: unknown) => (v === null || v === undefined ? null : String(v)),
  date: (v: unknown) => (v instanceof Date ? v : new Date(String(v))),
  json: (v: unknown) => (typeof v === "string" ? JSON.parse(v) : v) as Record<string, unknown>,
};

/**
 * A scim_users row read with raw SQL (`select *` / `returning *`, see queryRows) as the typed row drizzle would give:
 * the hot write path skips drizzle's query building. Keep in step with db/schema.ts (the round-trip test in
 * handler.test.ts compares the two).
 */
export function userRowOf(raw: Record<string, unknown>): UserRow {
  return {
    id: String(raw.id),
    orgId: String(raw.org_id),
    seq: Number(raw.seq),
    accountId: String(raw.account_id),
    userName: String(raw.user_name),
    externalId: col.text(raw.external_id),
    active: raw.active === true,
    displayName: col.text(raw.display_name),
    givenName: col.text(raw.given_name),
    familyName: col.text(raw.family_name),
    primaryEmail: col.text(raw.primary_email),
    emailValues: (raw.email_values as string[] | null) ?? [],
    resource: col.json(raw.resource),
    version: Number(raw.version),
    createdAt: col.date(raw.created_at),
    updatedAt: col.date(raw.updated_at),
  };
}

/** A scim_groups row read with raw SQL, as drizzle would type it (see userRowOf). */
export function groupRowOf(raw: Record<string, unknown>): GroupRow {
  return {
    id: String(raw.id),
    orgId: String(raw.org_id),
    seq: Number(raw.seq),
    displayName: String(raw.display_name),
    externalId: col.text(raw.external_id),
    memberCount: Number(raw.member_count),
    resource: col.json(raw.resource),
    version: Number(raw.version),
    createdAt: col.date(raw.created_at),
    updatedAt: col.date(raw.updated_at),
  };
}

/** `{SCIM origin}/scim/v2.0/organizations/{orgId}`: where meta.location and $ref point (never req.url's host). */
export type ScimBase = string;

/** RFC 7643 §3.1 meta: times from the row, the weak ETag of its version. */
function metaOf(resourceType: "User" | "Group", row: { createdAt: Date; updatedAt: Date; version: number }, location: string) {
  return {
    resourceType,
    created: row.createdAt.toISOString(),
    lastModified: row.updatedAt.toISOString(),
    location,
    version: etagOf(row.version),
  };
}

/** The stored canonical resource → the SCIM User JSON, with meta and the read-only groups. */
export function renderUser(row: UserRow, base: ScimBase, groups?: GroupRef[]): Record<string, unknown> {
  const resource = row.resource;
  const hasEnterprise = ENTERPRISE_USER_SCHEMA in resource;
  const out: Record<string, unknown> = {
    schemas: hasEnterprise ? [USER_SCHEMA, ENTERPRISE_USER_SCHEMA] : [USER_SCHEMA],
    id: row.id,
    ...resource,
    userName: row.userName,
    active: row.active,
  };
  if (groups) out.groups = groups.map((g) => ({ value: g.id, display: g.displayName, $ref: `${base}/Groups/${g.id}`, type: "direct" }));
  out.meta = metaOf("User", row, `${base}/Users/${row.id}`);
  return out;
}

export function renderGroup(row: GroupRow, base: ScimBase, members?: MemberRef[]): Record<string, unknown> {
  const out: Record<string, unknown> = {
    schemas: [GROUP_SCHEMA],
    id: row.id,
    ...(row.externalId ? { externalId: row.externalId } : {}),
    displayName: row.displayName,
  };
  if (members) out.members = members.map((m) => ({ value: m.id, display: m.display, $ref: `${base}/Users/${m.id}`, type: "User" }));
  out.meta = metaOf("Group", row, `${base}/Groups/${row.id}`);
  return out;
}

/** The columns kept beside the jsonb for indexed filtering and sorting. */
export function userColumns(resource: Record<string, unknown>) {
  const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : null);
  const emails = Array.isArray(resource.emails) ? (resource.emails as Record<string, unknown>[]) : [];
  const primary = emails.find((e) => e.primary === true) ?? emails[0];
  const name = (resource.name ?? {}) as Record<string, unknown>;
  return {
    userName: String(resource.userName),
    externalId: str(resource.externalId),
    active: resource.active !== false,
    displayName: str(resource.displayName),
    givenName: str(name.givenName),
    familyName: str(name.familyName),
    primaryEmail: str(primary?.value),
    emailValues: [...new Set(emails.map((e) => str(e.value)?.toLowerCase()).filter((v): v is string => !!v))],
  };
}
