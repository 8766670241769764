import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DatabaseInUseError, lockPgliteDir } from "./pglite-lock";

const tmp = () => path.join(mkdtempSync(path.join(os.tmpdir(), "lock-")), "pglite");

describe("lockPgliteDir", () => {
  it("takes the lock beside the folder and releases it", () => {
    const dir = tmp();
    const release = lockPgliteDir(dir, "test");
    expect(JSON.parse(readFileSync(`${dir}.lock`, "utf8"))).toMatchObject({ pid: process.pid, role: "test" });
    release();
    expect(existsSync(`${dir}.lock`)).toBe(false);
  });

  it("refuses a folder held by another live process, naming it", () => {
    const dir = tmp();
    // The parent of this test worker is alive and is not us.
    writeFileSync(`${dir}.lock`, JSON.stringify({ pid: process.ppid, role: "server", since: "2026-01-01T00:00:00Z", host: os.hostname() }));
    expect(() => lockPgliteDir(dir, "admin CLI")).toThrow(DatabaseInUseError);
    expect(() => lockPgliteDir(dir, "admin CLI")).toThrow(new RegExp(`in use by a running server \\(pid ${process.ppid}`));
  });

  it("takes over a stale lock whose process is gone", () => {
    const dir = tmp();
    writeFileSync(`${dir}.lock`, JSON.stringify({ pid: 2 ** 22 + 12345, role: "server", since: "x", host: os.hostname() }));
    const release = lockPgliteDir(dir, "test");
    expect(JSON.parse(readFileSync(`${dir}.lock`, "utf8")).pid).toBe(process.pid);
    release();
  });
});
