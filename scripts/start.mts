// npm start — builds when no build exists, migrates, seeds the demo when the database is empty (or with --seed),
// then serves the portal with `next start` on PORT (default 3000). With NODE_ENV=production nothing is defaulted
// (the secrets, the Okta client and APP_URL must be set: it refuses to start, saying which are missing) and the
// demo is seeded only with --seed. `--prepare-only` stops after the database
// (what `npm run dev` runs before `next dev`); `--build` rebuilds even when a build exists.
import { spawn, spawnSync } from "node:child_process";
import { createServer } from "node:net";
import { existsSync } from "node:fs";
import { count } from "drizzle-orm";
import { openDatabase } from "@/db/client";
import { DatabaseInUseError } from "@/db/pglite-lock";
import { organizations } from "@/db/schema";
import { DEMO, seedDemo } from "@/db/seed";
import { EnvError, getEnv } from "@/lib/env";

const args = new Set(process.argv.slice(2));
const forceSeed = args.has("--seed");
const production = process.env.NODE_ENV === "production";
const prepareOnly = args.has("--prepare-only");

function fail(message: string): never {
  console.error(`npm start: ${message}`);
  process.exit(1);
}

let env;
try {
  env = getEnv(); // also resolves NEXTAUTH_SECRET / NEXTAUTH_URL into process.env for the server below
} catch (e) {
  fail(e instanceof EnvError ? e.message : String(e));
}

// The port first: a second `npm start` must not seed or build, then die on EADDRINUSE after saying "Serving on …".
if (!prepareOnly) {
  const taken = await new Promise<NodeJS.ErrnoException | null>((resolve) => {
    const probe = createServer();
    probe.once("error", (e: NodeJS.ErrnoException) => resolve(e));
    probe.listen(env.port, () => probe.close(() => resolve(null)));
  });
  if (taken?.code === "EADDRINUSE")
    fail(`port ${env.port} is taken (another server is running there?). Stop it, or choose another port: PORT=${env.port + 1} npm start`);
  if (taken) fail(`cannot listen on port ${env.port}: ${taken.message}`);
}

if (!prepareOnly && (!existsSync(".next/BUILD_ID") || args.has("--build"))) {
  console.error("No production build yet: running `next build` (about 30 s)…");
  const built = spawnSync("node_modules/.bin/next", ["build"], { stdio: "inherit" });
  if (built.status !== 0) fail("`next build` failed (see above).");
}

try {
  const handle = await openDatabase({ env, role: "start script" });
  try {
    const [row] = await handle.db.select({ n: count() }).from(organizations);
    if (forceSeed || (!production && (row?.n ?? 0) === 0)) {
      const { orgId, created } = await seedDemo(handle.db);
      console.error(`${created ? "Seeded" : "Found"} the demo organization "${DEMO.orgName}" — Organization ID: ${orgId}`);
      for (const p of DEMO.people) console.error(`  ${p.role.padEnd(6)} ${p.email.padEnd(20)} password: ${p.password}`);
    }
  } finally {
    await handle.close();
  }
  console.error(`Database: ${handle.kind} (${handle.location}), migrations applied.`);
} catch (e) {
  fail(e instanceof DatabaseInUseError ? e.message : `could not prepare the database: ${e instanceof Error ? e.message : String(e)}`);
}

if (prepareOnly) process.exit(0);
console.error(`Serving on ${env.appUrl} (sign in at ${env.appUrl}/sign-in)`);
const server = spawn("node_modules/.bin/next", ["start", "-p", String(env.port)], { stdio: "inherit", env: process.env });
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.kill(signal));
server.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
