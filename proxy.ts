// Proxy: gives every request an id and sends signed-out visitors of protected pages to sign-in.
// It only redirects: every page, action and route handler checks the caller itself.
import { withAuth } from "next-auth/middleware";
import { NextResponse } from "next/server";

const REQUEST_ID_HEADER = "x-request-id";

export default withAuth(
  function proxy(req) {
    const headers = new Headers(req.headers);
    const id = headers.get(REQUEST_ID_HEADER) ?? crypto.randomUUID();
    headers.set(REQUEST_ID_HEADER, id);
    const res = NextResponse.next({ request: { headers } });
    res.headers.set(REQUEST_ID_HEADER, id);
    return res;
  },
  {
    pages: { signIn: "/sign-in" },
    callbacks: { authorized: ({ token }) => Boolean(token?.accountId) },
  },
);

// /oauth/authorize is not matched: it checks the client and redirect URI before asking anyone to sign in.
export const config = { matcher: ["/org-admin/:path*"] };
