import { randomBytes } from "node:crypto";
import { openDatabase, type DatabaseHandle } from "@/db/client";
import { parseEnv } from "@/lib/env";

/**
 * A migrated database for a test file: the PostgreSQL at DATABASE_URL when set (tests create their own uniquely
 * named rows, so they can share it), else a fresh in-memory PGlite.
 */
export async function openTestDatabase(): Promise<DatabaseHandle> {
  const env = parseEnv({
    NODE_ENV: "test",
    DATABASE_URL: process.env.DATABASE_URL,
    PGLITE_DIR: "memory://",
    NEXTAUTH_SECRET: "test-secret-test-secret-test-secret-0000",
  });
  return openDatabase({ env, role: "test", maxConnections: 4 });
}

/** Whether openTestDatabase() gives PostgreSQL (tests of concurrency need more than PGlite's one connection). */
export const onPostgres = Boolean(process.env.DATABASE_URL);

export function uniqueSuffix(): string {
  return randomBytes(4).toString("hex");
}
