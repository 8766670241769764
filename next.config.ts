import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // PGlite ships a large wasm bundle and must be loaded from node_modules at run time;
  // pino uses worker threads for transports. Neither may be bundled.
  serverExternalPackages: ["@electric-sql/pglite", "pino", "postgres"],
  // IdPs call `/Users/?filter=…`: answer it directly instead of redirecting (SCIM clients should not have to follow).
  skipTrailingSlashRedirect: true,
  poweredByHeader: false,
  reactStrictMode: true,
  // forbidden() and forbidden.tsx: refused pages (a Member on an Org Admin page, a refused SSO sign-in) answer 403.
  experimental: { authInterrupts: true },
};

export default nextConfig;
