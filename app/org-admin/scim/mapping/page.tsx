import type { Metadata } from "next";
import { MappingEditor, type InitialMapping } from "@/components/scim/mapping-editor";
import { MappingList } from "@/components/scim/mapping-list";
import { MappingWorkspace } from "@/components/scim/mapping-workspace";
import { ScimTabs } from "@/components/scim/scim-tabs";
import { Card, PageHeader } from "@/components/ui/page-header";
import { and, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { scimGroups } from "@/db/schema";
import { isUuid } from "@/lib/ids";
import { memberCounts, NO_MEMBERS } from "@/lib/access/group-counts";
import { listMappings } from "@/lib/access/mapping-lists";
import { adminPage } from "@/app/org-admin/guard";
import { listStacks } from "@/lib/orgs/queries";

export const metadata: Metadata = { title: "Group mapping" };

export default async function MappingPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await adminPage("/org-admin/scim/mapping");
  const db = await getDb();
  const [stacks, mappings] = await Promise.all([listStacks(db, ctx.org.id), listMappings(db, ctx.org.id)]);
  const editing = (await searchParams).group;
  const current = typeof editing === "string" ? mappings.find((m) => m.groupId === editing) : undefined;
  // ?group=… opens the editor on that group: its mapping when it has one, else a new mapping for it.
  const unmapped =
    typeof editing === "string" && !current && isUuid(editing)
      ? (
          await db
            .select()
            .from(scimGroups)
            .where(and(eq(scimGroups.orgId, ctx.org.id), eq(scimGroups.id, editing)))
        )[0]
      : undefined;
  const initial: InitialMapping = current
    ? {
        group: { id: current.groupId, displayName: current.group, members: current.members },
        orgRole: current.orgRole,
        stackRoles: Object.fromEntries(current.stackRoles.map((r) => [r.stackId, r.roleId])),
      }
    : unmapped
      ? {
          group: {
            id: unmapped.id,
            displayName: unmapped.displayName,
            members: (await memberCounts(db, ctx.org.id, [unmapped.id])).get(unmapped.id) ?? NO_MEMBERS,
          },
          orgRole: "member",
          stackRoles: {},
        }
      : null;
  return (
    <>
      <PageHeader title="SCIM" description="Decide what access each group from your identity provider grants in this organization." />
      <ScimTabs />
      <MappingWorkspace>
        <div className="space-y-6">
          <Card
            title={current ? `Edit mapping: ${current.group}` : "Group mapping"}
            description="Everyone in the group gets this organization role and these stack roles. The highest organization role among a person's groups wins; stack roles add up."
          >
            <MappingEditor
              key={initial?.group.id ?? "new"}
              stacks={stacks.map((s) => ({ id: s.id, name: s.name, roles: s.roles }))}
              initial={initial}
            />
          </Card>
          <Card title="Mappings">
            <MappingList
              rows={mappings.map((m) => ({
                groupId: m.groupId,
                group: m.group,
                members: m.members,
                orgRole: m.orgRole,
                stackRoles: m.stackRoles,
              }))}
            />
          </Card>
        </div>
      </MappingWorkspace>
    </>
  );
}
