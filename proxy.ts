// Proxy: runs for pages (never for the SCIM API, OAuth endpoints or next-auth's routes — see the matcher). It gives
// every request an id, puts the page's Content-Security-Policy with a fresh nonce on the request (Next.js reads it
// to mark its own scripts) and on the response, and sends signed-out visitors of Org Admin pages to sign-in.
// It only redirects: every page, action and route handler checks the caller itself.
import { getToken } from "next-auth/jwt";
import { NextResponse, type NextRequest } from "next/server";
import { cameOverHttps, HSTS, newNonce, pageCsp } from "@/lib/http/security-headers";
import { REFUSAL_QUERY_HEADER } from "@/lib/sso/refusal-text";

const REQUEST_ID_HEADER = "x-request-id";

export default async function proxy(req: NextRequest): Promise<NextResponse> {
  const { pathname, search } = req.nextUrl;
  const headers = new Headers(req.headers);
  const id = headers.get(REQUEST_ID_HEADER) ?? crypto.randomUUID();
  headers.set(REQUEST_ID_HEADER, id);
  headers.delete(REFUSAL_QUERY_HEADER);
  if (pathname === "/sign-in/sso/refused") headers.set(REFUSAL_QUERY_HEADER, search.slice(0, 500));
  const csp = pageCsp(newNonce(), process.env.NODE_ENV === "development");
  headers.set("content-security-policy", csp);

  let res: NextResponse;
  // Only Org Admin pages need a session to be shown (the refusal page is for people who were not let in).
  const signedOut =
    pathname.startsWith("/org-admin") && !(await getToken({ req, secret: process.env.NEXTAUTH_SECRET }).catch(() => null))?.accountId;
  if (signedOut) {
    const signIn = new URL("/sign-in", req.nextUrl.origin);
    signIn.searchParams.set("callbackUrl", `${pathname}${search}`);
    res = NextResponse.redirect(signIn);
  } else {
    res = NextResponse.next({ request: { headers } });
  }
  res.headers.set(REQUEST_ID_HEADER, id);
  res.headers.set("content-security-policy", csp);
  if (cameOverHttps(req.headers)) res.headers.set("strict-transport-security", HSTS);
  return res;
}

// Every page. Not the route handlers (lib/http/security-headers.ts NON_PAGE_PATHS: next.config.ts gives them their
// headers, and the proxy would buffer their bodies) nor static assets.
export const config = {
  matcher: ["/((?!scim/|api/|oauth/token|oauth/revoke|oauth/authorize/decision|\\.well-known/|_next/static|_next/image|favicon\\.ico).*)"],
};
