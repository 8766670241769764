import nextCoreWebVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

const config = [
  ...nextCoreWebVitals,
  ...nextTypescript,
  {
    // lib/scim is the SCIM protocol, publishable on its own: no database, no drizzle, no Next.js, no other lib/ module.
    files: ["lib/scim/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@/db", "@/db/*", "drizzle-orm", "drizzle-orm/*"],
              message: "lib/scim is storage-free: put SQL next to the storage (lib/provisioning, lib/credentials).",
            },
            {
              group: ["next", "next/*", "next-auth", "next-auth/*", "react", "react/*"],
              message: "lib/scim has no Next.js or React imports.",
            },
            { group: ["@/*", "!@/lib/scim/*"], message: "lib/scim depends on nothing else of the app." },
          ],
        },
      ],
    },
  },
  {
    ignores: [".next/**", ".data/**", "node_modules/**", "test-results/**", "playwright-report/**", "db/migrations/**", "next-env.d.ts"],
  },
];

export default config;
