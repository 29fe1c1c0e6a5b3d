// A process killed in the middle of writing loses nothing it committed and leaves no half-written scan.
import { spawn } from "node:child_process";
import { copyFileSync } from "node:fs";
import { join, resolve } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SqliteStore } from "../../src/store/sqlite/index.js";
import { compileStore, tempDir } from "./helpers.js";

let dir: string;
let cleanup: () => void;

beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  compileStore(dir);
  copyFileSync(resolve("test/store/crash-child.mjs"), join(dir, "crash-child.mjs"));
});
afterEach(() => cleanup());

/** Runs the child until `until(lines)` holds, then SIGKILLs it; returns every line it wrote. */
function runAndKill(dbPath: string, mode: string, until: (lines: string[]) => boolean): Promise<string[]> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(dir, "crash-child.mjs"), dbPath, mode], {
      cwd: dir,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    let killed = false;
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (!killed && until(out.split("\n").filter(Boolean))) {
        killed = true;
        process.kill(child.pid!, "SIGKILL");
      }
    });
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.on("exit", (_code, signal) => {
      if (signal !== "SIGKILL") fail(new Error(`child ended by itself: ${err}`));
      else done(out.split("\n").filter(Boolean));
    });
  });
}

function committedIds(lines: string[]): number[] {
  return lines.filter((l) => l.startsWith("committed ")).map((l) => Number(l.slice("committed ".length)));
}

function assertConsistent(dbPath: string): void {
  const db = new Database(dbPath, { readonly: true });
  try {
    expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
    expect(db.pragma("foreign_key_check")).toEqual([]);
    // every repo the child created came with its scan: a repo without one is a half-written record
    const orphans = db
      .prepare("SELECT count(*) FROM repos r WHERE NOT EXISTS (SELECT 1 FROM scans s WHERE s.repo_id = r.id)")
      .pluck()
      .get();
    expect(orphans).toBe(0);
    const noBadge = db.prepare("SELECT count(*) FROM repos WHERE badge_scan_id IS NULL").pluck().get();
    expect(noBadge).toBe(0);
  } finally {
    db.close();
  }
}

describe("crash safety (a real child process, SIGKILL)", () => {
  it("keeps the committed scan and drops the one whose transaction was open", async () => {
    const dbPath = join(dir, "crash.db");
    const lines = await runAndKill(dbPath, "mid-transaction", (l) => l.includes("inside"));
    expect(lines).toEqual(["committed 1", "inside"]);

    assertConsistent(dbPath);
    const store = SqliteStore.open(dbPath);
    try {
      expect((await store.scans.badge("octo/repo-1"))?.scan.score).toBe(1);
      expect(await store.scans.badge("octo/repo-2")).toBeUndefined();
      expect(await store.scans.history("octo/repo-2")).toBeUndefined();
      expect(await store.scans.counts()).toEqual({ repos: 1, scans: 1 });
    } finally {
      store.close();
    }
  });

  it("loses none of the scans committed before a kill in the middle of a stream of writes", async () => {
    const dbPath = join(dir, "stream.db");
    const lines = await runAndKill(dbPath, "loop", (l) => l.length >= 150);
    const committed = committedIds(lines);
    expect(committed.length).toBeGreaterThanOrEqual(150);

    assertConsistent(dbPath);
    const store = SqliteStore.open(dbPath);
    try {
      for (const i of committed)
        expect((await store.scans.badge(`octo/repo-${i}`))?.scan.headSha).toBe(i.toString(16).padStart(40, "0"));
      const { repos, scans } = await store.scans.counts();
      expect(scans).toBe(repos);
      // every line the child wrote is read, even after the kill: at most one scan was committed
      // between its commit and its line when the kill landed
      expect(scans - committed.length).toBeGreaterThanOrEqual(0);
      expect(scans - committed.length).toBeLessThanOrEqual(1);
      // the store still takes writes after recovery
      await store.scans.record({
        repo: "octo/after",
        ref: "main",
        headSha: "f".repeat(40),
        private: false,
        score: 5,
        level: "junior",
        tasks: {},
      });
      expect((await store.scans.badge("octo/after"))?.scan.score).toBe(5);
    } finally {
      store.close();
    }
  });
});
