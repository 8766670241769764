import { spawnSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { runLoad, type Sample } from "./load";

/**
 * Better Auth's SCIM plugin as a benchmark peer (`npm run bench -- --peer`): its folder (README.md, start.sh,
 * token.sh, stop.sh) is copied to a scratch folder once (it may be read-only), `npm ci` there, then started with its
 * own PostgreSQL (port 55433, pgdata/ in the copy) and server (port 4100).
 */
export type Peer = { dir: string; baseUrl: URL; token: string };

/** Where the peer's folder is: --peer-from, else ../shared/peers/betterauth beside this checkout or, from a git worktree, beside the main one. */
export function findPeerSource(given: string | undefined): string {
  if (given) return path.resolve(given);
  const candidates = [path.resolve("../shared/peers/betterauth")];
  const common = spawnSync("git", ["rev-parse", "--path-format=absolute", "--git-common-dir"], { encoding: "utf8" });
  if (common.status === 0) candidates.push(path.resolve(path.dirname(common.stdout.trim()), "../shared/peers/betterauth"));
  const found = candidates.find((c) => existsSync(path.join(c, "start.sh")));
  if (!found) throw new Error(`--peer: no peer folder (start.sh) at ${candidates.join(" or ")}; pass --peer-from DIR`);
  return found;
}

function sh(dir: string, cmd: string, args: string[] = []): string {
  const r = spawnSync(cmd, args, { cwd: dir, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${path.join(dir, cmd)} ${args.join(" ")} failed (${r.status}): ${r.stderr || r.stdout}`);
  return r.stdout;
}

function makeWritable(p: string): void {
  const st = statSync(p);
  chmodSync(p, st.mode | 0o200);
  if (st.isDirectory()) for (const e of readdirSync(p)) makeWritable(path.join(p, e));
}

/** Copies the peer to `dir` if missing, installs it, starts it on an empty database and mints a token (a new, empty SCIM namespace). */
export async function startPeer(source: string, dir: string, log: (s: string) => void, started: () => void): Promise<Peer> {
  const up = await fetch("http://127.0.0.1:4100/healthz").then(
    () => true,
    () => false,
  );
  if (up) throw new Error("--peer: something already answers on 127.0.0.1:4100 (a peer left running? its ./stop.sh stops it)");
  if (!existsSync(path.join(dir, "start.sh"))) {
    log(`Copying the peer from ${source} to ${dir}…`);
    const skip = new Set(["node_modules", "pgdata", "run", "logs", "secrets.env", "BASE_URL"]);
    cpSync(source, dir, { recursive: true, filter: (src) => src === source || !skip.has(path.relative(source, src).split(path.sep)[0]!) });
    makeWritable(dir);
  }
  if (!existsSync(path.join(dir, "node_modules"))) {
    log(`npm ci in ${dir}…`);
    sh(dir, "npm", ["ci", "--no-audit", "--no-fund"]);
  }
  started();
  // An empty database each run: the peer then holds exactly the users seeded below (and the ones its POST run adds).
  if (existsSync(path.join(dir, "pgdata"))) sh(dir, "./stop.sh", ["--wipe"]);
  log(`Starting the peer (${dir}/start.sh)…`);
  log(`  ${sh(dir, "./start.sh").trim()}`);
  const token = sh(dir, "./token.sh").trim();
  const baseUrl = new URL(readFileSync(path.join(dir, "BASE_URL"), "utf8").trim());
  return { dir, baseUrl, token };
}

/** Stops the peer's server and PostgreSQL and deletes its database (synchronous: also runs from an exit handler). */
export function stopPeer(dir: string): void {
  spawnSync("./stop.sh", ["--wipe"], { cwd: dir, stdio: "ignore" });
}

/** Pids of the peer's server and of its PostgreSQL postmaster (their children are found by the caller). */
export function peerPids(dir: string): { server?: number; postgres?: number } {
  const first = (f: string) => (existsSync(f) ? Number(readFileSync(f, "utf8").split("\n")[0]) || undefined : undefined);
  return { server: first(path.join(dir, "run/server.pid")), postgres: first(path.join(dir, "pgdata/postmaster.pid")) };
}

/** A user shaped like bench/seed.ts's (userName = primary email, externalId, displayName, name, one work email, active). */
export function peerUser(userName: string, n: string): Record<string, unknown> {
  return {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
    userName,
    externalId: `ext-${userName}`,
    displayName: `Bench User ${n}`,
    name: { givenName: "Bench", familyName: `User ${n}` },
    emails: [{ value: userName, type: "work", primary: true }],
    active: true,
  };
}

/** Seeds `count` users over the peer's own POST /Users, `inFlight` at a time; returns their ids and userNames. */
export async function seedPeer(
  peer: Peer,
  count: number,
  run: string,
  inFlight: number,
  log: (s: string) => void,
): Promise<{ ids: string[]; userNames: string[]; seconds: number; errors: number; firstError?: string; holds?: number }> {
  const ids: string[] = [];
  const userNames: string[] = [];
  const domain = `${run}.bench.example.com`;
  const prefix = peer.baseUrl.pathname;
  const progress = setInterval(() => log(`  … ${ids.length.toLocaleString("en-US")} of ${count.toLocaleString("en-US")}`), 15_000);
  const r = await runLoad({
    name: "peer seed",
    host: peer.baseUrl.hostname,
    port: Number(peer.baseUrl.port),
    token: peer.token,
    connections: inFlight,
    seconds: Infinity,
    maxRequests: count,
    next: (i): Sample => {
      const userName = `user${i + 1}@${domain}`;
      return { method: "POST", path: `${prefix}/Users`, body: peerUser(userName, String(i + 1)), expect: 201 };
    },
    onResponse: (_s, status, body) => {
      if (status !== 201) return;
      const u = JSON.parse(body) as { id: string; userName: string };
      ids.push(u.id);
      userNames.push(u.userName);
    },
  }).finally(() => clearInterval(progress));
  // What its own API says it holds in this connection.
  const list = await fetch(`${peer.baseUrl.href}/Users?count=1`, { headers: { authorization: `Bearer ${peer.token}` } });
  const holds = list.ok ? ((await list.json()) as { totalResults?: number }).totalResults : undefined;
  return { ids, userNames, seconds: r.seconds, errors: r.errors, firstError: r.firstError, holds };
}

/** Its PostgreSQL's durability settings and the versions in its package.json, for the report. */
export async function peerFacts(dir: string): Promise<{ durability: string; versions: string }> {
  const db = postgres("postgres://betterauth@127.0.0.1:55433/betterauth", { max: 1, onnotice: () => {} });
  let durability = "?";
  try {
    const [r] = await db<
      { fsync: string; sc: string }[]
    >`select current_setting('fsync') as fsync, current_setting('synchronous_commit') as sc`;
    durability = `fsync=${r!.fsync}, synchronous_commit=${r!.sc}`;
  } catch {
    /* not reachable: left as "?" */
  } finally {
    await db.end();
  }
  const deps =
    (JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { dependencies?: Record<string, string> }).dependencies ?? {};
  const versions = ["better-auth", "@better-auth/scim"].map((d) => `${d} ${deps[d] ?? "?"}`).join(" + ");
  return { durability, versions };
}
