// The scan store on real SQLite files: migrations, badge scan selection, history, retention, bad files.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openStoreFromEnv } from "../../src/store/index.js";
import { MIGRATIONS } from "../../src/store/migrations.js";
import { recordScan } from "../../src/store/record.js";
import { ScanStore, StoreError, schemaVersion } from "../../src/store/store.js";
import { scanFiles } from "../helpers.js";
import { scanInput, tempDir } from "./helpers.js";

let dir: string;
let cleanup: () => void;
const open: ScanStore[] = [];

function openStore(name = "scans.db", options = {}): ScanStore {
  const store = ScanStore.open(join(dir, name), options);
  open.push(store);
  return store;
}

beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => {
  for (const store of open.splice(0)) store.close();
  cleanup();
});

describe("opening and migrating", () => {
  it("creates the folder, the file and the whole schema from nothing, in WAL mode", () => {
    const store = openStore("nested/deeper/scans.db");
    expect(existsSync(join(dir, "nested/deeper/scans.db"))).toBe(true);
    store.close();
    const db = new Database(join(dir, "nested/deeper/scans.db"));
    expect(schemaVersion(db)).toBe(MIGRATIONS[MIGRATIONS.length - 1].version);
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(["repos", "scans", "schema_migrations", "store_meta"]);
    db.close();
  });

  it("applies each migration once: reopening keeps the data and the recorded versions", () => {
    openStore().record(scanInput());
    open.pop()!.close();
    const store = openStore();
    expect(store.badge("octo/app")?.scan.score).toBe(72);
    store.close();
    const db = new Database(join(dir, "scans.db"));
    expect(db.prepare("SELECT version FROM schema_migrations").pluck().all()).toEqual(MIGRATIONS.map((m) => m.version));
    db.close();
  });

  it("refuses a database from a newer version with a clear error", () => {
    openStore().close();
    const db = new Database(join(dir, "scans.db"));
    db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'future', 'now')").run();
    db.close();
    expect(() => ScanStore.open(join(dir, "scans.db"))).toThrow(/schema version 99, newer than this build knows/);
  });

  it("refuses a file that is not a SQLite database, naming it and saying what to do", () => {
    const file = join(dir, "scans.db");
    writeFileSync(file, "this is a text file, not a database\n".repeat(200));
    const error = catchError(() => ScanStore.open(file));
    expect(error).toBeInstanceOf(StoreError);
    expect(error.message).toContain(file);
    expect(error.message).toMatch(/not a SQLite database.*move it aside/);
    // the file is left as it was, for whoever investigates
    expect(readFileSync(file, "utf8")).toMatch(/^this is a text file/);
  });

  it("refuses a damaged SQLite file at start, not at the first scan", () => {
    const file = join(dir, "scans.db");
    const store = openStore();
    for (let i = 0; i < 300; i++) store.record(scanInput({ repo: `octo/r${i}`, headSha: "b".repeat(40) + i }));
    store.close();
    const bytes = readFileSync(file);
    bytes.fill(0x41, 4096, 4096 * 6); // overwrite pages 2–6 (the tables' b-tree pages)
    writeFileSync(file, bytes);
    const error = catchError(() => ScanStore.open(file));
    expect(error).toBeInstanceOf(StoreError);
    expect(error.message).toContain(file);
    expect(error.message).toMatch(/corrupt|damaged/);
  });

  it("refuses a path it cannot write to (a folder, a path under a file)", () => {
    mkdirSync(join(dir, "a-folder"));
    expect(() => ScanStore.open(join(dir, "a-folder"))).toThrow(StoreError);
    writeFileSync(join(dir, "plain-file"), "x");
    const error = catchError(() => ScanStore.open(join(dir, "plain-file", "scans.db")));
    expect(error).toBeInstanceOf(StoreError);
    expect(error.message).toContain("plain-file");
  });

  it("reads DATABASE_PATH and SCAN_RETENTION_DAYS, and rejects a bad retention", () => {
    const store = openStoreFromEnv({ DATABASE_PATH: join(dir, "env.db"), SCAN_RETENTION_DAYS: "30" });
    open.push(store);
    expect(store.path).toBe(join(dir, "env.db"));
    expect(() => openStoreFromEnv({ DATABASE_PATH: join(dir, "env2.db"), SCAN_RETENTION_DAYS: "a month" })).toThrow(
      /SCAN_RETENTION_DAYS/,
    );
    expect(() => openStoreFromEnv({ DATABASE_PATH: join(dir, "env2.db"), SCAN_RETENTION_DAYS: "-1" })).toThrow(
      StoreError,
    );
  });
});

describe("recording scans", () => {
  it("stores every field of a scan and reads it back", () => {
    const store = openStore();
    const stored = store.record(scanInput({ scannedAt: Date.UTC(2025, 0, 2) }));
    const entry = store.badge("octo/app")!;
    expect(entry).toEqual({ repo: "octo/app", private: false, defaultBranch: "main", scan: stored });
    expect(entry.scan).toMatchObject({
      ref: "main",
      headSha: "a".repeat(40),
      score: 72,
      level: "senior",
      scannedAt: Date.UTC(2025, 0, 2),
    });
    expect(entry.scan.tasks).toEqual({
      deploy: 80,
      cicd: 90,
      monitoring: 60,
      docker: 70,
      architecture: 50,
      coordination: 82,
      backups: null,
    });
  });

  it("records a real Report through recordScan", async () => {
    const report = await scanFiles({
      "README.md": "# app\n",
      "scripts/deploy.sh": "#!/bin/sh\nset -eu\nkubectl apply -f k8s/\n",
    });
    const store = openStore();
    recordScan(store, {
      repo: "octo/app",
      ref: "refs/heads/main",
      headSha: "c".repeat(40),
      private: false,
      report,
      defaultBranch: "main",
    });
    const entry = store.badge("octo/app")!;
    expect(entry.scan.score).toBe(report.score);
    expect(entry.scan.level).toBe(report.level);
    expect(Object.keys(entry.scan.tasks).sort()).toEqual(report.tasks.map((t) => t.id).sort());
    for (const task of report.tasks) expect(entry.scan.tasks[task.id]).toBe(task.score);
  });

  it("looks repos up case-insensitively, as GitHub does, and keeps GitHub's spelling", () => {
    const store = openStore();
    store.record(scanInput({ repo: "Octo/App" }));
    expect(store.badge("octo/app")?.repo).toBe("Octo/App");
    expect(store.badge("OCTO/APP")?.scan.score).toBe(72);
  });

  it("moves the badge only with scans of the default branch (refs/heads/main is main)", () => {
    const store = openStore();
    store.record(scanInput({ ref: "refs/heads/main", score: 50, level: "junior" }));
    store.record(scanInput({ ref: "refs/pull/7/head", score: 95, level: "lead" }));
    store.record(scanInput({ ref: "feature/x", score: 10, level: "junior" }));
    expect(store.badge("octo/app")?.scan).toMatchObject({ ref: "main", score: 50 });
    store.record(scanInput({ ref: "main", score: 61 }));
    expect(store.badge("octo/app")?.scan.score).toBe(61);
  });

  it("follows a renamed default branch, and takes any ref while the default branch is unknown", () => {
    const store = openStore();
    store.record(
      scanInput({ repo: "octo/nodefault", defaultBranch: undefined, ref: "dev", score: 40, level: "junior" }),
    );
    expect(store.badge("octo/nodefault")?.scan.ref).toBe("dev");
    store.record(scanInput({ ref: "main", score: 50 }));
    store.record(scanInput({ ref: "trunk", defaultBranch: "trunk", score: 70 }));
    expect(store.badge("octo/app")?.scan).toMatchObject({ ref: "trunk", score: 70 });
    expect(store.badge("octo/app")?.defaultBranch).toBe("trunk");
  });

  it("writes nothing when part of a scan is invalid: the repo row and the scan row go together", () => {
    const store = openStore();
    expect(() => store.record(scanInput({ level: "guru" as never }))).toThrow();
    expect(store.counts()).toEqual({ repos: 0, scans: 0 });
    expect(() => store.record(scanInput({ score: 101 }))).toThrow(RangeError);
    expect(() => store.record(scanInput({ repo: "no-slash" }))).toThrow(RangeError);
    expect(() => store.record(scanInput({ repo: "a/b/c" }))).toThrow(RangeError);
    expect(store.counts()).toEqual({ repos: 0, scans: 0 });
  });

  it("stores hostile strings as plain data (parameterised SQL)", () => {
    const store = openStore();
    const repo = "octo/x'); DROP TABLE scans; --";
    store.record(scanInput({ repo, ref: "'; DELETE FROM repos; --", defaultBranch: "'; DELETE FROM repos; --" }));
    expect(store.badge(repo)?.repo).toBe(repo);
    expect(store.counts()).toEqual({ repos: 1, scans: 1 });
  });

  it("keeps the latest visibility of a repo and forgets a repo with all its scans", () => {
    const store = openStore();
    store.record(scanInput({ private: true }));
    expect(store.badge("octo/app")?.private).toBe(true);
    store.record(scanInput({ private: false }));
    expect(store.badge("octo/app")?.private).toBe(false);
    store.setPrivate("octo/app", true);
    expect(store.badge("octo/app")?.private).toBe(true);
    store.record(scanInput({ repo: "octo/other" }));
    store.forget("OCTO/app");
    expect(store.badge("octo/app")).toBeUndefined();
    expect(store.counts()).toEqual({ repos: 1, scans: 1 });
  });
});

describe("history", () => {
  it("lists the default branch's scans oldest first, the newest `limit` of them", () => {
    const store = openStore();
    for (let i = 1; i <= 5; i++)
      store.record(scanInput({ score: i * 10, headSha: `${i}`.repeat(40), scannedAt: i * 1000 }));
    store.record(scanInput({ ref: "refs/pull/3/head", score: 99 }));
    const history = store.history("octo/app")!;
    expect(history.ref).toBe("main");
    expect(history.scans.map((s) => s.score)).toEqual([10, 20, 30, 40, 50]);
    expect(store.history("octo/app", { limit: 2 })!.scans.map((s) => s.score)).toEqual([40, 50]);
    expect(store.history("octo/app", { ref: "refs/pull/3/head" })!.scans.map((s) => s.score)).toEqual([99]);
    expect(store.history("octo/unknown")).toBeUndefined();
  });
});

describe("retention", () => {
  it("prunes scans older than the retention period but never a repo's badge scan", () => {
    let now = Date.UTC(2025, 0, 1);
    const day = 86_400_000;
    const store = openStore("scans.db", { retentionDays: 30, now: () => now });
    store.record(scanInput({ score: 10, scannedAt: now - 100 * day }));
    store.record(scanInput({ score: 20, scannedAt: now - 40 * day }));
    store.record(scanInput({ score: 30, scannedAt: now - 10 * day }));
    store.record(scanInput({ ref: "refs/pull/1/head", score: 40, scannedAt: now - 50 * day }));
    store.record(scanInput({ repo: "octo/stale", score: 5, scannedAt: now - 400 * day }));
    expect(store.prune()).toBe(3);
    expect(store.history("octo/app")!.scans.map((s) => s.score)).toEqual([30]);
    expect(store.history("octo/app", { ref: "refs/pull/1/head" })!.scans).toEqual([]);
    // a repo not scanned for a long time keeps its badge
    expect(store.badge("octo/stale")?.scan.score).toBe(5);

    // once a newer scan takes the badge, the old one ages out like any other
    store.record(scanInput({ score: 35, scannedAt: now - 5 * day }));
    now += 25 * day;
    expect(store.prune()).toBe(1);
    expect(store.history("octo/app")!.scans.map((s) => s.score)).toEqual([35]);
  });

  it("keeps everything with retention 0", () => {
    const store = openStore("scans.db", { retentionDays: 0 });
    store.record(scanInput({ scannedAt: 0 }));
    store.record(scanInput({ scannedAt: 1 }));
    expect(store.prune()).toBe(0);
    expect(store.counts().scans).toBe(2);
  });

  it("prunes at open", () => {
    const store = openStore("scans.db", { retentionDays: 0 });
    store.record(scanInput({ score: 1, scannedAt: 0 }));
    store.record(scanInput({ score: 2 }));
    store.close();
    const reopened = openStore("scans.db", { retentionDays: 7 });
    expect(reopened.history("octo/app")!.scans.map((s) => s.score)).toEqual([2]);
  });
});

describe("health and size", () => {
  it("answers ping while open, throws once closed, and reports its size on disk", () => {
    const store = openStore();
    store.record(scanInput());
    expect(() => store.ping()).not.toThrow();
    expect(store.sizeBytes()).toBeGreaterThan(4096);
    store.close();
    expect(() => store.ping()).toThrow();
  });
});

function catchError(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected an error");
}

describe("recordMany", () => {
  it("writes a batch in one transaction: all of it, or none when one scan is invalid", () => {
    const store = openStore();
    const stored = store.recordMany([
      scanInput({ repo: "octo/a" }),
      scanInput({ repo: "octo/b", score: 10, level: "junior" }),
    ]);
    expect(stored.map((s) => s.repo)).toEqual(["octo/a", "octo/b"]);
    expect(store.badge("octo/b")?.scan.score).toBe(10);
    expect(() => store.recordMany([scanInput({ repo: "octo/c" }), scanInput({ repo: "octo/d", score: -1 })])).toThrow(
      RangeError,
    );
    expect(store.badge("octo/c")).toBeUndefined();
    expect(store.counts()).toEqual({ repos: 2, scans: 2 });
  });
});

describe("badge answers kept in memory", () => {
  it("sees writes made through another connection to the same file within a second", () => {
    let now = 1_000_000;
    const reader = openStore("scans.db", { now: () => now });
    const writer = openStore();
    expect(reader.badge("octo/app")).toBeUndefined();
    writer.record(scanInput({ score: 40, level: "junior" }));
    now += 1000;
    expect(reader.badge("octo/app")?.scan.score).toBe(40);
    writer.record(scanInput({ score: 41, level: "junior" }));
    now += 999;
    expect(reader.badge("octo/app")?.scan.score).toBe(40); // still the answer kept in memory
    now += 1;
    expect(reader.badge("octo/app")?.scan.score).toBe(41);
    writer.setPrivate("octo/app", true);
    now += 1000;
    expect(reader.badge("octo/app")?.private).toBe(true);
  });

  it("sees its own writes at once, and hands out answers nobody can change", () => {
    const store = openStore();
    store.record(scanInput({ score: 40, level: "junior" }));
    const first = store.badge("octo/app")!;
    expect(Object.isFrozen(first) && Object.isFrozen(first.scan)).toBe(true);
    store.record(scanInput({ score: 50, level: "junior" }));
    expect(store.badge("octo/app")?.scan.score).toBe(50);
    store.setPrivate("octo/app", true);
    expect(store.badge("octo/app")?.private).toBe(true);
    store.forget("octo/app");
    expect(store.badge("octo/app")).toBeUndefined();
  });
});
