import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { chromium } from "@playwright/test";

const SYSTEM_CHROMIUMS = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable"];

/** Flags that keep a system Chromium quiet on a machine without internet (and usable as root). */
export const SYSTEM_CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
];

/** Playwright's own Chromium when installed (undefined: use it as is), else a system one's path, else null. */
export function findChromium(): { kind: "playwright" } | { kind: "system"; path: string } | null {
  try {
    if (existsSync(chromium.executablePath())) return { kind: "playwright" };
  } catch {
    /* not installed */
  }
  const path = SYSTEM_CHROMIUMS.find((p) => existsSync(p));
  return path ? { kind: "system", path } : null;
}

/** Finds a browser, installing one when none exists: Debian's chromium as root, else Playwright's installer. */
export function ensureChromium(log: (line: string) => void): ReturnType<typeof findChromium> & object {
  const found = findChromium();
  if (found) return found;
  const isRoot = process.getuid?.() === 0;
  if (isRoot && spawnSync("which", ["apt-get"]).status === 0) {
    log("No Chromium found: installing Debian's chromium with apt-get (about a minute)…");
    try {
      execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit" });
      execFileSync("apt-get", ["install", "-y", "-qq", "chromium"], {
        stdio: "inherit",
        env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
      });
    } catch {
      log("apt-get could not install chromium.");
    }
  } else {
    log("No Chromium found: trying `npx playwright install chromium`…");
    spawnSync("node_modules/.bin/playwright", ["install", "chromium"], { stdio: "inherit" });
  }
  const after = findChromium();
  if (after) return after;
  throw new Error(
    "No Chromium for the end-to-end tests. Install one: `npx playwright install chromium` (needs internet), " +
      "or on Debian/Ubuntu as root `apt-get install chromium`, then run `npm test` again.",
  );
}
