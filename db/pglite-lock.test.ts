import { execFile } from "node:child_process";
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

describe("lockPgliteDir across processes", () => {
  it("treats an empty lock file (a process that died between creating and writing it) as stale", () => {
    const dir = tmp();
    writeFileSync(`${dir}.lock`, "");
    const release = lockPgliteDir(dir, "test");
    expect(JSON.parse(readFileSync(`${dir}.lock`, "utf8")).pid).toBe(process.pid);
    release();
  });

  it("of processes started at the same moment exactly one gets the lock, every time", async () => {
    // Each child waits for a common start time, takes the lock, says whether it got it, and holds it a moment.
    const child = `(async () => {
      const { lockPgliteDir } = await import(${JSON.stringify(path.resolve("db/pglite-lock.ts"))});
      const [dir, at] = process.argv.slice(-2);
      while (Date.now() < Number(at)) {}
      try { lockPgliteDir(dir, "racer"); console.log("locked"); await new Promise((r) => setTimeout(r, 2000)); }
      catch (e) { console.log(e.name); }
    })()`;
    for (let round = 0; round < 5; round++) {
      const dir = tmp();
      const at = String(Date.now() + 2500);
      const outputs = await Promise.all(
        Array.from(
          { length: 4 },
          () =>
            new Promise<string>((resolve, reject) => {
              execFile("node_modules/.bin/tsx", ["--eval", child, "--", dir, at], (err, stdout) =>
                err ? reject(err) : resolve(stdout.trim()),
              );
            }),
        ),
      );
      expect(
        outputs.filter((o) => o === "locked"),
        `round ${round}: ${outputs.join(", ")}`,
      ).toHaveLength(1);
      expect(outputs.filter((o) => o === "DatabaseInUseError")).toHaveLength(3);
    }
  });
});
