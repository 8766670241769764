import Link from "next/link";
import { headers } from "next/headers";
import { BrandMark } from "@/components/brand";
import { Lock } from "@/components/org-admin/access-denied";
import { getDb } from "@/db/client";
import { getOrganization } from "@/lib/orgs/queries";
import { REFUSAL_QUERY_HEADER, refusalText } from "@/lib/sso/refusal-text";

/** Why a sign-in through an org's IdP was refused (HTTP 403). The query comes from proxy.ts. */
export default async function SsoRefused() {
  const query = new URLSearchParams((await headers()).get(REFUSAL_QUERY_HEADER) ?? "");
  const orgId = query.get("org") ?? "";
  const org = /^[a-z0-9]{8,64}$/.test(orgId) ? await getOrganization(await getDb(), orgId) : undefined;
  const text = refusalText(query.get("reason") ?? query.get("error") ?? undefined, org?.name ?? "this organization");
  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-12">
      <section
        aria-labelledby="refused-title"
        className="w-full max-w-md rounded-xl border border-amber-200 bg-white p-8 text-center shadow-sm"
      >
        <BrandMark className="mx-auto h-10 w-10" />
        <div className="mt-5">
          <Lock />
        </div>
        <h1 id="refused-title" className="mt-4 text-lg font-semibold text-slate-900">
          {text.title}
        </h1>
        <p className="mt-2 text-sm leading-6 text-slate-600">{text.body}</p>
        <p className="mt-2 text-xs text-slate-400">You have not been signed in.</p>
        <Link
          href="/sign-in"
          className="mt-6 inline-flex rounded-md bg-slate-900 px-4 py-2 text-sm font-medium text-white hover:bg-slate-700"
        >
          Back to sign-in
        </Link>
      </section>
    </main>
  );
}
