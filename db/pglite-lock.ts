import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
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

/** Takes the folder's lock for this process; returns the function that releases it. Throws DatabaseInUseError. */
export function lockPgliteDir(dir: string, role: string): () => void {
  mkdirSync(path.dirname(dir), { recursive: true });
  const file = `${dir}.lock`;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, "wx", 0o600);
      const info: LockInfo = { pid: process.pid, role, since: new Date().toISOString(), host: os.hostname() };
      writeSync(fd, JSON.stringify(info));
      closeSync(fd);
      const release = () => {
        if (readLock(file)?.pid === process.pid) {
          try {
            unlinkSync(file);
          } catch {
            /* already gone */
          }
        }
      };
      process.once("exit", release);
      return release;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const holder = readLock(file);
      if (holder && holder.pid === process.pid) return () => {};
      if (holder && holder.host === os.hostname() && isAlive(holder.pid)) throw new DatabaseInUseError(dir, holder);
      // A stale lock (its process is gone, or it is unreadable): take it over.
      try {
        unlinkSync(file);
      } catch {
        /* raced with another process; try again */
      }
    }
  }
  const holder = readLock(file);
  throw new DatabaseInUseError(dir, holder ?? { pid: -1, role: "process", since: "unknown" });
}
