// The SQLite store, the default: one file (DATABASE_PATH), WAL, transactional writes, a versioned schema.
// Opened synchronously (a local file answers at once); every part's methods are async like PostgreSQL's.
import { mkdirSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Database from "better-sqlite3";
import { type Migration, messageOf, newerSchemaError, type Store, StoreError, type StoreOptions } from "../store.js";
import { SqliteCredits } from "./credits.js";
import { SqliteDashboard } from "./dashboard.js";
import { SqliteJobs } from "./jobs.js";
import { SqliteLocks } from "./locks.js";
import { MIGRATIONS } from "./migrations.js";
import { SqliteScans } from "./scans.js";
import { SqliteSweeps } from "./sweeps.js";

export class SqliteStore implements Store {
  readonly kind = "sqlite";
  readonly scans: SqliteScans;
  readonly dashboard: SqliteDashboard;
  readonly jobs: SqliteJobs;
  readonly locks: SqliteLocks;
  readonly sweeps: SqliteSweeps;
  readonly credits: SqliteCredits;

  private constructor(
    readonly location: string,
    /** the connection, for the backend's own parts and for tests; nothing else should reach for it */
    readonly db: Database.Database,
    options: StoreOptions,
  ) {
    const now = options.now ?? Date.now;
    this.scans = new SqliteScans(db, options.retentionDays ?? 0, now);
    this.dashboard = new SqliteDashboard(db, now);
    this.jobs = new SqliteJobs(db);
    this.locks = new SqliteLocks(db, now);
    this.sweeps = new SqliteSweeps(db);
    this.credits = new SqliteCredits(db, now);
  }

  /**
   * Opens (creating it when missing) and migrates the database at `path`, or throws a StoreError that
   * names the file and the problem: not a database, corrupt, unwritable, or from a newer version.
   */
  static open(path: string, options: StoreOptions = {}): SqliteStore {
    const file = path === ":memory:" ? path : resolve(path);
    if (file !== ":memory:") {
      try {
        mkdirSync(dirname(file), { recursive: true });
      } catch (error) {
        throw new StoreError(`cannot create the folder of the database ${file}: ${messageOf(error)}`);
      }
    }
    let db: Database.Database;
    try {
      db = new Database(file);
    } catch (error) {
      throw new StoreError(`cannot open the database ${file}: ${messageOf(error)}${hint(error)}`);
    }
    try {
      db.pragma("journal_mode = WAL");
      // FULL: a committed write survives a power cut too; writes are a few per scan, so the cost is nil
      db.pragma("synchronous = FULL");
      db.pragma("foreign_keys = ON");
      db.pragma("busy_timeout = 5000");
      const check = db.pragma("quick_check", { simple: true });
      if (check !== "ok")
        throw new StoreError(`the database ${file} is corrupt (quick_check: ${String(check)})${CORRUPT_HINT}`);
      migrate(db, file);
      // a real write, so that a read-only file or folder fails now rather than at the first scan
      db.prepare(
        "INSERT INTO store_meta (key, value) VALUES ('opened_at', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      ).run(new Date().toISOString());
    } catch (error) {
      db.close();
      if (error instanceof StoreError) throw error;
      throw new StoreError(`cannot use the database ${file}: ${messageOf(error)}${hint(error)}`);
    }
    const store = new SqliteStore(file, db, options);
    store.scans.pruneNow();
    return store;
  }

  async ping(): Promise<void> {
    this.db.prepare("SELECT 1").get();
  }

  async sizeBytes(): Promise<number> {
    if (this.location === ":memory:") {
      return (
        Number(this.db.pragma("page_count", { simple: true })) * Number(this.db.pragma("page_size", { simple: true }))
      );
    }
    return fileSize(this.location) + fileSize(`${this.location}-wal`);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

/** The schema version the database is at (0 for a new file). */
export function schemaVersion(db: Database.Database): number {
  const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  if (!table) return 0;
  return Number(db.prepare("SELECT coalesce(max(version), 0) FROM schema_migrations").pluck().get());
}

function migrate(db: Database.Database, file: string, migrations: readonly Migration[] = MIGRATIONS): void {
  const latest = migrations[migrations.length - 1]?.version ?? 0;
  const apply = db.transaction(() => {
    db.exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
    );
    const current = schemaVersion(db);
    if (current > latest) throw newerSchemaError(file, current, latest, "DATABASE_PATH");
    const record = db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)");
    for (const migration of migrations) {
      if (migration.version <= current) continue;
      db.exec(migration.sql);
      record.run(migration.version, migration.name, new Date().toISOString());
    }
  });
  apply.immediate();
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

const CORRUPT_HINT = "; move it aside (a new one is created at start) or restore it from a backup";

function hint(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  if (code === "SQLITE_NOTADB" || code === "SQLITE_CORRUPT")
    return ` (not a SQLite database, or a damaged one)${CORRUPT_HINT}`;
  if (code === "SQLITE_READONLY" || code === "SQLITE_CANTOPEN" || code === "SQLITE_PERM") {
    return "; check that the file and its folder exist and are writable by this process, or set DATABASE_PATH";
  }
  return "";
}
