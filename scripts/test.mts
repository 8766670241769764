// npm test — the whole suite: lint, typecheck, unit + integration (vitest), production build, end-to-end
// (Playwright in Chromium against `next start`). With DATABASE_URL set, integration and e2e run on that
// PostgreSQL (it must be on this machine); else on PGlite. Ends with one line: "tests: N passed, N failed, N skipped".
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ensureChromium } from "../e2e/support/browser";

const started = Date.now();
const log = (line: string) => console.log(`\n▶ ${line}`);

function refuseRemoteDatabase() {
  const url = process.env.DATABASE_URL;
  if (!url) return;
  const host = new URL(url).hostname;
  if (!["localhost", "127.0.0.1", "::1", "[::1]"].includes(host) && process.env.ALLOW_NONLOCAL_TEST_DATABASE !== "1") {
    console.error(
      `npm test: refusing to run against ${host}: the suites write to the database. Use a local throwaway PostgreSQL (or set ALLOW_NONLOCAL_TEST_DATABASE=1).`,
    );
    process.exit(2);
  }
}

function run(title: string, cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): boolean {
  log(title);
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { stdio: "inherit", env });
  const ok = r.status === 0;
  console.log(`${ok ? "✓" : "✗"} ${title} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  return ok;
}

function readJson(file: string): Record<string, unknown> | null {
  try {
    return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

refuseRemoteDatabase();
rmSync("test-results", { recursive: true, force: true });
const db = process.env.DATABASE_URL ? "PostgreSQL (DATABASE_URL)" : "PGlite";
console.log(`npm test on ${db}`);

const failures: string[] = [];
const bin = (name: string) => `node_modules/.bin/${name}`;
if (!run("lint (eslint)", bin("eslint"), ["."])) failures.push("lint");
if (!run("format (prettier --check)", bin("prettier"), ["--check", "."])) failures.push("format");
if (!run("typecheck (tsc --noEmit)", bin("tsc"), ["--noEmit"])) failures.push("typecheck");
if (!run("unit + integration (vitest)", bin("vitest"), ["run"])) failures.push("vitest");
const built = run("build (next build)", bin("next"), ["build"], { ...process.env, NEXT_TELEMETRY_DISABLED: "1" });
if (!built) failures.push("build");

if (built) {
  log("browser");
  let browserOk = true;
  try {
    const found = ensureChromium((l) => console.log(l));
    console.log(found.kind === "system" ? `Using the system Chromium at ${found.path}` : "Using Playwright's Chromium");
  } catch (e) {
    console.error((e as Error).message);
    browserOk = false;
    failures.push("browser");
  }
  if (browserOk) {
    const scratch = mkdtempSync(path.join(os.tmpdir(), "portal-e2e-"));
    const env = {
      ...process.env,
      E2E_DATA_DIR: scratch,
      ...(process.env.DATABASE_URL ? {} : { E2E_PGLITE_DIR: path.join(scratch, "pglite") }),
    };
    if (!run("end-to-end (playwright)", bin("playwright"), ["test"], env)) failures.push("e2e");
    rmSync(scratch, { recursive: true, force: true });
  }
}

// One closing line for people and CI: every test counted, whichever runner ran it — skipped ones too, and test
// files that failed to load (vitest) or errors outside any test (Playwright) count as failures.
type VitestReport = {
  numPassedTests?: number;
  numFailedTests?: number;
  numPendingTests?: number;
  numTodoTests?: number;
  testResults?: { status?: string; assertionResults?: unknown[] }[];
};
type PlaywrightReport = { stats?: { expected?: number; unexpected?: number; flaky?: number; skipped?: number }; errors?: unknown[] };
const vitest = readJson("test-results/vitest.json") as VitestReport | null;
const pw = readJson("test-results/playwright.json") as PlaywrightReport | null;
const unloaded = (vitest?.testResults ?? []).filter((f) => f.status === "failed" && (f.assertionResults?.length ?? 0) === 0).length;
const passed = (vitest?.numPassedTests ?? 0) + (pw?.stats?.expected ?? 0) + (pw?.stats?.flaky ?? 0);
const failed = (vitest?.numFailedTests ?? 0) + unloaded + (pw?.stats?.unexpected ?? 0) + (pw?.errors?.length ?? 0);
const skipped = (vitest?.numPendingTests ?? 0) + (vitest?.numTodoTests ?? 0) + (pw?.stats?.skipped ?? 0);
console.log(
  `\nnpm test on ${db}: ${failures.length ? `FAILED (${failures.join(", ")})` : "all steps green"} in ${Math.round((Date.now() - started) / 1000)} s`,
);
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failures.length ? 1 : 0);
