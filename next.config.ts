import type { NextConfig } from "next";
import { API_CSP, BASE_SECURITY_HEADERS, HSTS, NON_PAGE_PATHS } from "./lib/http/security-headers";

const toHeaders = (h: Record<string, string>) => Object.entries(h).map(([key, value]) => ({ key, value }));

const nextConfig: NextConfig = {
  // PGlite ships a large wasm bundle and must be loaded from node_modules at run time;
  // pino uses worker threads for transports. Neither may be bundled.
  serverExternalPackages: ["@electric-sql/pglite", "pino", "postgres"],
  // IdPs call `/Users/?filter=…`: answer it directly instead of redirecting (SCIM clients should not have to follow).
  skipTrailingSlashRedirect: true,
  poweredByHeader: false,
  reactStrictMode: true,
  experimental: {
    // forbidden() and forbidden.tsx: refused pages (a Member on an Org Admin page, a refused SSO sign-in) answer 403.
    authInterrupts: true,
    // The proxy runs for pages only (their form posts and server actions are small); it buffers a body to at most this.
    proxyClientMaxBodySize: "1mb",
    serverActions: { bodySizeLimit: "1mb" },
  },
  // Security headers (lib/http/security-headers.ts): every response; pages get their nonce CSP from proxy.ts.
  async headers() {
    return [
      { source: "/:path*", headers: toHeaders(BASE_SECURITY_HEADERS) },
      {
        source: "/:path*",
        has: [{ type: "header", key: "x-forwarded-proto", value: "https" }],
        headers: [{ key: "Strict-Transport-Security", value: HSTS }],
      },
      ...NON_PAGE_PATHS.map((p) => ({
        source: p.endsWith("/") ? `${p}:path*` : p,
        headers: [{ key: "Content-Security-Policy", value: API_CSP }],
      })),
    ];
  },
};

export default nextConfig;
