import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ScimTabs } from "@/components/scim/scim-tabs";
import { Breadcrumbs, listHref, type Crumb } from "@/components/ui/breadcrumbs";
import { listParams } from "@/components/ui/list-controls";
import { Badge, Card, formatWhen, PageHeader, ROLE_LABEL } from "@/components/ui/page-header";
import type { OrgRole } from "@/db/schema";
import { and, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { scimGroups } from "@/db/schema";
import { isUuid } from "@/lib/ids";
import { adminPage } from "@/app/org-admin/guard";
import { roleExplanation } from "@/lib/access/explain";
import { explainUser } from "@/lib/provisioning/queries";
import { handOverOf } from "@/lib/access/hand-to-scim";
import { HandToScim } from "@/components/scim/hand-to-scim";
import { LogEntry } from "@/components/scim/log-entry";

export const metadata: Metadata = { title: "Provisioned user" };

/**
 * Where "back" goes: the list the admin came from, at the same search and page — a group's members (`?group=`) or
 * the provisioned users.
 */
async function backTrail(orgId: string, sp: Record<string, string | string[] | undefined>): Promise<Crumb[]> {
  const view = listParams(sp);
  const groupId = typeof sp.group === "string" && isUuid(sp.group) ? sp.group : null;
  const [group] = groupId
    ? await (
        await getDb()
      )
        .select({ id: scimGroups.id, displayName: scimGroups.displayName })
        .from(scimGroups)
        .where(and(eq(scimGroups.orgId, orgId), eq(scimGroups.id, groupId)))
    : [];
  if (group)
    return [
      { label: "Groups", href: "/org-admin/scim/groups" },
      { label: group.displayName, href: listHref(`/org-admin/scim/groups/${group.id}`, view) },
    ];
  return [{ label: "Provisioned users", href: listHref("/org-admin/scim/users", view) }];
}

export default async function ScimUserPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { id } = await params;
  const ctx = await adminPage(`/org-admin/scim/users/${id}`);
  const [found, trail] = await Promise.all([
    isUuid(id) ? explainUser(await getDb(), ctx.org.id, id) : null,
    backTrail(ctx.org.id, await searchParams),
  ]);
  // 404 with its page (not-found.tsx beside this one): the id is not a provisioned user of this org.
  if (!found) notFound();
  const { user, role, roleReason, groups, stackGrants, events } = found;
  const handOver = await handOverOf(await getDb(), ctx.org.id, user.accountId);
  return (
    <>
      <PageHeader title="SCIM" />
      <ScimTabs />
      <Breadcrumbs items={[...trail, { label: user.userName }]} />
      <div className="mb-6 flex flex-wrap items-center gap-3">
        <h2 className="text-lg font-semibold text-slate-900">{user.userName}</h2>
        {user.active ? <Badge tone="green">Active</Badge> : <Badge tone="gray">Deactivated</Badge>}
        <span className="font-mono text-xs text-slate-500">SCIM id {user.id}</span>
      </div>
      {handOver && (
        <div
          role="note"
          className="mb-6 flex flex-wrap items-center gap-4 rounded-xl border border-amber-200 bg-amber-50 px-5 py-4 text-sm text-amber-900"
        >
          <p className="min-w-0 flex-1">
            <strong>Added in the portal before SCIM linked them.</strong> SCIM does not change their role ({ROLE_LABEL[handOver.role]}) and
            does not remove them when the identity provider deactivates them. Their groups would make them {ROLE_LABEL[handOver.scimRole]}.
          </p>
          <HandToScim
            userId={user.id}
            email={user.userName}
            orgName={ctx.org.name}
            role={ROLE_LABEL[handOver.role]}
            scimRole={ROLE_LABEL[handOver.scimRole]}
          />
        </div>
      )}
      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Access, and why">
          <dl className="space-y-4 text-sm">
            <div>
              <dt className="font-medium text-slate-900">Organization role: {role ? ROLE_LABEL[role as OrgRole] : "none"}</dt>
              <dd className="mt-0.5 text-slate-600" data-testid="role-reason">
                {roleExplanation(role ? ROLE_LABEL[role as OrgRole] : null, { role, roleReason })}
              </dd>
            </div>
            <div>
              <dt className="font-medium text-slate-900">Stack roles</dt>
              <dd className="mt-0.5">
                {stackGrants.length ? (
                  <ul className="space-y-1 text-slate-700" aria-label="Stack roles and where they come from">
                    {stackGrants.map((g) => (
                      <li key={g.what}>
                        {g.what} — from {g.from.join(", ")}
                      </li>
                    ))}
                  </ul>
                ) : (
                  <span className="text-slate-500">None</span>
                )}
              </dd>
            </div>
            <div>
              <dt className="font-medium text-slate-900">Groups</dt>
              <dd className="mt-0.5 text-slate-700">
                {groups.length ? (
                  <ul className="flex flex-wrap gap-x-3 gap-y-1" aria-label="Groups">
                    {groups.map((g) => (
                      <li key={g.id}>
                        <Link href={`/org-admin/scim/groups/${g.id}`} className="text-indigo-700 hover:underline">
                          {g.name}
                        </Link>
                        {g.org_role ? "" : <span className="text-slate-500"> (not mapped)</span>}
                      </li>
                    ))}
                  </ul>
                ) : (
                  <span className="text-slate-500">None</span>
                )}
              </dd>
            </div>
          </dl>
        </Card>
        <Card title="Profile from the identity provider">
          <dl className="grid grid-cols-3 gap-x-4 gap-y-2 text-sm">
            <dt className="text-slate-500">Name</dt>
            <dd className="col-span-2 text-slate-800">
              {user.displayName ?? ([user.givenName, user.familyName].filter(Boolean).join(" ") || "—")}
            </dd>
            <dt className="text-slate-500">Email</dt>
            <dd className="col-span-2 text-slate-800">{user.primaryEmail ?? "—"}</dd>
            <dt className="text-slate-500">externalId</dt>
            <dd className="col-span-2 font-mono text-xs text-slate-800">{user.externalId ?? "—"}</dd>
            <dt className="text-slate-500">Last change</dt>
            <dd className="col-span-2 text-slate-800">{formatWhen(user.updatedAt)}</dd>
          </dl>
        </Card>
      </div>
      <Card
        title="Provisioning history"
        description="Every event that touched this person, newest first: requests on them, group membership changes and mapping saves."
        className="mt-6"
      >
        {events.length === 0 ? (
          <p className="text-sm text-slate-500">No events recorded for this user.</p>
        ) : (
          <ol className="-mx-5 -my-3 divide-y divide-slate-100" aria-label="Provisioning history">
            {events.map((e) => (
              <li key={e.id}>
                <LogEntry e={e} />
              </li>
            ))}
          </ol>
        )}
      </Card>
    </>
  );
}
