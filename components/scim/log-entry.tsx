import type { provisioningEvents } from "@/db/schema";

// One provisioning event as the log page and a person's page show it: the sentence, then on opening what was asked
// (secrets removed), the answer and the access it changed. Rows from before the sentence was stored read as before.

export type LogEvent = typeof provisioningEvents.$inferSelect;

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

/** Who made the request, as the event recorded it; older rows only know the kind of credential. */
export function credentialLabel(e: Pick<LogEvent, "credentialKind" | "credentialName" | "method">): string {
  if (e.method === "MAPPING") return e.credentialName ? `${e.credentialName} in Org Admin` : "An admin in Org Admin";
  if (e.credentialKind === "oauth") return e.credentialName ? `${e.credentialName} (OAuth app)` : "Connected app (OAuth)";
  return e.credentialName ? `Secret token “${e.credentialName}”` : "Secret token";
}

function Body({ title, value, empty }: { title: string; value: unknown; empty: string }) {
  return (
    <div>
      <h3 className="text-xs font-semibold tracking-wide text-slate-500 uppercase">{title}</h3>
      {value !== null && value !== undefined ? (
        <pre className="mt-2 max-h-72 overflow-auto rounded-md bg-slate-900 p-3 text-xs text-slate-100">
          {JSON.stringify(value, null, 2)}
        </pre>
      ) : (
        <p className="mt-2 text-xs text-slate-500">{empty}</p>
      )}
    </div>
  );
}

const when = (d: Date) => d.toLocaleString("en-US", { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" }) + " UTC";

export function LogEntry({ e }: { e: LogEvent }) {
  const lines = accessLines(e.accessChanges as AccessSummary | null);
  const portal = e.method === "MAPPING";
  const request = e.requestBody ?? e.request;
  return (
    <details className="group px-5 py-3" data-testid="log-entry">
      <summary className="flex cursor-pointer list-none flex-wrap items-center gap-x-4 gap-y-1 text-sm">
        {portal ? (
          <span className="rounded bg-indigo-50 px-1.5 py-0.5 text-xs font-semibold text-indigo-700">Org Admin</span>
        ) : (
          <span className={`rounded px-1.5 py-0.5 font-mono text-xs font-semibold ${statusTone(e.status)}`}>{e.status}</span>
        )}
        {e.summary ? (
          <span className="min-w-0 flex-1 text-slate-800" data-testid="log-summary">
            {e.summary}
          </span>
        ) : (
          <>
            <span className="font-mono text-xs font-semibold text-slate-700">{e.method}</span>
            <span className="min-w-0 flex-1 truncate font-mono text-xs text-slate-700" title={e.path}>
              {e.path}
            </span>
          </>
        )}
        {lines.length > 0 && (
          <span className="rounded-full bg-indigo-50 px-2 py-0.5 text-xs font-medium text-indigo-700">access changed</span>
        )}
        <time className="text-xs whitespace-nowrap text-slate-500" dateTime={e.at.toISOString()}>
          {when(e.at)}
        </time>
      </summary>
      <p className="mt-3 text-xs text-slate-500">
        {credentialLabel(e)}
        {!portal && (
          <>
            {" "}
            · <span className="font-mono">{e.method}</span> <span className="font-mono break-all">{e.path}</span> · {e.durationMs} ms
            {e.requestId && (
              <>
                {" "}
                · request id <span className="font-mono">{e.requestId}</span>
              </>
            )}
          </>
        )}
      </p>
      <div className="mt-3 grid gap-4 text-sm lg:grid-cols-2">
        {!portal && <Body title="Request" value={request} empty="No body." />}
        {!portal &&
          (e.errorDetail ? (
            <div>
              <h3 className="text-xs font-semibold tracking-wide text-slate-500 uppercase">What the identity provider was told</h3>
              <p className="mt-2 rounded-md bg-amber-50 px-3 py-2 text-amber-900">{e.errorDetail}</p>
            </div>
          ) : (
            <Body
              title="Answer"
              value={e.responseBody}
              empty={
                e.status === 204 ? "No body (204)." : e.summary ? "No body." : "Not recorded for entries from before answers were kept."
              }
            />
          ))}
        <div className="lg:col-span-2">
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
    </details>
  );
}
