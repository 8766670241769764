// Proxy: gives every request an id and sends signed-out visitors of protected pages to sign-in.
// It only redirects: every page, action and route handler checks the caller itself.
import { withAuth } from "next-auth/middleware";
import { NextResponse } from "next/server";
import { REFUSAL_QUERY_HEADER } from "@/lib/sso/refusal-text";

const REQUEST_ID_HEADER = "x-request-id";

export default withAuth(
  function proxy(req) {
    const headers = new Headers(req.headers);
    const id = headers.get(REQUEST_ID_HEADER) ?? crypto.randomUUID();
    headers.set(REQUEST_ID_HEADER, id);
    headers.delete(REFUSAL_QUERY_HEADER);
    if (req.nextUrl.pathname === "/sign-in/sso/refused") headers.set(REFUSAL_QUERY_HEADER, req.nextUrl.search.slice(0, 500));
    const res = NextResponse.next({ request: { headers } });
    res.headers.set(REQUEST_ID_HEADER, id);
    return res;
  },
  {
    pages: { signIn: "/sign-in" },
    // Only Org Admin pages need a session to be shown; the refusal page is for people who were not let in.
    callbacks: { authorized: ({ token, req }) => !req.nextUrl.pathname.startsWith("/org-admin") || Boolean(token?.accountId) },
  },
);

// /oauth/authorize is not matched: it checks the client and redirect URI before asking anyone to sign in.
export const config = { matcher: ["/org-admin/:path*", "/sign-in/sso/refused"] };
