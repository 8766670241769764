import { auditActionLabel } from "@/lib/audit/actions";
import { actorLabel, summarizeDetails } from "@/lib/audit/describe";
import { exportJson } from "@/lib/audit/export";
import { pruneAuditEvents, retentionCutoff } from "@/lib/audit/prune";
import { auditBatches } from "@/lib/audit/query";
import { orgOption, printTable, required, requireOrg, UsageError, type Command, type Values } from "./command";

// audit:list and audit:prune, the admin CLI's commands on the audit trail.

/** --since: a day (2026-01-31, UTC) or an ISO time; undefined when absent; throws UsageError when unreadable. */
function sinceOption(values: Values): Date | undefined {
  const v = values.since;
  if (v === undefined) return undefined;
  const d = typeof v === "string" && /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(v.trim()) ? new Date(v.trim()) : null;
  if (!d || Number.isNaN(d.getTime())) throw new UsageError("--since takes a date (2026-01-31) or an ISO time (2026-01-31T09:00:00Z)");
  return d;
}

function limitOption(values: Values): number {
  const v = values.limit;
  if (v === undefined) return 100;
  if (typeof v !== "string" || !/^[1-9]\d{0,6}$/.test(v)) throw new UsageError("--limit takes a whole number from 1 to 9999999");
  return Number(v);
}

export const AUDIT_COMMANDS: Record<string, Command> = {};

AUDIT_COMMANDS["audit:list"] = {
  options: { ...orgOption, since: { type: "string" }, limit: { type: "string" }, json: { type: "boolean" } },
  check(values) {
    required(values, "org");
    sinceOption(values);
    limitOption(values);
  },
  async run(db, values, io) {
    const orgId = await requireOrg(db, values);
    const since = sinceOption(values);
    let left = limitOption(values);
    const rows: string[][] = [];
    // Batches of 1,000 newest first (the export's iterator), stopped at the limit.
    for await (const batch of auditBatches(db, orgId, since ? { from: since } : {})) {
      for (const e of batch.slice(0, left)) {
        if (values.json) io.out(JSON.stringify(exportJson(e)));
        else
          rows.push([
            e.at.toISOString().replace(/\.\d{3}Z$/, "Z"),
            actorLabel(e),
            auditActionLabel(e.action),
            e.targetLabel ?? e.targetId ?? "—",
            summarizeDetails(e.details) || "—",
          ]);
      }
      left -= Math.min(left, batch.length);
      if (left === 0) break;
    }
    if (values.json) return 0;
    if (rows.length === 0) io.err(`No audit events for ${orgId}${since ? ` since ${since.toISOString()}` : ""}.`);
    else printTable(io, ["WHEN (UTC)", "WHO", "WHAT", "TARGET", "DETAILS"], rows);
    return 0;
  },
};
AUDIT_COMMANDS["audit:prune"] = {
  options: { ...orgOption, all: { type: "boolean" } },
  check(values) {
    if (values.all && values.org !== undefined) throw new UsageError("give either --org <id> or --all, not both");
    if (!values.all) required(values, "org");
  },
  async run(db, values, io) {
    const orgId = values.all ? undefined : await requireOrg(db, values);
    const before = retentionCutoff();
    const deleted = await pruneAuditEvents(db, { before, orgId });
    io.err(
      `Deleted ${deleted} audit event${deleted === 1 ? "" : "s"} older than ${before.toISOString()} (${orgId ?? "every organization"}).`,
    );
    io.out(String(deleted));
    return 0;
  },
};
