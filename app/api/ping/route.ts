// GET /api/ping — answers without touching anything: the framework's own cost, the baseline `npm run bench` compares with.
export const dynamic = "force-dynamic";

export function GET() {
  return Response.json({ ok: true });
}
