import type { Metadata } from "next";
import { SsoConnectionForm } from "@/components/sso/sso-connection-form";
import { DisableSsoButton, RequireSsoSwitch, TestSignInButton } from "@/components/sso/sso-controls";
import { CopyField } from "@/components/ui/copy-button";
import { Badge, Card, formatWhen, PageHeader } from "@/components/ui/page-header";
import { getDb } from "@/db/client";
import { adminPage } from "@/app/org-admin/guard";
import { getSsoConnection, ssoUrls } from "@/lib/sso/connections";

export const metadata: Metadata = { title: "Single sign-on" };

const STATUS = {
  untested: { tone: "gray", label: "Never tested" },
  working: { tone: "green", label: "Working" },
  failing: { tone: "red", label: "Failing" },
} as const;

/** A claim as text; the token's times (seconds since the epoch) also as dates. */
function claimText(name: string, value: unknown): string {
  if (["exp", "iat", "auth_time", "nbf"].includes(name) && typeof value === "number")
    return `${value} (${new Date(value * 1000).toISOString().replace(".000Z", "Z")})`;
  return typeof value === "string" ? value : JSON.stringify(value);
}

type TestResult = { claims?: Record<string, unknown>; verdict?: string };

export default async function SsoPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await adminPage("/org-admin/sso");
  const { org } = ctx;
  const [connection, params] = await Promise.all([getSsoConnection(await getDb(), org.id), searchParams]);
  const urls = ssoUrls(org.id);
  const test = (connection?.lastTestClaims ?? null) as TestResult | null;
  const status = connection ? STATUS[connection.status] : null;
  return (
    <>
      <PageHeader
        title="Single sign-on"
        description="People your identity provider provisions sign in through it (OpenID Connect). Only active members of this organization get in: SCIM decides who."
      />
      {params.test === "ok" && connection && (
        <p role="status" className="mb-6 rounded-lg border border-emerald-200 bg-emerald-50 px-4 py-3 text-sm text-emerald-800">
          Test sign-in completed: your identity provider answered and its ID token was valid. The claims it sent are below.
        </p>
      )}
      {params.test === "failed" && (
        <p role="alert" className="mb-6 rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800">
          Test sign-in failed{connection?.lastError ? `: ${connection.lastError}` : "."} Check the client ID, the secret and the Redirect
          URI at your IdP.
        </p>
      )}
      <div className="space-y-6">
        <Card title="Status">
          {connection && status ? (
            <div className="flex flex-wrap items-center gap-3 text-sm text-slate-600" data-testid="sso-status">
              <Badge tone={status.tone}>{status.label}</Badge>
              <span>
                {connection.issuer} · client <span className="font-mono">{connection.clientId}</span>
                {connection.lastCheckedAt ? ` · last round trip ${formatWhen(connection.lastCheckedAt)}` : ""}
              </span>
              {connection.status === "failing" && connection.lastError && (
                <span className="w-full text-red-700">Last error: {connection.lastError}</span>
              )}
              {!connection.secretReadable && (
                <span role="alert" className="w-full text-red-700">
                  The stored client secret can no longer be read (the deployment&apos;s encryption key changed). Enter it again below.
                </span>
              )}
            </div>
          ) : (
            <p className="text-sm text-slate-600" data-testid="sso-status">
              Not set up. Create an OpenID Connect application in your identity provider with the Redirect URI below, then enter its issuer,
              client ID and secret.
            </p>
          )}
        </Card>
        <Card title="Paste into your identity provider" description="The application's sign-in settings at your IdP.">
          <dl className="space-y-5">
            <CopyField id="sso-redirect-uri" label="Redirect URI" value={urls.redirectUri} />
            <CopyField id="sso-initiate-login-uri" label="Initiate login URI" value={urls.initiateLoginUri} />
          </dl>
        </Card>
        <Card title="Connection" description="The OpenID Connect application your IdP created for this organization.">
          <SsoConnectionForm
            current={
              connection && {
                issuer: connection.issuer,
                clientId: connection.clientId,
                emailAuthoritative: connection.emailAuthoritative,
                secretReadable: connection.secretReadable,
              }
            }
          />
        </Card>
        {connection && (
          <Card
            title="Test sign-in"
            description="Sign in at your IdP yourself: nothing changes in the portal; you see what the IdP sends and what the portal would do with it."
          >
            <div className="space-y-4">
              <TestSignInButton />
              {test?.claims ? (
                <div>
                  <p className="text-sm text-slate-700" data-testid="sso-test-verdict">
                    <span className="font-medium text-slate-900">Result:</span> {test.verdict}
                  </p>
                  <table className="mt-3 w-full text-left text-sm" aria-label="Claims received">
                    <thead>
                      <tr className="border-b border-slate-200 text-xs tracking-wide text-slate-500 uppercase">
                        <th className="py-2 pr-4 font-medium">Claim</th>
                        <th className="py-2 font-medium">Value</th>
                      </tr>
                    </thead>
                    <tbody className="divide-y divide-slate-100">
                      {Object.entries(test.claims).map(([k, v]) => (
                        <tr key={k}>
                          <td className="py-1.5 pr-4 font-mono text-xs text-slate-600">{k}</td>
                          <td className="py-1.5 font-mono text-xs break-all text-slate-900">{claimText(k, v)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              ) : (
                <p className="text-sm text-slate-500">No test yet.</p>
              )}
            </div>
          </Card>
        )}
        {connection && (
          <Card title="Require SSO">
            <div className="flex flex-wrap items-start justify-between gap-4">
              <p className="max-w-xl text-sm text-slate-600">
                When on, members sign in only through your IdP; their passwords no longer open {org.name}. The Owner keeps password sign-in
                as a break-glass way in.
                {connection.status !== "working" && !connection.requireSso && " Run a successful Test sign-in first."}
              </p>
              <RequireSsoSwitch enabled={connection.requireSso} canEnable={connection.status === "working"} orgName={org.name} />
            </div>
          </Card>
        )}
        <div className="grid gap-6 lg:grid-cols-2">
          <Card title="Okta: OIDC web app">
            <ol className="list-decimal space-y-2 pl-5 text-sm leading-6 text-slate-600">
              <li>
                Applications → <strong className="font-medium text-slate-800">Create App Integration</strong> → OIDC – OpenID Connect → Web
                Application.
              </li>
              <li>
                Grant type Authorization Code. Sign-in redirect URI: the Redirect URI above. Initiate login URI: the one above (login
                initiated by Either).
              </li>
              <li>Assign the same people and groups as the provisioning app.</li>
              <li>
                Issuer: your Okta domain (<code className="font-mono text-xs">https://acme.okta.com</code>) or its authorization server;
                client ID and secret from the app&apos;s General tab.
              </li>
              <li>
                Okta sends <code className="font-mono text-xs">email</code> and <code className="font-mono text-xs">email_verified</code>{" "}
                for the <code className="font-mono text-xs">email</code> scope.
              </li>
            </ol>
          </Card>
          <Card title="Entra ID: app registration">
            <ol className="list-decimal space-y-2 pl-5 text-sm leading-6 text-slate-600">
              <li>
                App registrations → <strong className="font-medium text-slate-800">New registration</strong>; Redirect URI (Web): the
                Redirect URI above.
              </li>
              <li>Certificates &amp; secrets → New client secret; API permissions: openid, email, profile.</li>
              <li>
                Token configuration → add the optional claim <code className="font-mono text-xs">email</code> to the ID token.
              </li>
              <li>
                Issuer: <code className="font-mono text-xs break-all">https://login.microsoftonline.com/&lt;tenant id&gt;/v2.0</code>;
                client ID: the Application (client) ID.
              </li>
              <li>
                Entra sends no <code className="font-mono text-xs">email_verified</code>: turn on &ldquo;Trust this IdP&apos;s email
                addresses&rdquo; if your tenant controls every address.
              </li>
            </ol>
          </Card>
        </div>
        {connection && (
          <Card title="Disable">
            <div className="flex flex-wrap items-center justify-between gap-4">
              <p className="max-w-xl text-sm text-slate-600">
                Turn single sign-on off for {org.name}. People who have a password can still use it.
              </p>
              <DisableSsoButton orgName={org.name} />
            </div>
          </Card>
        )}
      </div>
    </>
  );
}
