import { scimGroupMembers, scimGroups } from "@/db/schema";
import { invalidFilter, notFound, type ScimError } from "@/lib/scim/errors";
import { type GroupResource } from "@/lib/scim/normalize";
import { GROUP_SCHEMA } from "@/lib/scim/schemas";
import {
  jsonResolved,
  membershipSet,
  metaResolved,
  notSupported,
  resolveDef,
  scalar,
  str,
  uuidField,
  type Resolved,
} from "../filter-sql-fields";
import { sortKeys } from "../paging";
import { metaOf, type GroupRow, type MemberRef, type ScimBase } from "../render";
import type { ResourceDefinition } from "../resource";
import { quote } from "@/lib/scim/quote";

/**
 * The SCIM Group as stored: displayName and externalId in columns, members as rows of scim_group_members, extra
 * attributes in the `resource` jsonb; the columns a write sets, the sortBy keys and the rendering. See resource.ts.
 */

export function groupNotFound(id: string): ScimError {
  return notFound(`No Group with id "${quote(id)}" exists in this organization.`);
}

// ─── Attributes (the filter compiler and sortBy) ─────────────────────────────────────────────────────────────

const MEMBERS_HINT = ` (only members.value eq "<user id>" and members pr are)`;
const groupMembersSet = membershipSet("members", scimGroupMembers.groupId, scimGroups.id, (sub) => {
  if (sub.toLowerCase() === "value") return uuidField("members.value", scimGroupMembers.userId, ["eq"]);
  if (["display", "type", "$ref"].includes(sub.toLowerCase())) return notSupported(`members.${sub}`, MEMBERS_HINT);
  throw invalidFilter(`Unknown attribute "members.${quote(sub)}" in the filter: members has no sub-attribute "${quote(sub)}"`);
});

export function resolveGroup(attrPath: string): Resolved {
  const r = resolveDef("Group", attrPath);
  const label = r.path.join(".");
  if (r.schema === GROUP_SCHEMA) {
    switch (r.path[0]) {
      case "id":
        return scalar(uuidField(label, scimGroups.id));
      case "externalId":
        return scalar(str(label, scimGroups.externalId, true));
      case "displayName":
        return scalar(str(label, scimGroups.displayName));
      case "meta":
        return metaResolved("Group", scimGroups, r);
      case "members":
        return { kind: "multi", set: groupMembersSet, sub: r.sub?.name };
    }
  }
  return jsonResolved(r, scimGroups.resource, GROUP_SCHEMA, label);
}

// ─── Columns written, rendering ───────────────────────────────────────────────────────────────────────────────

/** The scim_groups columns a write sets from the resource (members are rows of their own). */
export function groupWritten(group: GroupResource) {
  return { displayName: group.displayName, externalId: group.externalId ?? null };
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

/** sortBy: the attributes clients sort on. */
export const GROUP_SORT = sortKeys(resolveGroup, ["id", "displayName", "externalId", "meta.created", "meta.lastModified"]);

export const GROUP_RESOURCE = {
  type: "Group",
  core: GROUP_SCHEMA,
  table: scimGroups,
  resolve: resolveGroup,
  sort: GROUP_SORT,
  written: groupWritten,
  render: renderGroup,
  notFound: groupNotFound,
} satisfies ResourceDefinition<typeof scimGroups, GroupRow, GroupResource, MemberRef[]>;
