import type { Metadata } from "next";
import { eq } from "drizzle-orm";
import { Badge, Card, PageHeader } from "@/components/ui/page-header";
import { CopyField } from "@/components/ui/copy-button";
import { getDb } from "@/db/client";
import { accounts } from "@/db/schema";
import { adminPage } from "@/lib/org-admin/guard";
import { connectionDetails } from "@/lib/org-admin/urls";

export const metadata: Metadata = { title: "SCIM" };

export default async function ScimPage() {
  const { ctx, denied } = await adminPage("/org-admin/scim");
  if (denied) return denied;
  const { org } = ctx;
  const details = connectionDetails(org.id);
  const changedBy = org.scimEnabledChangedBy
    ? (await (await getDb()).select({ email: accounts.email }).from(accounts).where(eq(accounts.id, org.scimEnabledChangedBy)).limit(1))[0]?.email
    : undefined;
  return (
    <>
      <PageHeader
        title="SCIM"
        description="Let your identity provider (Okta, Entra ID or any SCIM 2.0 client) create, update and deactivate this organization's users and groups."
      />
      <div className="space-y-6">
        <Card title="Provisioning status">
          <div className="flex flex-wrap items-center gap-3">
            {org.scimEnabled ? <Badge tone="green">SCIM enabled</Badge> : <Badge tone="gray">SCIM off</Badge>}
            <p className="text-sm text-slate-600">
              {org.scimEnabledChangedAt
                ? `${org.scimEnabled ? "Enabled" : "Turned off"} ${changedBy ? `by ${changedBy} ` : ""}on ${org.scimEnabledChangedAt.toLocaleString("en-US", { dateStyle: "medium", timeStyle: "short" })}.`
                : "SCIM has never been enabled for this organization."}
            </p>
          </div>
        </Card>
        <Card title="Connection details" description={`Region: ${details.regionName}. Paste these into your identity provider's app settings.`}>
          <dl className="space-y-5">
            <CopyField id="org-id" label="Organization ID" value={org.id} />
            <CopyField id="application-url" label="Application URL" value={details.applicationUrl} />
            <CopyField id="scim-base-url" label="SCIM Base URL" value={details.scimBaseUrl} />
          </dl>
        </Card>
      </div>
    </>
  );
}
