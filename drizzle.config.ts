import { defineConfig } from "drizzle-kit";

// Only `drizzle-kit generate` is used: it diffs the schema (db/schema/) against the committed snapshots and writes SQL.
// Migrations are applied by the app's migrator (db/migrate.ts), never with `drizzle-kit push`.
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema/index.ts",
  out: "./db/migrations",
  strict: true,
  verbose: true,
});
