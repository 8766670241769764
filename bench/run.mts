// npm run bench — builds a large org, serves it with `next start`, drives Okta-like SCIM traffic at 32 connections
// and prints req/s and p50/p99 per operation beside a no-op route handler measured in the same run.
//   npm run bench                           PostgreSQL (DATABASE_URL, else a throwaway local cluster), 1,000,000 users
//   npm run bench -- --db pglite            the embedded PGlite, 20,000 users
//   options: --users N --groups N --seconds S --connections C --skip-paging --skip-mapping
//   (at the end, unless --only or --profile: the lookups again on a server without the SCIM rate limiter — its cost)
//            --only "GET /Users/{id},POST"   (scenarios whose names contain one of these; the no-op always runs)
//            --profile DIR                   the server runs under node --cpu-prof; its profile is summarized at the end
//            --peer [--peer-users N]         also Better Auth's SCIM plugin (../shared/peers/betterauth, or --peer-from DIR;
//                                            copied to --peer-dir, default /tmp/peer-betterauth), seeded with N users
//                                            (default 10,000) over its own POST /Users; GET by id, userName eq, POST and
//                                            PATCH on it at the same connections and seconds, printed beside ours
//   The no-op route runs first and again last of the whole run (after the paging, the limiter runs and the peer).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import os from "node:os";
import { parseArgs } from "node:util";
import { and, eq, sql } from "drizzle-orm";
import { openDatabase, queryRows } from "@/db/client";
import { memberships, stackRoles, stacks } from "@/db/schema";
import { previewMapping, saveMapping } from "@/lib/access/mappings";
import { SYSTEM_ACTOR } from "@/lib/audit/record";
import { parseEnv } from "@/lib/env";
import { runLoad, type LoadResult, type Sample } from "./load";
import { summarizeProfile } from "./profile";
import { findPeerSource, peerFacts, peerPids, seedPeer, startPeer, stopPeer, type Peer } from "./peer";
import { seedBenchOrg } from "./seed";

const { values } = parseArgs({
  options: {
    db: { type: "string" },
    users: { type: "string" },
    groups: { type: "string" },
    seconds: { type: "string", default: "10" },
    connections: { type: "string", default: "32" },
    port: { type: "string", default: "3200" },
    "skip-paging": { type: "boolean", default: false },
    "skip-mapping": { type: "boolean", default: false },
    only: { type: "string" },
    profile: { type: "string" },
    peer: { type: "boolean", default: false },
    "peer-users": { type: "string", default: "10000" },
    "peer-from": { type: "string" },
    "peer-dir": { type: "string", default: "/tmp/peer-betterauth" },
  },
});
const pgAvailable = !!process.env.DATABASE_URL || readdirSync("/usr/lib/postgresql", { withFileTypes: true }).length > 0;
const kind = (values.db ?? (pgAvailable ? "postgres" : "pglite")) as "postgres" | "pglite";
const users = Number(values.users ?? (kind === "postgres" ? 1_000_000 : 20_000));
const groups = Number(values.groups ?? (kind === "postgres" ? 10_000 : 200));
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const port = Number(values.port);
const peerUsers = Number(values["peer-users"]);
const peerDir = path.resolve(values["peer-dir"]!);
// Before anything slow: a missing peer folder fails now, not after the seeding.
const peerSource = values.peer ? findPeerSource(values["peer-from"]) : undefined;
const log = (s: string) => console.log(s);

const PG_DIR = "/tmp/portal-bench-pg";
const PGLITE_DIR = "/tmp/portal-bench-pglite";
/** The peer's seeding POSTs in flight (it creates ~100–150 users/s on 2 cores). */
const PEER_SEED_IN_FLIGHT = 24;
const running: { server?: ChildProcess } = {};
let startedPg = false;
let startedPeer = false;

function cleanup() {
  running.server?.kill("SIGTERM");
  if (startedPg) spawnSync(".ci/throwaway-postgres.sh", ["stop", PG_DIR], { stdio: "inherit" });
  if (startedPeer) stopPeer(peerDir);
}
process.on("exit", cleanup);
process.on("SIGINT", () => process.exit(130));

let databaseUrl = process.env.DATABASE_URL;
if (kind === "postgres" && !databaseUrl) {
  log("Starting a throwaway PostgreSQL…");
  const r = spawnSync(".ci/throwaway-postgres.sh", ["start", PG_DIR, "55450"], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`could not start PostgreSQL: ${r.stderr}`);
  databaseUrl = r.stdout.trim();
  startedPg = true;
}
if (kind === "pglite") rmSync(PGLITE_DIR, { recursive: true, force: true });
const serverEnv = {
  ...process.env,
  NODE_ENV: "production" as const,
  PORT: String(port),
  APP_URL: `http://localhost:${port}`,
  NEXTAUTH_SECRET: "bench-secret-bench-secret-bench-secret-0",
  OKTA_CLIENT_ID: "bench-okta-client",
  OKTA_CLIENT_SECRET: "bench-okta-client-secret",
  // The per-organization limit is on, as in production, but far above what one machine can send: each server
  // leases 500 requests' worth at a time. The lookups run once more without it at the end (its cost).
  SCIM_RATE_LIMIT_PER_MINUTE: process.env.BENCH_SCIM_RATE_LIMIT ?? "10000000",
  ...(kind === "postgres" ? { DATABASE_URL: databaseUrl } : { DATABASE_URL: "", PGLITE_DIR }),
};

// 1. Data.
const t0 = Date.now();
// The bulk seed's statements run for about a minute each at 1,000,000 users: no statement timeout for them (the server keeps its own).
const handle = await openDatabase({ env: parseEnv({ ...serverEnv, DATABASE_STATEMENT_TIMEOUT_MS: "0" }), role: "bench seed" });
const org = await seedBenchOrg(handle.db, users, groups, log);
log(`Seeded in ${((Date.now() - t0) / 1000).toFixed(0)} s.`);
// Our database's durability settings, printed beside the peer's (a write waits for a WAL flush only with both on).
const ourDurability =
  kind === "postgres"
    ? await queryRows<{ fsync: string; sc: string }>(
        handle.db,
        sql`select current_setting('fsync') as fsync, current_setting('synchronous_commit') as sc`,
      ).then(([r]) => `fsync=${r!.fsync}, synchronous_commit=${r!.sc}`)
    : "PGlite";

// A group mapping change on the big group: preview, then save (set-based, one transaction), then back.
const mappingTimes: string[] = [];
if (!values["skip-mapping"]) {
  const [stack] = await handle.db.select().from(stacks).where(eq(stacks.orgId, org.orgId));
  const roles = await handle.db.select().from(stackRoles).where(eq(stackRoles.stackId, stack!.id));
  const role = (n: string) => roles.find((r) => r.name === n)!.id;
  const [owner] = await handle.db
    .select({ id: memberships.accountId })
    .from(memberships)
    .where(and(eq(memberships.orgId, org.orgId), eq(memberships.role, "owner")));
  const time = async <T,>(label: string, work: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    const out = await work();
    mappingTimes.push(`${label}: ${((performance.now() - t) / 1000).toFixed(2)} s`);
    log(`  ${mappingTimes.at(-1)}`);
    return out;
  };
  const toAdmin = { groupId: org.bigGroupId, orgRole: "admin" as const, stackRoles: { [stack!.id]: role("Admin") } };
  const preview = await time("preview of a mapping change on the big group", () => previewMapping(handle.db, org.orgId, toAdmin));
  log(`    (${preview.affected.toLocaleString("en-US")} of ${preview.people.toLocaleString("en-US")} members would change)`);
  const changes = await time("save it (Member + Developer → Admin + Admin)", () =>
    saveMapping(handle.db, SYSTEM_ACTOR, org.orgId, toAdmin, owner!.id),
  );
  log(
    `    (${changes.roleChanges.toLocaleString("en-US")} role changes, ${changes.stackGrants.toLocaleString("en-US")} grants, ${changes.stackRevocations.toLocaleString("en-US")} revocations)`,
  );
  await time("and back", () =>
    saveMapping(
      handle.db,
      SYSTEM_ACTOR,
      org.orgId,
      { ...toAdmin, orgRole: "member", stackRoles: { [stack!.id]: role("Developer") } },
      owner!.id,
    ),
  );
}
await handle.close();

// 2. Server.
if (!existsSync(".next/BUILD_ID")) spawnSync("node_modules/.bin/next", ["build"], { stdio: "inherit" });
const profileDir = values.profile ? path.resolve(values.profile) : undefined;
if (profileDir) mkdirSync(profileDir, { recursive: true });
async function startServer(env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [...(profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : []), "node_modules/next/dist/bin/next", "start", "-p", String(port)],
    { env, stdio: ["ignore", "ignore", "inherit"] },
  );
  running.server = child;
  for (let i = 0; ; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return child;
    if (i > 120) throw new Error("the server did not become healthy");
    await new Promise((r) => setTimeout(r, 500));
  }
}
async function stopServer(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await exited;
  running.server = undefined;
}
let server = await startServer(serverEnv);

/** Pids of a process and its descendants. */
function treeOf(root: number): Set<number> {
  const pids = new Set([root]);
  const parents = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      /* gone */
    }
  }
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, ppid] of parents) {
      if (pids.has(ppid) && !pids.has(pid)) {
        pids.add(pid);
        grew = true;
      }
    }
  }
  return pids;
}

function rssMb(): number {
  // The server and its children (next start may fork a worker).
  let kb = 0;
  for (const pid of treeOf(server.pid!)) {
    try {
      kb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
    } catch {
      /* gone */
    }
  }
  return Math.round(kb / 1024);
}

/** CPU seconds (user + system) used so far by a set of processes; ended children are counted by their parent (cutime). */
function cpuSeconds(pids: Iterable<number>): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const f = readFileSync(`/proc/${pid}/stat`, "utf8").slice(0).split(") ")[1]!.split(" ");
      ticks += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
    } catch {
      /* gone */
    }
  }
  return ticks / 100;
}

/** The PostgreSQL server's processes when it runs on this machine (the throwaway cluster or one we can see). */
function postgresPids(): number[] {
  const pidFile = `${PG_DIR}/postmaster.pid`;
  if (startedPg && existsSync(pidFile)) return [...treeOf(Number(readFileSync(pidFile, "utf8").split("\n")[0]))];
  return [];
}

/** Where each request's CPU went: the Next.js server, PostgreSQL, and this load generator (ms per request). */
async function withCpu(
  work: () => Promise<LoadResult>,
  pids: { server: () => number[]; db: () => number[] } = { server: () => [...treeOf(server.pid!)], db: postgresPids },
): Promise<LoadResult & { cpu?: { server: number; db: number; client: number } }> {
  const serverPids = pids.server();
  const dbPids = pids.db();
  const s0 = cpuSeconds(serverPids);
  const d0 = cpuSeconds(dbPids);
  const c0 = process.cpuUsage();
  const r = await work();
  const c = process.cpuUsage(c0);
  const per = (seconds: number) => (1000 * seconds) / Math.max(1, r.requests);
  return {
    ...r,
    cpu: {
      server: per(cpuSeconds(serverPids) - s0),
      db: dbPids.length ? per(cpuSeconds(pids.db()) - d0) : NaN,
      client: per((c.user + c.system) / 1e6),
    },
  };
}

// 3. Load.
const base = `/scim/v2.0/organizations/${org.orgId}`;
const run = Date.now().toString(36);
const load = (name: string, next: (i: number, worker: number) => Sample, extra: { connections?: number; maxRequests?: number } = {}) =>
  runLoad({ name, port, token: org.token, connections: extra.connections ?? connections, seconds, maxRequests: extra.maxRequests, next });
const pick = <T,>(list: T[], i: number) => list[i % list.length]!;
const memberPatch =
  (groupId: string) =>
  (i: number): Sample => {
    const user = pick(org.outsiders, Math.floor(i / 2));
    const op =
      i % 2 === 0 ? { op: "add", path: "members", value: [{ value: user }] } : { op: "remove", path: `members[value eq "${user}"]` };
    return {
      method: "PATCH",
      path: `${base}/Groups/${groupId}`,
      body: { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [op] },
      expect: 204,
    };
  };

/**
 * The four user operations measured on our server and on the peer alike, against a SCIM base path and the users it
 * holds: a lookup by id, a `userName eq` lookup, a create with a fresh userName, and a replace of `active` that
 * alternates false and true over the users (so every PATCH is a real change). Both sides answer 201 to the POST and
 * 200 to the rest.
 */
function userOperations(prefix: string, ids: string[], userNames: string[]): [string, (i: number) => Sample][] {
  return [
    ["GET /Users/{id}", (i) => ({ method: "GET", path: `${prefix}/Users/${pick(ids, i * 7919)}`, expect: 200 })],
    [
      'GET /Users?filter=userName eq "…"',
      (i) => ({
        method: "GET",
        path: `${prefix}/Users?filter=${encodeURIComponent(`userName eq "${pick(userNames, i * 7919)}"`)}&startIndex=1&count=100`,
        expect: 200,
      }),
    ],
    [
      "POST /Users",
      (i) => ({
        method: "POST",
        path: `${prefix}/Users`,
        body: {
          schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
          userName: `new-${run}-${i}@bench.example.com`,
          name: { givenName: "New", familyName: `User ${i}` },
          emails: [{ value: `new-${run}-${i}@bench.example.com`, type: "work", primary: true }],
          active: true,
        },
        expect: 201,
      }),
    ],
    [
      "PATCH /Users/{id} active",
      (i) => ({
        method: "PATCH",
        path: `${prefix}/Users/${pick(ids, i)}`,
        body: {
          schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
          Operations: [{ op: "replace", value: { active: Math.floor(i / ids.length) % 2 === 1 } }],
        },
        expect: 200,
      }),
    ],
  ];
}
const [ourById, ourByName, ourCreate, ourPatch] = userOperations(base, org.sampleIds, org.sampleUserNames).map(
  ([name, next]) => [name, () => load(name, next)] as [string, () => Promise<LoadResult>],
);

/** A few seconds of load before measuring (connections opened, code paths compiled). */
const warmUp = (next: (i: number) => Sample) => runLoad({ name: "warm-up", port, token: org.token, connections, seconds: 3, next });
const warmUpPingAndLookup = () =>
  warmUp((i) =>
    i % 2
      ? { method: "GET", path: "/api/ping", expect: 200 }
      : { method: "GET", path: `${base}/Users/${pick(org.sampleIds, i)}`, expect: 200 },
  );
await warmUpPingAndLookup();
const deepStart = Math.max(1, Math.floor(users * 0.9) + 1);
type Measured = LoadResult & { cpu?: { server: number; db: number; client: number } };
const results: Measured[] = [];
const only = values.only?.split(",").map((s) => s.trim().toLowerCase());
const scenarios: [string, () => Promise<LoadResult>][] = [
  ["no-op route (GET /api/ping)", () => load("no-op route (GET /api/ping)", () => ({ method: "GET", path: "/api/ping", expect: 200 }))],
  ourById!,
  ourByName!,
  [
    `GET /Users?startIndex=${deepStart}&count=100 (1 connection)`,
    () =>
      load(
        `GET /Users?startIndex=${deepStart.toLocaleString("en-US")}&count=100 (1 connection)`,
        () => ({ method: "GET", path: `${base}/Users?startIndex=${deepStart}&count=100`, expect: 200 }),
        { connections: 1, maxRequests: 30 },
      ),
  ],
  ourCreate!,
  ourPatch!,
  ["PATCH member add/remove, 100-member group", () => load("PATCH member add/remove, 100-member group", memberPatch(org.smallGroupId))],
  [
    `PATCH member add/remove, ${Math.min(100_000, Math.floor(users / 2)).toLocaleString("en-US")}-member group`,
    () =>
      load(
        `PATCH member add/remove, ${Math.min(100_000, Math.floor(users / 2)).toLocaleString("en-US")}-member group`,
        memberPatch(org.bigGroupId),
      ),
  ],
];
const skipped = (name: string) => !!only && !name.startsWith("no-op") && !only.some((o) => name.toLowerCase().includes(o));
const logResult = (r: LoadResult) =>
  log(
    `  ${r.name}: ${r.rps.toFixed(0)} req/s, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms${r.errors ? `, ${r.errors} errors (${r.firstError})` : ""}`,
  );
for (const [name, scenario] of scenarios) {
  if (results.length > 0 && skipped(name)) continue;
  const r = await withCpu(scenario);
  results.push(r);
  logResult(r);
}

// 4. Memory while paging through every user, 1,000 a page.
let memory = "";
if (!values["skip-paging"]) {
  const before = rssMb();
  let peak = before;
  const t = performance.now();
  let pages = 0;
  for (let start = 1; start <= users; start += 1000) {
    const res = await fetch(`http://127.0.0.1:${port}${base}/Users?startIndex=${start}&count=1000`, {
      headers: { authorization: `Bearer ${org.token}` },
    });
    if (res.status !== 200) throw new Error(`paging failed at ${start}: ${res.status}`);
    await res.arrayBuffer();
    pages++;
    if (pages % 20 === 0) peak = Math.max(peak, rssMb());
  }
  const after = rssMb();
  memory = `Paging through all ${users.toLocaleString("en-US")} users (${pages} pages of 1,000) took ${((performance.now() - t) / 1000).toFixed(0)} s; server RSS ${before} MB before, ${peak} MB peak, ${after} MB after.`;
}

// 5. What the rate limiter costs: the lookups again on a server without it, between two runs with it.
const limiterCost: string[] = [];
/** The server again with other settings, warmed up on lookups. */
async function restartWith(env: NodeJS.ProcessEnv): Promise<void> {
  await stopServer(server);
  server = await startServer(env);
  await warmUp((i) => ({ method: "GET", path: `${base}/Users/${pick(org.sampleIds, i)}`, expect: 200 }));
}
if (!only && !profileDir) {
  // Side by side in time (the machine drifts over a run): with the limiter, then on a server started without it.
  const [, byId] = ourById!;
  const [, byName] = ourByName!;
  const withLimiter = [await byId(), await byName()];
  await restartWith({ ...serverEnv, SCIM_RATE_LIMIT_PER_MINUTE: "0" });
  const without = [await byId(), await byName()];
  // And with it once more, so that a drift over the three runs cancels out (the "with" figure is their mean).
  await restartWith(serverEnv);
  const withAgain = [await byId(), await byName()];
  for (const [i, off] of without.entries()) {
    const on = (withLimiter[i]!.rps + withAgain[i]!.rps) / 2;
    limiterCost.push(
      `${off.name}: ${on.toFixed(0)} req/s with it (mean of ${withLimiter[i]!.rps.toFixed(0)} before and ${withAgain[i]!.rps.toFixed(0)} after), ${off.rps.toFixed(0)} without (${((100 * (off.rps - on)) / off.rps).toFixed(1)} % fewer with it)`,
    );
  }
}

// 6. The peer: Better Auth's SCIM plugin on its own PostgreSQL, seeded over its own SCIM API, the same operations at
// the same connections and seconds. Our server and database sit idle meanwhile; the peer is stopped before the no-op.
type PeerRun = {
  seeded: number;
  holds?: number;
  seedSeconds: number;
  seedErrors: number;
  seedError?: string;
  results: Measured[];
  durability: string;
  versions: string;
};
let peerRun: PeerRun | undefined;
if (peerSource) {
  const peer: Peer = await startPeer(peerSource, peerDir, log, () => (startedPeer = true));
  log(`Seeding the peer with ${peerUsers.toLocaleString("en-US")} users over its POST /Users (${PEER_SEED_IN_FLIGHT} in flight)…`);
  const seed = await seedPeer(peer, peerUsers, run, PEER_SEED_IN_FLIGHT, log);
  log(
    `  ${seed.ids.length.toLocaleString("en-US")} created in ${seed.seconds.toFixed(0)} s (${(seed.ids.length / seed.seconds).toFixed(0)}/s)${seed.errors ? `, ${seed.errors} errors (${seed.firstError})` : ""}; it holds ${seed.holds ?? "?"} (its GET /Users totalResults)`,
  );
  if (seed.ids.length === 0) throw new Error(`the peer took no user: ${seed.firstError}`);
  const prefix = peer.baseUrl.pathname;
  const peerLoad = (name: string, next: (i: number) => Sample) =>
    runLoad({ name, host: peer.baseUrl.hostname, port: Number(peer.baseUrl.port), token: peer.token, connections, seconds, next });
  const pidsOf = (root: number | undefined) => (root ? [...treeOf(root)] : []);
  const peerCpu = { server: () => pidsOf(peerPids(peerDir).server), db: () => pidsOf(peerPids(peerDir).postgres) };
  // Status codes as Better Auth answers them (checked with curl): GET 200, a filter 200 (a ListResponse), POST 201,
  // PATCH 200 with the user (it supports a replace of `active` with or without a path).
  const peerScenarios = userOperations(prefix, seed.ids, seed.userNames);
  const facts = await peerFacts(peerDir);
  await peerLoad("peer warm-up", (i) => ({ method: "GET", path: `${prefix}/Users/${pick(seed.ids, i)}`, expect: 200 }));
  const measured: Measured[] = [];
  for (const [name, next] of peerScenarios) {
    if (skipped(name)) continue;
    const r = await withCpu(() => peerLoad(name, next), peerCpu);
    measured.push(r);
    logResult({ ...r, name: `peer ${r.name}` });
  }
  stopPeer(peerDir);
  startedPeer = false;
  log("  (peer stopped)");
  peerRun = {
    seeded: seed.ids.length,
    holds: seed.holds,
    seedSeconds: seed.seconds,
    seedErrors: seed.errors,
    seedError: seed.firstError,
    results: measured,
    ...facts,
  };
}

// 7. The baseline again, last of the whole run: the machine drifts over a run (±5 % seen between runs), so ratios use
// the mean of both. The same warm-up as before the first one (the limiter runs restart the server, the peer leaves it idle).
await warmUpPingAndLookup();
{
  const r = await withCpu(() => load("no-op route, again at the end", () => ({ method: "GET", path: "/api/ping", expect: 200 })));
  results.push(r);
  logResult(r);
}

// 8. Report.
const noops = results.filter((r) => r.name.startsWith("no-op"));
const noop = { rps: noops.reduce((a, r) => a + r.rps, 0) / noops.length, p99: noops.reduce((a, r) => a + r.p99, 0) / noops.length };
const pad = (s: string, n: number) => s.padEnd(n);
const ms = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? "–" : x.toFixed(2));
console.log(
  `\n## SCIM benchmark — ${kind === "postgres" ? "PostgreSQL" : "PGlite"}, ${users.toLocaleString("en-US")} users, ${groups.toLocaleString("en-US")} groups, ${connections} connections, ${seconds} s each\n`,
);
console.log(
  `| ${pad("operation", 52)} | req/s | p50 ms | p99 ms | req/s vs no-op | p99 vs no-op | errors | CPU ms/req: server | database | load generator |`,
);
console.log(
  `|${"-".repeat(54)}|------:|-------:|-------:|---------------:|-------------:|-------:|-------------------:|---------:|---------------:|`,
);
for (const r of results)
  console.log(
    `| ${pad(r.name, 52)} | ${r.rps.toFixed(0).padStart(5)} | ${r.p50.toFixed(1).padStart(6)} | ${r.p99.toFixed(1).padStart(6)} | ${((100 * r.rps) / noop.rps).toFixed(0).padStart(13)} % | ${(r.p99 / noop.p99).toFixed(2).padStart(11)}× | ${String(r.errors).padStart(6)} | ${ms(r.cpu?.server).padStart(18)} | ${ms(r.cpu?.db).padStart(8)} | ${ms(r.cpu?.client).padStart(14)} |`,
  );
console.log(`\nRatios are against the mean of the two no-op runs (${noops.map((r) => r.rps.toFixed(0)).join(" and ")} req/s).`);
console.log(
  `CPU ms/req: CPU time (user + system) each process spent per answered request during that scenario, on ${os.cpus().length} cores.`,
);
const duration = (s: number) => (s >= 3600 ? `${(s / 3600).toFixed(1)} h` : s >= 60 ? `${(s / 60).toFixed(0)} min` : `${s.toFixed(0)} s`);
if (peerRun) {
  const p = peerRun;
  const rate = p.seeded / p.seedSeconds;
  console.log(
    `\n## Beside Better Auth's SCIM plugin (${p.versions}) — ours holds ${users.toLocaleString("en-US")} users, the peer ${(p.holds ?? p.seeded).toLocaleString("en-US")}\n`,
  );
  console.log(
    `| ${pad("operation", 34)} | ours req/s | peer req/s | ours ÷ peer | target ≥ 3× | ours p99 ms | peer p99 ms | peer errors | peer CPU ms/req: server | database |`,
  );
  console.log(
    `|${"-".repeat(36)}|-----------:|-----------:|------------:|:-----------:|------------:|------------:|------------:|------------------------:|---------:|`,
  );
  for (const peer of p.results) {
    const ours = results.find((r) => r.name === peer.name);
    const ratio = ours ? ours.rps / peer.rps : NaN;
    const cell = (x: number | undefined, d: number) => (x === undefined || Number.isNaN(x) ? "–" : x.toFixed(d));
    console.log(
      `| ${pad(peer.name + (peer.name.startsWith("PATCH") ? " ¹" : ""), 34)} | ${cell(ours?.rps, 0).padStart(10)} | ${peer.rps.toFixed(0).padStart(10)} | ${(Number.isNaN(ratio) ? "–" : `${ratio.toFixed(2)}×`).padStart(11)} | ${(Number.isNaN(ratio) ? "–" : ratio >= 3 ? "met" : "not met").padStart(11)} | ${cell(ours?.p99, 1).padStart(11)} | ${peer.p99.toFixed(1).padStart(11)} | ${String(peer.errors).padStart(11)} | ${ms(peer.cpu?.server).padStart(23)} | ${ms(peer.cpu?.db).padStart(8)} |`,
    );
  }
  console.log(
    `\nThe peer holds ${(p.holds ?? p.seeded).toLocaleString("en-US")} users (its GET /Users totalResults after the seeding; ours ${users.toLocaleString("en-US")}): seeded with --peer-users ${peerUsers.toLocaleString("en-US")} over its own POST /Users, ${PEER_SEED_IN_FLIGHT} in flight, in ${p.seedSeconds.toFixed(0)} s (${rate.toFixed(0)}/s${p.seedErrors ? `, ${p.seedErrors} errors: ${p.seedError}` : ""}) — as many as ours would take ${duration(users / rate)}. Its lookups search the smaller table.`,
  );
  console.log(
    `Same ${connections} connections and ${seconds} s per operation from this load generator, after our scenarios (our server and database idle), with a 3 s warm-up on GET by id; a fresh token (an empty SCIM namespace) and database each run.`,
  );
  console.log(
    `¹ A replace of \`active\` (no path), false and true in turns over its seeded users, as ours; Better Auth answers 200 with the user (201 to POST, 200 to the lookups: those are the codes expected).`,
  );
  console.log(`Durability: ours ${ourDurability}; the peer's PostgreSQL ${p.durability} (its start.sh).`);
}
if (memory) console.log(`\n${memory}`);
if (limiterCost.length)
  console.log(`\nThe per-organization rate limiter (SCIM_RATE_LIMIT_PER_MINUTE), lookups run again without it: ${limiterCost.join("; ")}.`);
if (mappingTimes.length)
  console.log(
    `\nGroup mapping change on the ${Math.min(100_000, Math.floor(users / 2)).toLocaleString("en-US")}-member group: ${mappingTimes.join("; ")}.`,
  );
if (profileDir) {
  // The server writes its profile as it exits.
  await stopServer(server);
  console.log(`\n${summarizeProfile(profileDir)}`);
}
const small = results.find((r) => r.name.includes("100-member group"));
const big = results.find((r) => r.name.includes("member add/remove") && r !== small);
if (small && big)
  console.log(
    `\nMember add/remove on the big group vs the 100-member group: p50 ${(big.p50 / small.p50).toFixed(2)}×, req/s ${(small.rps / big.rps).toFixed(2)}× slower.`,
  );
process.exit(0);
