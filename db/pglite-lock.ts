import { linkSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * PGlite has no inter-process lock: two processes writing one folder silently lose rows. We keep our own lock
 * file beside the folder (`<dir>.lock`, holding the owner's pid) and refuse to open a folder a live process holds.
 */
export class DatabaseInUseError extends Error {
  override name = "DatabaseInUseError";
  constructor(
    readonly dir: string,
    readonly holder: { pid: number; role: string; since: string },
  ) {
    super(
      `The embedded database at ${dir} is in use by a running ${holder.role} (pid ${holder.pid}, since ${holder.since}). ` +
        `PGlite allows one process per folder: stop that process first, or use PostgreSQL (set DATABASE_URL), which any number of processes can share.`,
    );
  }
}

type LockInfo = { pid: number; role: string; since: string; host: string };

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readLock(file: string): LockInfo | null {
  try {
    const info = JSON.parse(readFileSync(file, "utf8")) as LockInfo;
    return typeof info.pid === "number" ? info : null;
  } catch {
    return null;
  }
}

/**
 * Creates `file` holding `info`, atomically: the content is written to a file of this process's own first and
 * hard-linked into place, which fails if `file` exists — so nobody ever sees a lock file without its owner, and of
 * two processes exactly one link succeeds. False when `file` exists.
 */
function createAtomically(file: string, info: LockInfo): boolean {
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(tmp, JSON.stringify(info), { mode: 0o600 });
  try {
    linkSync(tmp, file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw e;
  } finally {
    rmSync(tmp, { force: true });
  }
}

/** How long a takeover may hold its own little lock before another process may assume it died. */
const TAKEOVER_STALE_MS = 10_000;

/**
 * Removes a stale lock (its process is gone, or it is empty or unreadable: written by a process that died, or by an
 * older version that created the file before writing it) — under a takeover lock of its own, re-reading the lock
 * first, so that a process never removes a lock another process has just taken.
 */
function removeStale(file: string, stale: string): void {
  const takeover = `${file}.takeover`;
  const mine: LockInfo = { pid: process.pid, role: "takeover", since: new Date().toISOString(), host: os.hostname() };
  if (!createAtomically(takeover, mine)) {
    try {
      if (Date.now() - statSync(takeover).mtimeMs > TAKEOVER_STALE_MS) rmSync(takeover, { force: true });
    } catch {
      /* gone meanwhile */
    }
    return;
  }
  try {
    if (readRaw(file) === stale) rmSync(file, { force: true });
  } finally {
    rmSync(takeover, { force: true });
  }
}

function readRaw(file: string): string | null {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return null;
  }
}

/** Takes the folder's lock for this process; returns the function that releases it. Throws DatabaseInUseError. */
export function lockPgliteDir(dir: string, role: string): () => void {
  mkdirSync(path.dirname(dir), { recursive: true });
  const file = `${dir}.lock`;
  const info: LockInfo = { pid: process.pid, role, since: new Date().toISOString(), host: os.hostname() };
  for (let attempt = 0; attempt < 5; attempt++) {
    if (createAtomically(file, info)) {
      const release = () => {
        if (readLock(file)?.pid === process.pid) rmSync(file, { force: true });
      };
      process.once("exit", release);
      return release;
    }
    const raw = readRaw(file);
    if (raw === null) continue; // released meanwhile: try again
    const holder = readLock(file);
    if (holder && holder.pid === process.pid) return () => {};
    if (holder && holder.host === os.hostname() && isAlive(holder.pid)) throw new DatabaseInUseError(dir, holder);
    removeStale(file, raw);
  }
  const holder = readLock(file);
  throw new DatabaseInUseError(dir, holder ?? { pid: -1, role: "process", since: "unknown" });
}
