import type { Metadata } from "next";
import Link from "next/link";
import { ScimTabs } from "@/components/scim/scim-tabs";
import { PageHeader } from "@/components/ui/page-header";
import { getDb } from "@/db/client";
import { adminPage } from "@/app/org-admin/guard";
import { logPage, type LogFilter } from "@/lib/provisioning/queries";

export const metadata: Metadata = { title: "Provisioning log" };

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"];
const SINCE: Record<string, number> = { "1h": 1, "24h": 24, "7d": 168 };

type AccessSummary = {
  membership?: "joined" | "removed";
  removedRole?: string;
  roleChanges: number;
  stackGrants: number;
  stackRevocations: number;
  sample: {
    roles: { email: string; from: string; to: string }[];
    granted: { email: string; stack: string; role: string }[];
    revoked: { email: string; stack: string; role: string }[];
  };
};

function accessLines(a: AccessSummary | null): string[] {
  if (!a) return [];
  const lines: string[] = [];
  if (a.membership === "joined") lines.push("Joined the organization");
  if (a.membership === "removed") lines.push(`Removed from the organization${a.removedRole ? ` (was ${a.removedRole})` : ""}`);
  for (const r of a.sample.roles) lines.push(`${r.email}: ${r.from} → ${r.to}`);
  for (const g of a.sample.granted) lines.push(`${g.email} gained ${g.role} on ${g.stack}`);
  for (const g of a.sample.revoked) lines.push(`${g.email} lost ${g.role} on ${g.stack}`);
  const shown = a.sample.roles.length + a.sample.granted.length + a.sample.revoked.length;
  const total = a.roleChanges + a.stackGrants + a.stackRevocations;
  if (total > shown) lines.push(`… and ${total - shown} more changes`);
  return lines;
}

function statusTone(status: number) {
  if (status >= 500) return "bg-red-100 text-red-800";
  if (status >= 400) return "bg-amber-100 text-amber-900";
  return "bg-emerald-50 text-emerald-700";
}

export default async function LogPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await adminPage("/org-admin/scim/log");
  const sp = await searchParams;
  const one = (k: string) => (typeof sp[k] === "string" ? (sp[k] as string) : "");
  const filter: LogFilter = {
    errorsOnly: one("errors") === "1",
    resource: one("resource") === "User" || one("resource") === "Group" ? (one("resource") as "User" | "Group") : undefined,
    method: METHODS.includes(one("method")) ? one("method") : undefined,
    sinceHours: SINCE[one("since")],
    before: Number.parseInt(one("before"), 10) || undefined,
  };
  const { rows, hasMore } = await logPage(await getDb(), ctx.org.id, filter);
  const params = new URLSearchParams(
    Object.entries({ errors: one("errors"), resource: one("resource"), method: one("method"), since: one("since") }).filter(([, v]) => v),
  );
  const older = rows.length ? `/org-admin/scim/log?${new URLSearchParams([...params, ["before", String(rows.at(-1)!.id)]])}` : null;
  const select = "mt-1 block rounded-md border border-slate-300 bg-white py-1.5 pl-2.5 pr-8 text-sm shadow-sm";
  return (
    <>
      <PageHeader
        title="SCIM"
        description="Every request your identity provider made, what it asked (secrets removed), the answer it got and the access it changed."
      />
      <ScimTabs />
      <form
        action="/org-admin/scim/log"
        className="mb-4 flex flex-wrap items-end gap-4 rounded-lg border border-slate-200 bg-white px-4 py-3"
      >
        <label className="flex items-center gap-2 self-center text-sm text-slate-700">
          <input type="checkbox" name="errors" value="1" defaultChecked={filter.errorsOnly} className="accent-indigo-600" />
          Errors only
        </label>
        <label className="text-xs font-medium text-slate-500">
          Resource
          <select name="resource" defaultValue={filter.resource ?? ""} className={select}>
            <option value="">All</option>
            <option value="User">Users</option>
            <option value="Group">Groups</option>
          </select>
        </label>
        <label className="text-xs font-medium text-slate-500">
          Method
          <select name="method" defaultValue={filter.method ?? ""} className={select}>
            <option value="">All</option>
            {METHODS.map((m) => (
              <option key={m}>{m}</option>
            ))}
          </select>
        </label>
        <label className="text-xs font-medium text-slate-500">
          Time
          <select name="since" defaultValue={one("since")} className={select}>
            <option value="">Any time</option>
            <option value="1h">Last hour</option>
            <option value="24h">Last 24 hours</option>
            <option value="7d">Last 7 days</option>
          </select>
        </label>
        <button type="submit" className="rounded-md bg-slate-900 px-3.5 py-2 text-sm font-medium text-white hover:bg-slate-700">
          Filter
        </button>
      </form>
      {rows.length === 0 ? (
        <p className="rounded-xl border border-dashed border-slate-300 bg-white px-6 py-12 text-center text-sm text-slate-600">
          {params.size
            ? "No requests match these filters."
            : "No requests yet. Once your identity provider connects, every call it makes appears here."}
        </p>
      ) : (
        <ol
          className="divide-y divide-slate-100 overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm"
          aria-label="Provisioning events"
        >
          {rows.map((e) => {
            const lines = accessLines(e.accessChanges as AccessSummary | null);
            return (
              <li key={e.id}>
                <details className="group px-5 py-3">
                  <summary className="flex cursor-pointer list-none flex-wrap items-center gap-x-4 gap-y-1 text-sm">
                    <span className={`rounded px-1.5 py-0.5 font-mono text-xs font-semibold ${statusTone(e.status)}`}>{e.status}</span>
                    <span className="font-mono text-xs font-semibold text-slate-700">{e.method}</span>
                    <span className="min-w-0 flex-1 truncate font-mono text-xs text-slate-700" title={e.path}>
                      {e.path}
                    </span>
                    {lines.length > 0 && (
                      <span className="rounded-full bg-indigo-50 px-2 py-0.5 text-xs font-medium text-indigo-700">access changed</span>
                    )}
                    <span className="text-xs text-slate-500">{e.durationMs} ms</span>
                    <time className="text-xs text-slate-500" dateTime={e.at.toISOString()}>
                      {e.at.toLocaleString("en-US", { dateStyle: "medium", timeStyle: "medium" })}
                    </time>
                  </summary>
                  <div className="mt-3 grid gap-4 text-sm lg:grid-cols-2">
                    <div>
                      <h3 className="text-xs font-semibold tracking-wide text-slate-500 uppercase">Request</h3>
                      <p className="mt-1 text-xs text-slate-500">
                        {e.credentialKind === "oauth" ? "Connected app (OAuth)" : "Secret token"} · request id{" "}
                        <span className="font-mono">{e.requestId}</span>
                      </p>
                      {e.request ? (
                        <pre className="mt-2 max-h-72 overflow-auto rounded-md bg-slate-900 p-3 text-xs text-slate-100">
                          {JSON.stringify(e.request, null, 2)}
                        </pre>
                      ) : (
                        <p className="mt-2 text-xs text-slate-500">No body.</p>
                      )}
                    </div>
                    <div className="space-y-3">
                      {e.errorDetail && (
                        <div>
                          <h3 className="text-xs font-semibold tracking-wide text-slate-500 uppercase">
                            What the identity provider was told
                          </h3>
                          <p className="mt-1 rounded-md bg-amber-50 px-3 py-2 text-amber-900">{e.errorDetail}</p>
                        </div>
                      )}
                      <div>
                        <h3 className="text-xs font-semibold tracking-wide text-slate-500 uppercase">Access changes</h3>
                        {lines.length ? (
                          <ul className="mt-1 list-disc pl-5 text-slate-700">
                            {lines.map((l) => (
                              <li key={l}>{l}</li>
                            ))}
                          </ul>
                        ) : (
                          <p className="mt-1 text-slate-500">None.</p>
                        )}
                      </div>
                    </div>
                  </div>
                </details>
              </li>
            );
          })}
        </ol>
      )}
      <nav aria-label="Pagination" className="mt-4 flex justify-end gap-2 text-sm">
        {filter.before && (
          <Link
            href={`/org-admin/scim/log?${params}`}
            className="rounded-md border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-50"
          >
            Newest
          </Link>
        )}
        {hasMore && older && (
          <Link href={older} className="rounded-md border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-50">
            Older
          </Link>
        )}
      </nav>
    </>
  );
}
