// npm run bench:session — what the SSO session epoch costs: the statement every request runs to check its session,
// for a password session (the account) and for a session from an org's IdP (the account, the membership's
// incarnation and the SCIM user's `active`), on PostgreSQL (DATABASE_URL, else a throwaway local cluster) with
// 100,000 members in the org. Alternates the two shapes (A B A B) at 32 statements in flight; prints statements/s
// and p50/p99 per shape and the ratio.
import { spawnSync } from "node:child_process";
import { sql } from "drizzle-orm";
import { openDatabase, queryRows } from "@/db/client";
import { sessionAccount } from "@/lib/auth/session-check";
import { parseEnv } from "@/lib/env";
import { createOrganization } from "@/lib/orgs/create-organization";
import { membershipEpoch } from "@/lib/sso/sign-in";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const IN_FLIGHT = 32;
let databaseUrl = process.env.DATABASE_URL;
const PG_DIR = "/tmp/portal-bench-session-pg";
if (!databaseUrl) {
  const r = spawnSync(".ci/throwaway-postgres.sh", ["start", PG_DIR, "55451"], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`could not start PostgreSQL: ${r.stderr}`);
  databaseUrl = r.stdout.trim();
  process.on("exit", () => spawnSync(".ci/throwaway-postgres.sh", ["stop", PG_DIR], { stdio: "inherit" }));
}
const env = parseEnv({
  ...process.env,
  NODE_ENV: "test",
  DATABASE_URL: databaseUrl,
  NEXTAUTH_SECRET: "bench-secret-bench-secret-bench-secret-0",
  DATABASE_POOL_SIZE: "4",
});
const handle = await openDatabase({ env, role: "bench" });
const db = handle.db;

// An org of 100,000 members with SCIM users, so the lookups run on indexes of a realistic size.
const { org } = await createOrganization(db, {
  name: `Session bench ${Date.now()}`,
  ownerEmail: `owner-${Date.now()}@bench.test`,
  ownerPassword: "bench-password",
});
const run = Date.now().toString(36);
await queryRows(
  db,
  sql`insert into accounts (email, name) select 'p' || g || '-${sql.raw(run)}@bench.test', 'p' || g from generate_series(1, 100000) g`,
);
await queryRows(
  db,
  sql`insert into memberships (org_id, account_id, role, scim_managed) select ${org.id}, id, 'member', true from accounts where email like ${`%-${run}@bench.test`}`,
);
await queryRows(
  db,
  sql`insert into scim_users (org_id, account_id, user_name, resource) select ${org.id}, id, email, '{}'::jsonb from accounts where email like ${`%-${run}@bench.test`}`,
);
await queryRows(db, sql`analyze`);
const people = await queryRows<{ id: string; since: string }>(
  db,
  sql`select a.id, ${membershipEpoch(sql`m.created_at`)} as since from accounts a join memberships m on m.account_id = a.id and m.org_id = ${org.id} where a.email like ${`%-${run}@bench.test`} limit 10000`,
);

async function measure(shape: "password" | "sso") {
  const latencies: number[] = [];
  const until = performance.now() + SECONDS * 1000;
  let i = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (performance.now() < until) {
        const p = people[i++ % people.length]!;
        const t = performance.now();
        const row = await sessionAccount(db, p.id, shape === "sso" ? { orgId: org.id, since: p.since } : null);
        latencies.push(performance.now() - t);
        if (!row) throw new Error("a valid session was refused");
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return {
    perSecond: latencies.length / SECONDS,
    p50: latencies[Math.floor(latencies.length / 2)]!,
    p99: latencies[Math.floor(latencies.length * 0.99)]!,
  };
}

await measure("password"); // warm-up: prepared statements on every connection
await measure("sso");
const results = { password: [] as Awaited<ReturnType<typeof measure>>[], sso: [] as Awaited<ReturnType<typeof measure>>[] };
for (let round = 0; round < 2; round++) for (const shape of ["password", "sso"] as const) results[shape].push(await measure(shape));
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
console.log(`\nSession check on PostgreSQL, ${IN_FLIGHT} in flight, ${SECONDS} s per run, 2 runs each (A B A B):`);
console.log("shape      statements/s   p50 ms   p99 ms");
for (const shape of ["password", "sso"] as const) {
  const r = results[shape];
  console.log(
    `${shape.padEnd(10)} ${mean(r.map((x) => x.perSecond))
      .toFixed(0)
      .padStart(12)} ${mean(r.map((x) => x.p50))
      .toFixed(3)
      .padStart(8)} ${mean(r.map((x) => x.p99))
      .toFixed(3)
      .padStart(8)}`,
  );
}
console.log(
  `sso / password throughput: ${(mean(results.sso.map((x) => x.perSecond)) / mean(results.password.map((x) => x.perSecond))).toFixed(2)}`,
);
await handle.close();
