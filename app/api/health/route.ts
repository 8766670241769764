// GET /api/health — 200 when the database answers, 503 otherwise (for load balancers and test harnesses).
import { getDatabase, ping } from "@/db/client";
import { logger, requestIdOf } from "@/lib/logger";

export const dynamic = "force-dynamic";

export async function GET(req: Request) {
  const started = performance.now();
  const headers = { "cache-control": "no-store" };
  try {
    const handle = await getDatabase();
    await ping(handle.db);
    return Response.json(
      { status: "ok", database: { kind: handle.kind, reachable: true }, latencyMs: Math.round(performance.now() - started) },
      { headers },
    );
  } catch (e) {
    logger().error(
      { requestId: requestIdOf(req.headers), err: e instanceof Error ? e.message : String(e) },
      "health check: database unreachable",
    );
    return Response.json({ status: "unavailable", database: { reachable: false } }, { status: 503, headers });
  }
}
