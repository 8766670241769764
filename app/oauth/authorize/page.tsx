import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { BrandMark } from "@/components/brand";
import { Badge } from "@/components/ui/page-header";
import { getDb } from "@/db/client";
import { currentAccount, sessionOrgs, signInUrl } from "@/lib/auth/session";
import { checkAuthorizeRequest, consentToken, requestFields } from "@/lib/oauth/authorize";
import { SCOPES } from "@/lib/oauth/clients";
import { isAdminRole } from "@/lib/org-admin/context";
import { getOrganization } from "@/lib/orgs/queries";

export const metadata: Metadata = { title: "Authorize provisioning" };

function toParams(sp: Record<string, string | string[] | undefined>): URLSearchParams {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(sp)) for (const one of Array.isArray(v) ? v : v === undefined ? [] : [v]) params.append(k, one);
  return params;
}

function Shell({ children }: { children: React.ReactNode }) {
  return (
    <main className="flex min-h-screen items-start justify-center px-4 py-12 sm:items-center">
      <div className="w-full max-w-lg">{children}</div>
    </main>
  );
}

/** GET /oauth/authorize — the consent screen an IdP admin lands on after "Authenticate with …". */
export default async function AuthorizePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = toParams(await searchParams);
  const check = checkAuthorizeRequest(params);
  if (check.kind === "fatal")
    return (
      <Shell>
        <section role="alert" className="rounded-xl border border-red-200 bg-white p-8 shadow-sm">
          <h1 className="text-lg font-semibold text-slate-900">{check.title}</h1>
          <p className="mt-2 text-sm leading-6 text-slate-600">{check.message}</p>
          <p className="mt-4 text-sm text-slate-500">Check the app&apos;s OAuth settings in your identity provider, or contact support.</p>
        </section>
      </Shell>
    );
  if (check.kind === "redirect") redirect(check.location);
  const { request } = check;
  const account = await currentAccount();
  if (!account) redirect(signInUrl(`/oauth/authorize?${params.toString()}`));

  const db = await getDb();
  const adminOrgs = (await sessionOrgs(account)).open.filter((o) => isAdminRole(o.role));
  const orgs = await Promise.all(
    adminOrgs.map(async (o) => ({ ...o, scimEnabled: (await getOrganization(db, o.id))?.scimEnabled ?? false })),
  );
  const fields = requestFields(request);
  const returnHost = new URL(request.redirectUri).host;
  const firstEnabled = orgs.find((o) => o.scimEnabled);

  return (
    <Shell>
      <div className="mb-6 flex items-center justify-center gap-3">
        <BrandMark className="h-10 w-10" />
        <span className="text-slate-300" aria-hidden>
          ⟷
        </span>
        <span
          className="inline-flex h-10 w-10 items-center justify-center rounded-lg bg-slate-900 text-sm font-bold text-white"
          aria-hidden
        >
          {request.client.name.slice(0, 1)}
        </span>
      </div>
      <section className="rounded-xl border border-slate-200 bg-white shadow-sm" aria-labelledby="consent-title">
        <header className="border-b border-slate-100 px-6 py-5 text-center">
          <h1 id="consent-title" className="text-lg font-semibold text-slate-900">
            {`${request.client.name} wants to provision your organization`}
          </h1>
          <p className="mt-1 text-sm text-slate-500">
            Signed in as <span className="font-medium text-slate-700">{account.email}</span>
          </p>
        </header>
        <form method="post" action="/oauth/authorize/decision" className="space-y-6 px-6 py-5">
          {Object.entries(fields).map(([k, v]) => (
            <input key={k} type="hidden" name={k} value={v} />
          ))}
          <input type="hidden" name="consent" value={consentToken(account.id, fields)} />
          {orgs.length === 0 ? (
            <div role="alert" className="rounded-md border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900">
              <p className="font-medium">{`You need to be an Owner or Admin to connect ${request.client.name}.`}</p>
              <p className="mt-1">
                Only an organization&apos;s Owner or Admins can authorize provisioning. Ask one of them to connect the app.
              </p>
            </div>
          ) : (
            <fieldset>
              <legend className="text-sm font-medium text-slate-900">Organization to connect</legend>
              <div className="mt-2 space-y-2">
                {orgs.map((o) => (
                  <label
                    key={o.id}
                    className={`flex items-start gap-3 rounded-lg border px-4 py-3 text-sm ${o.scimEnabled ? "cursor-pointer border-slate-200 hover:border-indigo-300 has-[:checked]:border-indigo-500 has-[:checked]:bg-indigo-50/50" : "border-dashed border-slate-200 bg-slate-50"}`}
                  >
                    <input
                      type="radio"
                      name="org_id"
                      value={o.id}
                      defaultChecked={o.id === firstEnabled?.id}
                      disabled={!o.scimEnabled}
                      required
                      className="mt-1 accent-indigo-600"
                    />
                    <span className="min-w-0 flex-1">
                      <span className="flex items-center gap-2">
                        <span className="font-medium text-slate-900">{o.name}</span>
                        {o.scimEnabled ? <Badge tone="green">SCIM enabled</Badge> : <Badge tone="gray">SCIM off</Badge>}
                      </span>
                      <span className="block font-mono text-xs text-slate-500">{o.id}</span>
                      {!o.scimEnabled && (
                        <span className="mt-1 block text-xs text-slate-600">Turn on SCIM first: Org Admin → SCIM → Enable SCIM.</span>
                      )}
                    </span>
                  </label>
                ))}
              </div>
            </fieldset>
          )}
          <div>
            <h2 className="text-sm font-medium text-slate-900">{request.client.name} will be able to</h2>
            <ul className="mt-2 space-y-1.5 text-sm text-slate-600">
              {request.scopes.map((s) => (
                <li key={s} className="flex gap-2">
                  <span aria-hidden className="text-emerald-600">
                    ✓
                  </span>
                  {SCOPES[s]}
                </li>
              ))}
            </ul>
            <p className="mt-3 text-xs text-slate-500">
              Group memberships then decide people&apos;s roles through your group mappings. The Owner is never changed. You can revoke this
              access any time in Org Admin → SCIM → Connected apps. You will return to <span className="font-medium">{returnHost}</span>.
            </p>
          </div>
          <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
            <button
              type="submit"
              name="decision"
              value="deny"
              formNoValidate
              className="rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-700 hover:bg-slate-50"
            >
              Cancel
            </button>
            {orgs.length > 0 && (
              <button
                type="submit"
                name="decision"
                value="allow"
                disabled={!firstEnabled}
                className="rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500 disabled:cursor-not-allowed disabled:opacity-50"
              >
                Authorize &amp; Install
              </button>
            )}
          </div>
        </form>
      </section>
    </Shell>
  );
}
