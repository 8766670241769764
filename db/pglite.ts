import { mkdirSync } from "node:fs";
import { MIGRATIONS_FOLDER, type DatabaseHandle, type Db } from "./client";
import { lockPgliteDir } from "./pglite-lock";
import * as schema from "./schema";

/** The embedded PGlite in a folder (or `memory://`), held by this process alone (pglite-lock.ts). */
export async function openPglite(dir: string, options: { migrate: boolean; role: string }): Promise<DatabaseHandle> {
  const inMemory = dir.startsWith("memory://");
  const release = inMemory ? () => {} : lockPgliteDir(dir, options.role);
  try {
    if (!inMemory) mkdirSync(dir, { recursive: true });
    const { PGlite } = await import("@electric-sql/pglite");
    const { drizzle } = await import("drizzle-orm/pglite");
    const client = await PGlite.create(dir);
    const db = drizzle({ client, schema }) as unknown as Db;
    if (options.migrate) {
      const { migrate: runMigrations } = await import("drizzle-orm/pglite/migrator");
      await runMigrations(drizzle({ client }), { migrationsFolder: MIGRATIONS_FOLDER });
    }
    return {
      db,
      kind: "pglite",
      location: dir,
      // One process owns a PGlite folder, so every change is seen here; notifications are delivered after each query.
      listen: (channel, onNotify, onReady) => {
        let unlisten: (() => Promise<void>) | undefined;
        let stopped = false;
        client
          .listen(channel, () => onNotify())
          .then(
            (u) => {
              if (stopped) return void u();
              unlisten = u;
              onReady(true);
            },
            () => onReady(false),
          );
        return () => {
          stopped = true;
          onReady(false);
          void unlisten?.().catch(() => {});
        };
      },
      close: async () => {
        await client.close();
        release();
      },
    };
  } catch (e) {
    release();
    throw e;
  }
}
