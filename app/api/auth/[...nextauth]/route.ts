// GET/POST /api/auth/* — next-auth v4: password sign-in, each org's OpenID Provider (sso-{orgId}), session, sign-out, CSRF.
import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/options";
import { orgIdOfProvider } from "@/lib/sso/connections";
import { ssoSignInOptions } from "@/lib/sso/next-auth";

type Ctx = { params: Promise<{ nextauth: string[] }> };

async function handler(req: Request, ctx: Ctx) {
  const params = await ctx.params;
  const [action, providerId] = params.nextauth;
  // A sign-in through an org's IdP: that org's provider is built for this request (next-auth's advanced initialization).
  const orgId = action === "signin" || action === "callback" ? orgIdOfProvider(providerId) : undefined;
  if (!orgId) return NextAuth(req as never, { params } as never, authOptions());
  const sso = await ssoSignInOptions(req, orgId);
  if ("response" in sso) return sso.response;
  const res: Response = await NextAuth(req as never, { params } as never, authOptions(sso));
  return sso.finish(res);
}

export { handler as GET, handler as POST };
