import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { SsoAutoStart } from "@/components/auth/sso-auto-start";
import { BrandMark } from "@/components/brand";
import { getDb } from "@/db/client";
import { getOrganization } from "@/lib/orgs/queries";
import { getSsoConnection } from "@/lib/sso/connections";
import { safeCallback } from "@/lib/auth/safe-callback";
import { getEnv } from "@/lib/env";

export const metadata: Metadata = { title: "Single sign-on" };

/** /sign-in/sso/{orgId} — the org's Initiate login URI (Okta's app tile): straight to the org's IdP. */
export default async function SsoStartPage({
  params,
  searchParams,
}: {
  params: Promise<{ orgId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const [{ orgId }, query] = await Promise.all([params, searchParams]);
  const db = await getDb();
  const [org, connection] = /^[a-z0-9]{8,64}$/.test(orgId)
    ? await Promise.all([getOrganization(db, orgId), getSsoConnection(db, orgId)])
    : [undefined, null];
  if (!org) notFound();
  const hint = typeof query.login_hint === "string" ? query.login_hint.slice(0, 320) : undefined;
  // OpenID Connect third-party initiated login may name where to go after sign-in (target_link_uri).
  const target = safeCallback(query.callbackUrl ?? query.target_link_uri, getEnv().appUrl);
  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm">
        <div className="mb-8 flex flex-col items-center text-center">
          <BrandMark className="h-11 w-11" />
          <h1 className="mt-4 text-2xl font-semibold tracking-tight text-slate-900">Sign in to {org.name}</h1>
        </div>
        <div className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
          {connection ? (
            <SsoAutoStart orgId={org.id} orgName={org.name} callbackUrl={target} loginHint={hint} />
          ) : (
            <p className="text-center text-sm text-slate-600">
              {org.name} has not set up single sign-on.{" "}
              <Link href="/sign-in" className="font-medium text-indigo-600 hover:underline">
                Sign in with your password
              </Link>
              .
            </p>
          )}
        </div>
      </div>
    </main>
  );
}
