// GET/POST /api/auth/* — next-auth v4: password sign-in, each org's OpenID Provider (sso-{orgId}), session, sign-out, CSRF.
import NextAuth from "next-auth";
import { NextRequest } from "next/server";
import { authOptions } from "@/lib/auth/options";
import { HASH_QUEUE, hashSlots } from "@/lib/auth/password";
import { getEnv } from "@/lib/env";
import { checkAttempt, clientAddress } from "@/lib/limits/throttle";
import { BODY_LIMITS, BodyTooLarge, withBoundedBody } from "@/lib/http/body";
import { orgIdOfProvider } from "@/lib/sso/connections";
import { ssoSignInOptions } from "@/lib/sso/next-auth";

type Ctx = { params: Promise<{ nextauth: string[] }> };

async function handler(incoming: Request, ctx: Ctx) {
  // next-auth reads the body itself: hand it a request whose body was read within bounds.
  let req: Request;
  try {
    // next-auth reads next.js's own request fields (nextUrl): the bounded copy is a NextRequest too.
    req = new NextRequest(await withBoundedBody(incoming, BODY_LIMITS.htmlForm));
  } catch (e) {
    if (!(e instanceof BodyTooLarge)) throw e;
    return new Response(e.message, { status: 413, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });
  }
  const params = await ctx.params;
  const [action, providerId] = params.nextauth;
  if (req.method === "POST" && action === "callback" && providerId === "credentials") {
    const refused = await passwordAttemptRefused(req);
    if (refused) return refused;
  }
  // A sign-in through an org's IdP: that org's provider is built for this request (next-auth's advanced initialization).
  const orgId = action === "signin" || action === "callback" ? orgIdOfProvider(providerId) : undefined;
  if (!orgId) return NextAuth(req as never, { params } as never, authOptions());
  const sso = await ssoSignInOptions(req, orgId);
  if ("response" in sso) return sso.response;
  const res: Response = await NextAuth(req as never, { params } as never, authOptions(sso));
  return sso.finish(res);
}

/**
 * A password sign-in from an address that failed too often for that email (or for anything), or while the server
 * is hashing as many passwords as it will queue: 429 with Retry-After, as JSON next-auth's client reads (its `url`
 * carries the error code the sign-in form explains).
 */
async function passwordAttemptRefused(req: Request): Promise<Response | null> {
  const form = new URLSearchParams(await req.clone().text());
  const email = (form.get("email") ?? "").trim();
  const decision =
    hashSlots().waiting >= HASH_QUEUE
      ? { ok: false as const, retryAfterSeconds: 5 }
      : await checkAttempt("signin", email, clientAddress(req.headers));
  if (decision.ok) return null;
  const url = `${getEnv().appUrl}/sign-in?error=TooManyAttempts`;
  return Response.json(
    { url, error: "TooManyAttempts" },
    { status: 429, headers: { "retry-after": String(decision.retryAfterSeconds), "cache-control": "no-store" } },
  );
}

export { handler as GET, handler as POST };
