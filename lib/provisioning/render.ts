// What the rendering of Users (users/resource.ts) and Groups (groups/resource.ts) shares: row types, meta.
import type { scimGroups, scimUsers } from "@/db/schema";
import { etagOf } from "@/lib/scim/http";

export type UserRow = typeof scimUsers.$inferSelect;
export type GroupRow = typeof scimGroups.$inferSelect;
export type GroupRef = { id: string; displayName: string };
export type MemberRef = { id: string; display: string };

/** `{SCIM origin}/scim/v2.0/organizations/{orgId}`: where meta.location and $ref point (never req.url's host). */
export type ScimBase = string;

/** RFC 7643 §3.1 meta: times from the row, the weak ETag of its version. */
export function metaOf(resourceType: "User" | "Group", row: { createdAt: Date; updatedAt: Date; version: number }, location: string) {
  return {
    resourceType,
    created: row.createdAt.toISOString(),
    lastModified: row.updatedAt.toISOString(),
    location,
    version: etagOf(row.version),
  };
}
