import path from "node:path";
import { defineConfig } from "vitest/config";

// Unit and integration tests beside the code (*.test.ts). Database tests run on DATABASE_URL when it is set
// (a local throwaway PostgreSQL) and on an in-memory PGlite otherwise.
export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["{lib,db,app,scripts}/**/*.test.ts"],
    environment: "node",
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    reporters: ["default", "json"],
    outputFile: { json: "test-results/vitest.json" },
  },
});
