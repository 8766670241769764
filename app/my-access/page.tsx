import type { Metadata } from "next";
import Link from "next/link";
import { asc, eq, and, inArray, sql } from "drizzle-orm";
import { BrandMark } from "@/components/brand";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { OtherOrgs } from "@/components/org-admin/access-denied";
import { Badge, Card, ROLE_LABEL } from "@/components/ui/page-header";
import { getDb } from "@/db/client";
import { accounts, memberships, type OrgRole } from "@/db/schema";
import { explainAccess, roleExplanation, scimUserOfAccount } from "@/lib/access/explain";
import { requireAccount, sessionOrgs } from "@/lib/auth/session";
import { isAdminRole } from "@/lib/org-admin/context";

export const metadata: Metadata = { title: "My access" };

/** My access: every organization this session opens, with the person's org role and stack roles, each explained. */
export default async function MyAccessPage() {
  const account = await requireAccount("/my-access");
  const db = await getDb();
  const { open, closed } = await sessionOrgs(account);
  const orgs = await Promise.all(
    open.map(async (o) => {
      const [access, admins] = await Promise.all([
        scimUserOfAccount(db, o.id, account.id).then((scim) => explainAccess(db, o.id, account.id, scim)),
        db
          .select({ email: accounts.email, name: accounts.name, role: memberships.role })
          .from(memberships)
          .innerJoin(accounts, eq(accounts.id, memberships.accountId))
          .where(and(eq(memberships.orgId, o.id), inArray(memberships.role, ["owner", "admin"])))
          .orderBy(sql`${memberships.role} desc`, asc(accounts.email))
          .limit(4),
      ]);
      return { ...o, access, admins };
    }),
  );
  const canAdmin = open.some((o) => isAdminRole(o.role));
  return (
    <main className="mx-auto max-w-3xl px-4 py-10">
      <div className="mb-8 flex items-start justify-between gap-4">
        <div className="flex min-w-0 items-center gap-3">
          <BrandMark className="h-9 w-9" />
          <div>
            <h1 className="text-lg font-semibold text-slate-900">My access</h1>
            <p className="text-sm text-slate-500">
              Signed in as {account.email}
              {account.via.kind === "sso" ? " through your organization's identity provider" : ""}
            </p>
          </div>
        </div>
        <div className="flex shrink-0 items-center gap-2">
          {canAdmin && (
            <Link
              href="/org-admin/info"
              className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-500"
            >
              Org Admin
            </Link>
          )}
          <SignOutButton />
        </div>
      </div>
      {orgs.length === 0 && closed.length === 0 && (
        <p className="rounded-xl border border-dashed border-slate-300 bg-white px-6 py-10 text-center text-sm text-slate-600">
          You don&apos;t belong to an organization yet. Ask an organization&apos;s Owner or Admin to add you.
        </p>
      )}
      <div className="space-y-6">
        {orgs.map((o) => (
          <Card key={o.id} title={o.name}>
            <dl className="space-y-4 text-sm">
              <div>
                <dt className="flex items-center gap-2 font-medium text-slate-900">
                  Organization role <Badge tone={o.role}>{ROLE_LABEL[o.role]}</Badge>
                </dt>
                <dd className="mt-1 text-slate-600" data-testid="my-role-reason">
                  {roleExplanation(ROLE_LABEL[o.role as OrgRole], o.access)}
                </dd>
              </div>
              <div>
                <dt className="font-medium text-slate-900">Stack roles</dt>
                <dd className="mt-1">
                  {o.access.stackGrants.length ? (
                    <ul className="space-y-1 text-slate-700" aria-label={`Stack roles in ${o.name}`}>
                      {o.access.stackGrants.map((g) => (
                        <li key={g.what} className="flex items-start gap-2">
                          <span className="mt-1.5 h-1.5 w-1.5 shrink-0 rounded-full bg-indigo-500" aria-hidden />
                          <span>
                            <span className="font-medium text-slate-900">{g.what}</span> — from {g.from.join(", ")}
                          </span>
                        </li>
                      ))}
                    </ul>
                  ) : (
                    <span className="text-slate-500">None yet.</span>
                  )}
                </dd>
              </div>
              <div className="rounded-lg bg-slate-50 px-4 py-3 text-slate-600">
                <span className="font-medium text-slate-800">Need more access?</span>{" "}
                {o.access.groups.length || o.access.stackGrants.some((g) => g.from.some((f) => f.startsWith("group")))
                  ? "Your access follows your groups at your identity provider: ask your IT admin to add you to the right group, or ask "
                  : "Ask "}
                {o.admins.length
                  ? o.admins
                      .map((a) => (a.name ? `${a.name} (${ROLE_LABEL[a.role]}, ${a.email})` : `${a.email} (${ROLE_LABEL[a.role]})`))
                      .join(", ")
                  : "an Owner or Admin"}
                .
              </div>
            </dl>
            <p className="mt-3 font-mono text-xs text-slate-400">Organization ID {o.id}</p>
          </Card>
        ))}
        {closed.length > 0 && (
          <section aria-labelledby="other-orgs" className="space-y-3">
            <h2 id="other-orgs" className="text-sm font-semibold text-slate-900">
              Your other organizations
            </h2>
            <p className="text-sm text-slate-600">This sign-in does not open them: each asks for its own sign-in.</p>
            <OtherOrgs closed={closed} />
          </section>
        )}
      </div>
    </main>
  );
}
