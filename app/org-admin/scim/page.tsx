import type { Metadata } from "next";
import { eq } from "drizzle-orm";
import { ActivityChart } from "@/components/scim/activity-chart";
import { ConnectedApps } from "@/components/scim/connected-apps";
import { GuideUrl } from "@/components/scim/guide-url";
import { ScimTabs } from "@/components/scim/scim-tabs";
import { EnableScimSwitch } from "@/components/scim/enable-scim-switch";
import { TokenPanel } from "@/components/scim/token-panel";
import { Badge, Card, formatWhen, PageHeader } from "@/components/ui/page-header";
import { CopyField } from "@/components/ui/copy-button";
import { getDb } from "@/db/client";
import { accounts } from "@/db/schema";
import { getEnv } from "@/lib/env";
import { listGrants } from "@/lib/oauth/grants";
import { adminPage } from "@/app/org-admin/guard";
import { connectionDetails } from "@/lib/org-admin/urls";
import { listScimTokens } from "@/lib/credentials/scim-tokens";
import { activity, type ActivityRange } from "@/lib/provisioning/activity";

export const metadata: Metadata = { title: "SCIM" };

export default async function ScimPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await adminPage("/org-admin/scim");
  const range: ActivityRange = (await searchParams).activity === "30d" ? "30d" : "24h";
  const { org } = ctx;
  const db = await getDb();
  const details = connectionDetails(org.id);
  const [changedBy, tokens, grants, buckets] = await Promise.all([
    org.scimEnabledChangedBy
      ? db
          .select({ email: accounts.email })
          .from(accounts)
          .where(eq(accounts.id, org.scimEnabledChangedBy))
          .limit(1)
          .then((r) => r[0]?.email)
      : undefined,
    listScimTokens(db, org.id),
    listGrants(db, org.id),
    activity(db, org.id, range),
  ]);
  const clientName = new Map(getEnv().oauthClients.map((c) => [c.id, c.name]));
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return (
    <>
      <PageHeader
        title="SCIM"
        description="Let your identity provider (Okta, Entra ID or any SCIM 2.0 client) create, update and deactivate this organization's users and groups."
      />
      <ScimTabs />
      <div className="space-y-6">
        <Card title="Provisioning">
          <div className="flex flex-wrap items-center justify-between gap-4">
            <EnableScimSwitch enabled={org.scimEnabled} orgName={org.name} />
            <div className="flex items-center gap-3 text-sm text-slate-600">
              {org.scimEnabled ? <Badge tone="green">SCIM enabled</Badge> : <Badge tone="gray">SCIM off</Badge>}
              <span data-testid="scim-status">
                {org.scimEnabledChangedAt
                  ? `${org.scimEnabled ? "Enabled" : "Turned off"} ${changedBy ? `by ${changedBy} ` : ""}on ${formatWhen(org.scimEnabledChangedAt)}.`
                  : "SCIM has never been enabled for this organization."}
              </span>
            </div>
          </div>
        </Card>
        <Card
          title="Provisioning activity"
          description={`SCIM requests and errors per ${range === "24h" ? "hour, last 24 hours" : "day, last 30 days"}. Open a bar to see its requests in the log.`}
        >
          <ActivityChart buckets={buckets} range={range} />
        </Card>
        <Card
          title="Connection details"
          description={`Region: ${details.regionName}. Paste these into your identity provider's app settings.`}
        >
          <dl className="space-y-5">
            <CopyField id="org-id" label="Organization ID" value={org.id} />
            <CopyField id="application-url" label="Application URL" value={details.applicationUrl} />
            <CopyField id="scim-base-url" label="SCIM Base URL" value={details.scimBaseUrl} />
          </dl>
        </Card>
        <div className="grid gap-6 lg:grid-cols-2">
          <Card title="Connect Okta">
            <ol className="list-decimal space-y-2 pl-5 text-sm leading-6 text-slate-600" aria-label="Connect Okta">
              <li>
                In Okta, open the app → <strong className="font-medium text-slate-800">Provisioning</strong> →{" "}
                <strong className="font-medium text-slate-800">Configure API Integration</strong>. Where its sign-on settings ask for the
                Application URL, it is <GuideUrl value={details.applicationUrl} label="Copy the Okta guide's Application URL" />
              </li>
              <li>
                Paste the SCIM Base URL{" "}
                <GuideUrl value={details.scimBaseUrl} label="Copy the Okta guide's SCIM Base URL" testId="okta-guide-base-url" />
              </li>
              <li data-testid="okta-guide-authenticate">
                Click{" "}
                <strong className="font-medium text-slate-800">
                  Authenticate with <var className="font-normal">your app&apos;s name in Okta</var>
                </strong>{" "}
                (Okta names the button after the app). Okta opens this portal&apos;s consent screen: signed in as an Owner or Admin of{" "}
                {org.name}, check the organization and click <strong className="font-medium text-slate-800">Authorize &amp; Install</strong>
                .
              </li>
              <li>
                <strong className="font-medium text-slate-800">Test API Credentials</strong>, save, then turn on Create Users, Update User
                Attributes and Deactivate Users, and push your groups.
              </li>
              <li>If Okta later says it cannot authenticate (its refresh token was revoked or expired), click Authenticate again.</li>
            </ol>
          </Card>
          <Card title="Connect Entra ID">
            <ol className="list-decimal space-y-2 pl-5 text-sm leading-6 text-slate-600" aria-label="Connect Entra ID">
              <li>Generate a secret token below.</li>
              <li>
                In Entra ID, open the enterprise app → <strong className="font-medium text-slate-800">Provisioning</strong> → mode{" "}
                <strong className="font-medium text-slate-800">Automatic</strong>.
              </li>
              <li>
                Tenant URL:{" "}
                <GuideUrl value={details.scimBaseUrl} label="Copy the Entra ID guide's Tenant URL" testId="entra-guide-tenant-url" /> Secret
                Token: the token.
              </li>
              <li>
                <strong className="font-medium text-slate-800">Test Connection</strong>, save, assign users and groups, and start
                provisioning.
              </li>
            </ol>
          </Card>
        </div>
        <Card
          title="Secret tokens"
          description="For identity providers that authenticate with a bearer token. Only a hash is stored: a token is shown once."
        >
          <TokenPanel
            tokens={tokens.map((t) => ({
              ...t,
              createdAt: t.createdAt.toISOString(),
              lastUsedAt: iso(t.lastUsedAt),
              expiresAt: iso(t.expiresAt),
              revokedAt: iso(t.revokedAt),
            }))}
          />
        </Card>
        <Card title="Connected apps" description="Apps you authorized with OAuth (Okta's “Authenticate with” button).">
          <ConnectedApps
            grants={grants.map((g) => ({
              id: g.id,
              app: clientName.get(g.clientId) ?? g.clientId,
              authorizedBy: g.authorizedBy,
              scope: g.scope,
              createdAt: g.createdAt.toISOString(),
              lastUsedAt: iso(g.lastUsedAt),
              revokedAt: iso(g.revokedAt),
            }))}
          />
        </Card>
      </div>
    </>
  );
}
