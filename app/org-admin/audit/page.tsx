import type { Metadata } from "next";
import Link from "next/link";
import { DataTable } from "@/components/ui/data-table";
import { PageHeader } from "@/components/ui/page-header";
import { getDb } from "@/db/client";
import { adminPage } from "@/app/org-admin/guard";
import { AUDIT_ACTIONS, auditActionLabel } from "@/lib/audit/actions";
import { actorLabel, exactTime, relativeTime, shortUserAgent, summarizeDetails, viaLabel } from "@/lib/audit/describe";
import { filterQuery, parseAuditParams } from "@/lib/audit/filter-params";
import { AUDIT_SCAN_WINDOW, auditActors, auditPage } from "@/lib/audit/query";

export const metadata: Metadata = { title: "Audit log" };

const PATH = "/org-admin/audit";
// Every control of the filter bar: one height, full width of its grid cell (the grid keeps the bar on one row when wide).
const control =
  "mt-1 block h-9 w-full min-w-0 rounded-md border border-slate-300 bg-white px-2.5 text-sm text-slate-900 shadow-sm outline-none focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/30";
const button =
  "inline-flex items-center gap-1.5 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 shadow-sm hover:bg-slate-50";

function DownloadIcon() {
  return (
    <svg viewBox="0 0 20 20" fill="none" stroke="currentColor" strokeWidth="1.7" strokeLinecap="round" className="h-4 w-4" aria-hidden>
      <path d="M10 3v9m0 0l-3.5-3.5M10 12l3.5-3.5M4 14v2h12v-2" />
    </svg>
  );
}

export default async function AuditLogPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await adminPage(PATH);
  const { filter, cursor, values } = parseAuditParams(await searchParams);
  const db = await getDb();
  const [page, actors] = await Promise.all([auditPage(db, ctx.org.id, filter, cursor), auditActors(db, ctx.org.id)]);
  const filtered = filterQuery(values).size > 0;
  const link = (extra: Record<string, string>) => `${PATH}?${filterQuery(values, extra)}`;
  const exportHref = (format: "csv" | "json") => `${PATH}/export?${filterQuery(values, { format, org: ctx.org.id })}`;
  // A person chosen by id who is no longer among the recent actors still shows as chosen.
  const chosenMissing = filter.actor && "accountId" in filter.actor && !actors.some((a) => a.accountId === values.person);
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every change an Owner or Admin made in this organization — in Org Admin or with the admin command line — newest first."
        actions={
          <>
            <a href={exportHref("csv")} className={button} download>
              <DownloadIcon />
              Export CSV
            </a>
            <a href={exportHref("json")} className={button} download>
              <DownloadIcon />
              Export JSON
            </a>
          </>
        }
      />
      <form
        action={PATH}
        role="search"
        aria-label="Filter the audit log"
        className="mb-4 grid grid-cols-2 items-end gap-x-4 gap-y-3 rounded-lg border border-slate-200 bg-white px-4 py-3 sm:grid-cols-3 xl:grid-cols-[1.4fr_1.1fr_1.2fr_8.5rem_8.5rem_auto]"
      >
        <label className="text-xs font-medium text-slate-500">
          Action
          <select name="action" defaultValue={values.action} className={`${control} pr-8`}>
            <option value="">All actions</option>
            {Object.entries(AUDIT_ACTIONS).map(([key, label]) => (
              <option key={key} value={key}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label className="text-xs font-medium text-slate-500">
          Person
          <select name="person" defaultValue={values.person} className={`${control} pr-8`}>
            <option value="">Anyone</option>
            <option value="cli">Admin CLI</option>
            {chosenMissing && <option value={values.person}>The chosen person</option>}
            {actors.map((a) => (
              <option key={a.accountId} value={a.accountId}>
                {a.email}
              </option>
            ))}
          </select>
        </label>
        <label className="text-xs font-medium text-slate-500">
          Email contains
          <input name="q" type="search" defaultValue={values.q} placeholder="@acme.com" className={control} />
        </label>
        <label className="text-xs font-medium text-slate-500">
          From (UTC)
          <input name="from" type="date" defaultValue={values.from} className={control} />
        </label>
        <label className="text-xs font-medium text-slate-500">
          To (UTC)
          <input name="to" type="date" defaultValue={values.to} className={control} />
        </label>
        <div className="flex h-9 items-center gap-3">
          <button type="submit" className="h-9 rounded-md bg-slate-900 px-3.5 text-sm font-medium text-white hover:bg-slate-700">
            Filter
          </button>
          {filtered && (
            <Link href={PATH} className="text-sm font-medium text-indigo-600 hover:underline">
              Reset
            </Link>
          )}
        </div>
      </form>
      <div className="relative overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
        {page.rows.length === 0 ? (
          <div className="px-6 py-12 text-center">
            <p className="text-sm font-medium text-slate-900">
              {filtered
                ? page.windowed
                  ? `No events match these filters among the ${AUDIT_SCAN_WINDOW.toLocaleString("en-US")} looked at.`
                  : "No events match these filters."
                : cursor.before || cursor.after
                  ? "No events here."
                  : "No admin actions recorded yet."}
            </p>
            <p className="mt-1 text-sm text-slate-500">
              {filtered
                ? "Try a wider time range or another person."
                : "Turning SCIM on or off, tokens, connected apps, mappings, stacks and SSO changes appear here."}
            </p>
            {(filtered || cursor.before || cursor.after) && (
              <Link href={PATH} className="mt-3 inline-block text-sm font-medium text-indigo-600 hover:underline">
                {filtered ? "Reset the filters" : "Back to the newest events"}
              </Link>
            )}
          </div>
        ) : (
          <DataTable caption="Audit events" columns={["When", "Who", "What", "Target", "Details"]}>
            {page.rows.map((e) => {
              const details = summarizeDetails(e.details);
              const origin = [viaLabel(e.actorKind), e.ip].filter(Boolean).join(" · ");
              return (
                <tr key={e.id} className="align-top hover:bg-slate-50/60">
                  <td className="px-5 py-3 whitespace-nowrap">
                    <time dateTime={e.at.toISOString()} title={exactTime(e.at)} className="text-slate-700">
                      {relativeTime(e.at)}
                    </time>
                    <span className="block text-xs text-slate-400">{exactTime(e.at)}</span>
                  </td>
                  <td className="max-w-72 px-5 py-3">
                    <span className="block truncate font-medium text-slate-900" title={e.actorEmail ?? undefined}>
                      {actorLabel(e)}
                    </span>
                    <span className="block truncate text-xs text-slate-500">{origin}</span>
                    {e.userAgent && (
                      <span className="block truncate text-xs text-slate-400" title={e.userAgent}>
                        {shortUserAgent(e.userAgent)}
                      </span>
                    )}
                  </td>
                  <td className="px-5 py-3 font-medium whitespace-nowrap text-slate-800" data-action={e.action}>
                    {auditActionLabel(e.action)}
                  </td>
                  <td className="max-w-56 px-5 py-3 text-slate-700">
                    <span className="block truncate" title={e.targetId ?? undefined}>
                      {e.targetLabel ?? e.targetId ?? <span className="text-slate-400">—</span>}
                    </span>
                    {e.targetType && <span className="block text-xs text-slate-400 capitalize">{e.targetType.replace(/_/g, " ")}</span>}
                  </td>
                  <td className="px-5 py-3 text-slate-600">{details || <span className="text-slate-400">—</span>}</td>
                </tr>
              );
            })}
          </DataTable>
        )}
      </div>
      <nav aria-label="Pagination" className="mt-4 flex items-center justify-between gap-4 text-sm text-slate-600">
        <p>
          {page.windowed && page.rows.length > 0
            ? `Fewer matches than a page among the ${AUDIT_SCAN_WINDOW.toLocaleString("en-US")} events looked at — Older looks further back.`
            : ""}
        </p>
        <div className="flex shrink-0 gap-2">
          {page.newer !== null && (
            <Link
              href={link({ after: String(page.newer) })}
              className="rounded-md border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-50"
            >
              Newer
            </Link>
          )}
          {page.older !== null && (
            <Link
              href={link({ before: String(page.older) })}
              className="rounded-md border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-50"
            >
              Older
            </Link>
          )}
        </div>
      </nav>
    </>
  );
}
