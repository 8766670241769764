// GET /org-admin/audit/export?format=csv|json&org=…&action=…&person=…&q=…&from=…&to=… — the Audit log as a download
import { getDb } from "@/db/client";
import { auditExportStream, type ExportFormat } from "@/lib/audit/export";
import { parseAuditParams } from "@/lib/audit/filter-params";
import { isAdminRole, orgAdminContext } from "@/lib/org-admin/context";

export const dynamic = "force-dynamic";

function refuse(status: number, message: string): Response {
  return new Response(`${message}\n`, { status, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });
}

export async function GET(req: Request): Promise<Response> {
  const url = new URL(req.url);
  const format = url.searchParams.get("format") ?? "csv";
  if (format !== "csv" && format !== "json") return refuse(400, 'format must be "csv" or "json".');
  // The org the page was showing (`org`), else the one being worked on; the caller must be its Owner or an Admin.
  const ctx = await orgAdminContext("/org-admin/audit");
  const wanted = url.searchParams.get("org") ?? (ctx.kind === "no-org" ? null : ctx.org.id);
  const org = ctx.orgs.find((o) => o.id === wanted);
  if (!org || !isAdminRole(org.role)) return refuse(403, "You need to be an Owner or Admin of this organization to export its audit log.");
  const { filter } = parseAuditParams(url.searchParams);
  const stream = auditExportStream(await getDb(), org.id, filter, format as ExportFormat);
  const filename = `audit-${org.id}-${new Date().toISOString().slice(0, 10)}.${format}`;
  return new Response(stream, {
    headers: {
      "content-type": format === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8",
      "content-disposition": `attachment; filename="${filename}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
