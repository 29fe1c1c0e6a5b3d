// The SQLite store on real files: the Store contract (test/store/contract.ts), and what only a file has:
// migrations, bad and damaged files, DATABASE_PATH, the badge answers kept in memory across connections.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openStore as openStoreFromEnv } from "../../src/store/index.js";
import { SqliteStore, schemaVersion } from "../../src/store/sqlite/index.js";
import { MIGRATIONS } from "../../src/store/sqlite/migrations.js";
import { StoreError, type StoreOptions } from "../../src/store/store.js";
import { describeJobStoreContract, describeScanContract } from "./contract.js";
import { describeCreditContract } from "./credits-contract.js";
import { describeDashboardContract } from "./dashboard-contract.js";
import { scanInput, tempDir } from "./helpers.js";

let dir: string;
let cleanup: () => void;
const open: SqliteStore[] = [];

function openStore(name = "scans.db", options = {}): SqliteStore {
  const store = SqliteStore.open(join(dir, name), options);
  open.push(store);
  return store;
}

beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => {
  for (const store of open.splice(0)) store.close();
  cleanup();
});

let files = 0;
const fresh = async (options?: StoreOptions) => SqliteStore.open(join(dir, `contract-${files++}.db`), options);
describeScanContract("SQLite", fresh);
describeJobStoreContract("SQLite", fresh);
describeDashboardContract("SQLite", fresh);
describeCreditContract("SQLite", fresh);

describe("opening and migrating", () => {
  it("creates the folder, the file and the whole schema from nothing, in WAL mode", () => {
    const store = openStore("nested/deeper/scans.db");
    expect(existsSync(join(dir, "nested/deeper/scans.db"))).toBe(true);
    store.close();
    const db = new Database(join(dir, "nested/deeper/scans.db"));
    expect(schemaVersion(db)).toBe(MIGRATIONS[MIGRATIONS.length - 1].version);
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual([
      "credits",
      "dashboard_orgs",
      "dashboard_reports",
      "dashboard_repos",
      "jobs",
      "locks",
      "people",
      "practice_states",
      "regressions",
      "repos",
      "scans",
      "schema_migrations",
      "store_meta",
      "sweeps",
    ]);
    db.close();
  });

  it("applies each migration once: reopening keeps the data and the recorded versions", async () => {
    await openStore().scans.record(scanInput());
    open.pop()!.close();
    const store = openStore();
    expect((await store.scans.badge("octo/app"))?.scan.score).toBe(72);
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
    expect(() => SqliteStore.open(join(dir, "scans.db"))).toThrow(/schema version 99, newer than this build knows/);
  });

  it("refuses a file that is not a SQLite database, naming it and saying what to do", () => {
    const file = join(dir, "scans.db");
    writeFileSync(file, "this is a text file, not a database\n".repeat(200));
    const error = catchError(() => SqliteStore.open(file));
    expect(error).toBeInstanceOf(StoreError);
    expect(error.message).toContain(file);
    expect(error.message).toMatch(/not a SQLite database.*move it aside/);
    // the file is left as it was, for whoever investigates
    expect(readFileSync(file, "utf8")).toMatch(/^this is a text file/);
  });

  it("refuses a damaged SQLite file at start, not at the first scan", async () => {
    const file = join(dir, "scans.db");
    const store = openStore();
    for (let i = 0; i < 300; i++)
      await store.scans.record(scanInput({ repo: `octo/r${i}`, headSha: "b".repeat(40) + i }));
    store.close();
    const bytes = readFileSync(file);
    bytes.fill(0x41, 4096, 4096 * 6); // overwrite pages 2–6 (the tables' b-tree pages)
    writeFileSync(file, bytes);
    const error = catchError(() => SqliteStore.open(file));
    expect(error).toBeInstanceOf(StoreError);
    expect(error.message).toContain(file);
    expect(error.message).toMatch(/corrupt|damaged/);
  });

  it("refuses a path it cannot write to (a folder, a path under a file)", () => {
    mkdirSync(join(dir, "a-folder"));
    expect(() => SqliteStore.open(join(dir, "a-folder"))).toThrow(StoreError);
    writeFileSync(join(dir, "plain-file"), "x");
    const error = catchError(() => SqliteStore.open(join(dir, "plain-file", "scans.db")));
    expect(error).toBeInstanceOf(StoreError);
    expect(error.message).toContain("plain-file");
  });

  it("reads DATABASE_PATH and SCAN_RETENTION_DAYS, and rejects a bad retention", async () => {
    const store = await openStoreFromEnv({ DATABASE_PATH: join(dir, "env.db"), SCAN_RETENTION_DAYS: "30" });
    open.push(store as SqliteStore);
    expect(store.kind).toBe("sqlite");
    expect(store.location).toBe(join(dir, "env.db"));
    await expect(
      openStoreFromEnv({ DATABASE_PATH: join(dir, "env2.db"), SCAN_RETENTION_DAYS: "a month" }),
    ).rejects.toThrow(/SCAN_RETENTION_DAYS/);
    await expect(openStoreFromEnv({ DATABASE_PATH: join(dir, "env2.db"), SCAN_RETENTION_DAYS: "-1" })).rejects.toThrow(
      StoreError,
    );
  });
});

describe("retention", () => {
  it("prunes at open", async () => {
    const store = openStore("scans.db", { retentionDays: 0 });
    await store.scans.record(scanInput({ score: 1, scannedAt: 0 }));
    await store.scans.record(scanInput({ score: 2 }));
    store.close();
    const reopened = openStore("scans.db", { retentionDays: 7 });
    expect((await reopened.scans.history("octo/app"))!.scans.map((s) => s.score)).toEqual([2]);
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

describe("badge answers kept in memory", () => {
  it("sees writes made through another connection to the same file within a second", async () => {
    let now = 1_000_000;
    const reader = openStore("scans.db", { now: () => now });
    const writer = openStore();
    expect(await reader.scans.badge("octo/app")).toBeUndefined();
    await writer.scans.record(scanInput({ score: 40, level: "junior" }));
    now += 1000;
    expect((await reader.scans.badge("octo/app"))?.scan.score).toBe(40);
    await writer.scans.record(scanInput({ score: 41, level: "junior" }));
    now += 999;
    expect((await reader.scans.badge("octo/app"))?.scan.score).toBe(40); // still the answer kept in memory
    now += 1;
    expect((await reader.scans.badge("octo/app"))?.scan.score).toBe(41);
    await writer.scans.setPrivate("octo/app", true);
    now += 1000;
    expect((await reader.scans.badge("octo/app"))?.private).toBe(true);
  });

  it("sees its own writes at once, and hands out answers nobody can change", async () => {
    const store = openStore();
    await store.scans.record(scanInput({ score: 40, level: "junior" }));
    const first = (await store.scans.badge("octo/app"))!;
    expect(Object.isFrozen(first) && Object.isFrozen(first.scan)).toBe(true);
    await store.scans.record(scanInput({ score: 50, level: "junior" }));
    expect((await store.scans.badge("octo/app"))?.scan.score).toBe(50);
    await store.scans.setPrivate("octo/app", true);
    expect((await store.scans.badge("octo/app"))?.private).toBe(true);
    await store.scans.forget("octo/app");
    expect(await store.scans.badge("octo/app")).toBeUndefined();
  });
});
