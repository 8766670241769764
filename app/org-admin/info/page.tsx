import type { Metadata } from "next";
import { Badge, Card, PageHeader } from "@/components/ui/page-header";
import { CopyField } from "@/components/ui/copy-button";
import { getDb } from "@/db/client";
import { getEnv } from "@/lib/env";
import { adminPage } from "@/app/org-admin/guard";
import { orgStats } from "@/lib/orgs/queries";

export const metadata: Metadata = { title: "Organization Info" };

export default async function OrganizationInfoPage() {
  const ctx = await adminPage("/org-admin/info");
  const stats = await orgStats(await getDb(), ctx.org.id);
  const env = getEnv();
  return (
    <>
      <PageHeader title="Organization Info" description="The details your identity provider and support team ask for." />
      <div className="grid gap-6 lg:grid-cols-3">
        <Card title="Organization" className="lg:col-span-2">
          <dl className="space-y-5">
            <div>
              <dt className="text-sm font-medium text-slate-600">Organization name</dt>
              <dd className="mt-1.5 text-base font-semibold text-slate-900" data-testid="org-name">
                {ctx.org.name}
              </dd>
            </div>
            <CopyField id="org-id" label="Organization ID" value={ctx.org.id} />
            <div className="grid grid-cols-2 gap-4 sm:grid-cols-3">
              <div>
                <dt className="text-sm font-medium text-slate-600">Your role</dt>
                <dd className="mt-1.5">
                  <Badge tone={ctx.role}>{ctx.role === "owner" ? "Owner" : "Admin"}</Badge>
                </dd>
              </div>
              <div>
                <dt className="text-sm font-medium text-slate-600">Region</dt>
                <dd className="mt-1.5 text-sm text-slate-800">{env.regionName}</dd>
              </div>
              <div>
                <dt className="text-sm font-medium text-slate-600">Created</dt>
                <dd className="mt-1.5 text-sm text-slate-800">
                  <time dateTime={ctx.org.createdAt.toISOString()}>
                    {ctx.org.createdAt.toLocaleDateString("en-US", { dateStyle: "medium" })}
                  </time>
                </dd>
              </div>
            </div>
          </dl>
        </Card>
        <Card title="At a glance">
          <dl className="space-y-4">
            <Stat label="Members" value={stats.members} />
            <Stat label="Owners and Admins" value={stats.admins} />
            <Stat label="Stacks" value={stats.stacks} />
            <div className="flex items-center justify-between">
              <dt className="text-sm text-slate-600">SCIM provisioning</dt>
              <dd>{ctx.org.scimEnabled ? <Badge tone="green">Enabled</Badge> : <Badge tone="gray">Off</Badge>}</dd>
            </div>
          </dl>
        </Card>
      </div>
    </>
  );
}

function Stat({ label, value }: { label: string; value: number }) {
  return (
    <div className="flex items-center justify-between">
      <dt className="text-sm text-slate-600">{label}</dt>
      <dd className="text-sm font-semibold text-slate-900 tabular-nums">{value.toLocaleString("en-US")}</dd>
    </div>
  );
}
