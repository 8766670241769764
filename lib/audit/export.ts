import type { DbOrTx } from "@/db/client";
import { logger } from "@/lib/logger";
import { auditActionLabel } from "./actions";
import { auditBatches, type AuditEventRow, type AuditFilter } from "./query";

/**
 * The audit trail as a file: CSV (RFC 4180) or one JSON array, streamed a batch at a time (auditBatches) so an
 * export of millions of events never holds more than one batch.
 */

export type ExportFormat = "csv" | "json";

export const CSV_COLUMNS = [
  "id",
  "at",
  "actor_kind",
  "actor_email",
  "actor_account_id",
  "ip",
  "user_agent",
  "action",
  "action_label",
  "target_type",
  "target_id",
  "target_label",
  "details",
] as const;

/**
 * One CSV cell: quoted when it holds a quote, comma, CR or LF (quotes doubled), and — against formula injection
 * when the file is opened in a spreadsheet — prefixed with ' when it starts with = + - @ (or a tab or CR, which
 * some spreadsheets skip before reading a formula). Emails, targets and user agents are what people typed.
 */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  let s = String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvRow(cells: (string | number | null | undefined)[]): string {
  return cells.map(csvCell).join(",") + "\r\n";
}

function csvLine(e: AuditEventRow): string {
  return csvRow([
    e.id,
    e.at.toISOString(),
    e.actorKind,
    e.actorEmail,
    e.actorAccountId,
    e.ip,
    e.userAgent,
    e.action,
    auditActionLabel(e.action),
    e.targetType,
    e.targetId,
    e.targetLabel,
    e.details ? JSON.stringify(e.details) : null,
  ]);
}

/** An event as the JSON export writes it. */
export function exportJson(e: AuditEventRow) {
  return {
    id: e.id,
    at: e.at.toISOString(),
    actor: { kind: e.actorKind, accountId: e.actorAccountId, email: e.actorEmail, ip: e.ip, userAgent: e.userAgent },
    action: e.action,
    actionLabel: auditActionLabel(e.action),
    target: e.targetType ? { type: e.targetType, id: e.targetId, label: e.targetLabel } : null,
    details: e.details,
  };
}

/**
 * The export as a byte stream: the CSV header row then a row per event, or `[`, the events one per line separated
 * by commas, `]`. Each pull writes one batch, so a slow download holds the database back rather than filling memory.
 */
export function auditExportStream(db: DbOrTx, orgId: string, filter: AuditFilter, format: ExportFormat): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const batches = auditBatches(db, orgId, filter);
  let first = true;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(format === "csv" ? csvRow([...CSV_COLUMNS]) : "["));
    },
    async pull(controller) {
      let next;
      try {
        next = await batches.next();
      } catch (err) {
        // Headers are gone already: the download ends short (the browser shows it failed); the log says why.
        logger().error({ orgId, err: err instanceof Error ? err.message : String(err) }, "audit export failed");
        controller.error(err);
        return;
      }
      if (next.done) {
        if (format === "json") controller.enqueue(encoder.encode(first ? "]\n" : "\n]\n"));
        controller.close();
        return;
      }
      let chunk = "";
      for (const e of next.value) {
        if (format === "csv") chunk += csvLine(e);
        else {
          chunk += `${first ? "\n" : ",\n"}${JSON.stringify(exportJson(e))}`;
          first = false;
        }
      }
      controller.enqueue(encoder.encode(chunk));
    },
    async cancel() {
      await batches.return(undefined);
    },
  });
}
