import type { Metadata } from "next";
import Link from "next/link";
import { ScimTabs } from "@/components/scim/scim-tabs";
import { PageHeader } from "@/components/ui/page-header";
import { getDb } from "@/db/client";
import { adminPage } from "@/app/org-admin/guard";
import { LogEntry } from "@/components/scim/log-entry";
import { logPage, type LogFilter } from "@/lib/provisioning/queries";

export const metadata: Metadata = { title: "Provisioning log" };

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"];
const SINCE: Record<string, number> = { "1h": 1, "24h": 24, "7d": 168 };

/** A time given as an ISO string in the URL (an activity bar's link), or undefined. */
function timeParam(v: string): Date | undefined {
  if (!v) return undefined;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

const utc = (d: Date) => d.toLocaleString("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

export default async function LogPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await adminPage("/org-admin/scim/log");
  const sp = await searchParams;
  const one = (k: string) => (typeof sp[k] === "string" ? (sp[k] as string) : "");
  const filter: LogFilter = {
    errorsOnly: one("errors") === "1",
    resource: one("resource") === "User" || one("resource") === "Group" ? (one("resource") as "User" | "Group") : undefined,
    method: METHODS.includes(one("method")) ? one("method") : undefined,
    sinceHours: SINCE[one("since")],
    from: timeParam(one("from")),
    to: timeParam(one("to")),
    before: Number.parseInt(one("before"), 10) || undefined,
  };
  const { rows, hasMore } = await logPage(await getDb(), ctx.org.id, filter);
  const params = new URLSearchParams(
    Object.entries({
      errors: one("errors"),
      resource: one("resource"),
      method: one("method"),
      since: one("since"),
      from: filter.from ? one("from") : "",
      to: filter.to ? one("to") : "",
    }).filter(([, v]) => v),
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
        {filter.from && <input type="hidden" name="from" value={one("from")} />}
        {filter.to && <input type="hidden" name="to" value={one("to")} />}
        <button type="submit" className="rounded-md bg-slate-900 px-3.5 py-2 text-sm font-medium text-white hover:bg-slate-700">
          Filter
        </button>
        {(filter.from || filter.to) && (
          <p className="flex items-center gap-2 self-center text-sm text-slate-700" data-testid="log-window">
            <span>
              {filter.from ? utc(filter.from) : "…"} – {filter.to ? utc(filter.to) : "now"} UTC
            </span>
            <Link
              href={`/org-admin/scim/log?${new URLSearchParams([...params].filter(([k]) => k !== "from" && k !== "to"))}`}
              className="text-indigo-600 hover:underline"
            >
              Any time
            </Link>
          </p>
        )}
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
          {rows.map((e) => (
            <li key={e.id}>
              <LogEntry e={e} />
            </li>
          ))}
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
