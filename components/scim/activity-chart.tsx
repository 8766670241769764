import Link from "next/link";
import type { ActivityBucket, ActivityRange } from "@/lib/provisioning/activity";

// The SCIM page's provisioning activity: a bar per hour (24 hours) or per day (30 days), each a link to the log
// filtered to its time, with a text summary beside it. Drawn as server-rendered SVG rather than with a chart library:
// every bar is a real link (focusable, named for screen readers) and the page ships no chart JavaScript.

const WIDTH = 720;
const HEIGHT = 160;
const GAP = 2;

const hourLabel = (d: Date) => d.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit", timeZone: "UTC" });
const dayLabel = (d: Date) => d.toLocaleDateString("en-US", { month: "short", day: "numeric", timeZone: "UTC" });
const n = (v: number) => v.toLocaleString("en-US");
const plural = (v: number, one: string) => `${n(v)} ${v === 1 ? one : `${one}s`}`;

/** When a bucket was, in words ("14:00–15:00 UTC", "Mar 3 UTC"). */
export function bucketLabel(b: ActivityBucket, range: ActivityRange): string {
  return range === "24h" ? `${hourLabel(b.start)}–${hourLabel(b.end)} UTC` : `${dayLabel(b.start)} UTC`;
}

/** The chart in words: totals, the error rate, the busiest bucket and the last one with errors. */
export function activitySummary(buckets: ActivityBucket[], range: ActivityRange): string {
  const requests = buckets.reduce((s, b) => s + b.requests, 0);
  const errors = buckets.reduce((s, b) => s + b.errors, 0);
  const span = range === "24h" ? "In the last 24 hours" : "In the last 30 days";
  if (!requests) return `${span}: no SCIM requests.`;
  const busiest = buckets.reduce((a, b) => (b.requests > a.requests ? b : a));
  const rate = ((errors / requests) * 100).toFixed(errors && errors / requests < 0.001 ? 2 : 1);
  const lastError = [...buckets].reverse().find((b) => b.errors > 0);
  return [
    `${span}: ${plural(requests, "request")}, ${plural(errors, "error")} (${rate}%).`,
    `Busiest ${range === "24h" ? "hour" : "day"}: ${bucketLabel(busiest, range)} with ${plural(busiest.requests, "request")}.`,
    lastError ? `Last errors: ${bucketLabel(lastError, range)} (${n(lastError.errors)}).` : "",
  ]
    .filter(Boolean)
    .join(" ");
}

const logHref = (b: ActivityBucket) =>
  `/org-admin/scim/log?${new URLSearchParams({ from: b.start.toISOString(), to: b.end.toISOString() })}`;

export function ActivityChart({ buckets, range }: { buckets: ActivityBucket[]; range: ActivityRange }) {
  const max = Math.max(1, ...buckets.map((b) => b.requests));
  const slot = WIDTH / buckets.length;
  const y = (v: number) => (v / max) * (HEIGHT - 14);
  const ticks = [0, Math.floor(buckets.length / 2), buckets.length - 1];
  return (
    <div className="grid gap-6 lg:grid-cols-[1fr_16rem]">
      <figure className="min-w-0">
        <svg
          viewBox={`0 0 ${WIDTH} ${HEIGHT + 20}`}
          className="h-auto w-full"
          role="group"
          aria-label={`SCIM requests and errors per ${range === "24h" ? "hour" : "day"}; each bar opens the log for its time`}
        >
          <line x1={0} x2={WIDTH} y1={HEIGHT} y2={HEIGHT} className="stroke-slate-200" />
          {/* The scale: a faint line at the tallest bar, labelled with its count. */}
          <line x1={0} x2={WIDTH} y1={HEIGHT - y(max)} y2={HEIGHT - y(max)} className="stroke-slate-100" strokeDasharray="4 4" />
          <text x={0} y={HEIGHT - y(max) - 3} className="fill-slate-400 text-[10px]">
            {n(max)}
          </text>
          {buckets.map((b, i) => {
            const label = `${bucketLabel(b, range)}: ${plural(b.requests, "request")}, ${plural(b.errors, "error")}`;
            const x = i * slot + GAP / 2;
            const w = slot - GAP;
            return (
              <a key={b.start.toISOString()} href={logHref(b)} aria-label={label} className="group outline-none" data-testid="activity-bar">
                <title>{label}</title>
                {/* The whole column is the link's target, so an empty hour can be opened too. */}
                <rect
                  x={x}
                  y={0}
                  width={w}
                  height={HEIGHT}
                  className="fill-transparent group-hover:fill-slate-100 group-focus:fill-indigo-50"
                />
                <rect x={x} y={HEIGHT - y(b.requests)} width={w} height={y(b.requests)} rx={1.5} className="fill-indigo-500" />
                {b.errors > 0 && (
                  <rect x={x} y={HEIGHT - y(b.errors)} width={w} height={Math.max(2, y(b.errors))} rx={1.5} className="fill-red-500" />
                )}
                <rect
                  x={x}
                  y={0}
                  width={w}
                  height={HEIGHT}
                  className="fill-none stroke-indigo-600 opacity-0 group-focus:opacity-100"
                  strokeWidth={2}
                />
              </a>
            );
          })}
          {ticks.map((i) => (
            <text
              key={i}
              x={i * slot + slot / 2}
              y={HEIGHT + 15}
              textAnchor={i === 0 ? "start" : i === buckets.length - 1 ? "end" : "middle"}
              className="fill-slate-500 text-[11px]"
            >
              {range === "24h" ? hourLabel(buckets[i]!.start) : dayLabel(buckets[i]!.start)}
            </text>
          ))}
        </svg>
        <figcaption className="mt-2 flex gap-4 text-xs text-slate-500">
          <span className="flex items-center gap-1.5">
            <span className="inline-block size-2.5 rounded-sm bg-indigo-500" aria-hidden /> Requests
          </span>
          <span className="flex items-center gap-1.5">
            <span className="inline-block size-2.5 rounded-sm bg-red-500" aria-hidden /> Errors
          </span>
          <span>Times in UTC</span>
        </figcaption>
      </figure>
      <div className="space-y-3 text-sm">
        <p className="text-slate-700" data-testid="activity-summary">
          {activitySummary(buckets, range)}
        </p>
        <nav aria-label="Activity range" className="flex gap-2">
          {(["24h", "30d"] as const).map((r) => (
            <Link
              key={r}
              href={`/org-admin/scim?activity=${r}`}
              aria-current={r === range ? "page" : undefined}
              className={`rounded-md border px-2.5 py-1 text-xs font-medium ${r === range ? "border-indigo-600 bg-indigo-50 text-indigo-700" : "border-slate-300 bg-white text-slate-700 hover:bg-slate-50"}`}
            >
              {r === "24h" ? "24 hours" : "30 days"}
            </Link>
          ))}
        </nav>
        <Link href="/org-admin/scim/log" className="block text-indigo-600 hover:underline">
          Open the provisioning log
        </Link>
      </div>
    </div>
  );
}
