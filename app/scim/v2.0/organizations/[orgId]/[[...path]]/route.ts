// GET/POST/PUT/PATCH/DELETE /scim/v2.0/organizations/[orgId]/… — the organization's SCIM 2.0 service provider.
// One catch-all so resource names match case-insensitively (/Users and /users) and trailing slashes need no redirect.
import { handleScimRequest } from "@/lib/provisioning/handler";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ orgId: string; path?: string[] }> };

async function handle(req: Request, ctx: Ctx): Promise<Response> {
  const { orgId, path } = await ctx.params;
  return handleScimRequest(req, orgId, path ?? []);
}

export { handle as GET, handle as POST, handle as PUT, handle as PATCH, handle as DELETE, handle as HEAD, handle as OPTIONS };
