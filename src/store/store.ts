// The scan store: every completed scan, in one SQLite file (WAL, transactional writes, versioned schema).
// The app records a scan after each check run; the badge and history endpoints read from here.
import { mkdirSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Database from "better-sqlite3";
import type { LevelId } from "../engine/types.js";
import { MIGRATIONS, type Migration } from "./migrations.js";

/** A database that cannot be used; the message says which file and what to do. */
export class StoreError extends Error {
  override name = "StoreError";
}

export interface StoreOptions {
  /** scans older than this many days are pruned (a repo's badge scan is always kept); 0 keeps everything */
  retentionDays?: number;
  /** the clock, in ms since the epoch (tests move it) */
  now?: () => number;
}

export type TaskScores = Record<string, number | null>;

export interface ScanInput {
  /** `owner/name`, as GitHub spells it */
  repo: string;
  /** the branch (`main` or `refs/heads/main`) or other ref that was scanned */
  ref: string;
  headSha: string;
  private: boolean;
  score: number;
  level: LevelId;
  tasks: TaskScores;
  /** the repo's default branch; only its scans move the badge */
  defaultBranch?: string;
  /** ms since the epoch; defaults to now */
  scannedAt?: number;
}

export interface StoredScan {
  id: number;
  repo: string;
  ref: string;
  headSha: string;
  score: number;
  level: LevelId;
  tasks: TaskScores;
  private: boolean;
  /** ms since the epoch */
  scannedAt: number;
}

/** What a badge needs: the repo as last seen, and the scan its badge shows. */
export interface BadgeEntry {
  repo: string;
  private: boolean;
  defaultBranch: string | null;
  scan: StoredScan;
}

export interface History {
  repo: string;
  private: boolean;
  /** the ref the scans are from; null when the default branch is unknown and every ref is listed */
  ref: string | null;
  /** oldest first */
  scans: StoredScan[];
}

interface RepoRow {
  id: number;
  full_name: string;
  private: number;
  default_branch: string | null;
}

interface ScanRow {
  id: number;
  ref: string;
  head_sha: string;
  score: number;
  level: LevelId;
  tasks: string;
  private: number;
  scanned_at: number;
}

type BadgeRow = ScanRow & { full_name: string; repo_private: number; default_branch: string | null };

const DAY_MS = 86_400_000;
const PRUNE_EVERY_MS = 3_600_000;
const MAX_NAME = 140;
const BADGE_CACHE_ENTRIES = 50_000;
const VERSION_CHECK_MS = 1000;

export class ScanStore {
  readonly path: string;
  private readonly db: Database.Database;
  private readonly retentionDays: number;
  private readonly now: () => number;
  private lastPrune = 0;
  /** lower-cased repo → its badge entry, or null for "no such repo" */
  private readonly badges = new Map<string, Readonly<BadgeEntry> | null>();
  private dataVersion = -1;
  private versionCheckedAt = -Infinity;
  private readonly sql;

  private constructor(path: string, db: Database.Database, options: StoreOptions) {
    this.path = path;
    this.db = db;
    this.retentionDays = options.retentionDays ?? 0;
    this.now = options.now ?? Date.now;
    const columns = "s.id, s.ref, s.head_sha, s.score, s.level, s.tasks, s.private, s.scanned_at";
    this.sql = {
      ping: db.prepare("SELECT 1").pluck(),
      dataVersion: db.prepare("PRAGMA data_version").pluck(),
      repo: db.prepare<[string], RepoRow>("SELECT id, full_name, private, default_branch FROM repos WHERE key = ?"),
      upsertRepo: db.prepare<[string, string, number, string | null], { id: number; default_branch: string | null }>(
        `INSERT INTO repos (key, full_name, private, default_branch) VALUES (?, ?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET full_name = excluded.full_name, private = excluded.private,
           default_branch = coalesce(excluded.default_branch, repos.default_branch)
         RETURNING id, default_branch`,
      ),
      insertScan: db.prepare(
        `INSERT INTO scans (repo_id, ref, head_sha, score, level, tasks, private, scanned_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      setBadgeScan: db.prepare("UPDATE repos SET badge_scan_id = ? WHERE id = ?"),
      setPrivate: db.prepare("UPDATE repos SET private = ? WHERE key = ?"),
      forget: db.prepare("DELETE FROM repos WHERE key = ?"),
      badge: db.prepare<[string], BadgeRow>(
        `SELECT r.full_name, r.private AS repo_private, r.default_branch, ${columns}
         FROM repos r JOIN scans s ON s.id = r.badge_scan_id WHERE r.key = ?`,
      ),
      historyOfRef: db.prepare<[number, string, number], ScanRow>(
        `SELECT * FROM (SELECT ${columns} FROM scans s WHERE s.repo_id = ? AND s.ref = ? ORDER BY s.id DESC LIMIT ?)
         ORDER BY id`,
      ),
      historyOfAll: db.prepare<[number, number], ScanRow>(
        `SELECT * FROM (SELECT ${columns} FROM scans s WHERE s.repo_id = ? ORDER BY s.id DESC LIMIT ?) ORDER BY id`,
      ),
      prune: db.prepare(
        `DELETE FROM scans WHERE scanned_at < ?
         AND id NOT IN (SELECT badge_scan_id FROM repos WHERE badge_scan_id IS NOT NULL)`,
      ),
      counts: db.prepare<[], { repos: number; scans: number }>(
        "SELECT (SELECT count(*) FROM repos) AS repos, (SELECT count(*) FROM scans) AS scans",
      ),
    };
  }

  /**
   * Opens (creating it when missing) and migrates the database at `path`, or throws a StoreError that
   * names the file and the problem: not a database, corrupt, unwritable, or from a newer version.
   */
  static open(path: string, options: StoreOptions = {}): ScanStore {
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
      // FULL: a committed scan survives a power cut too; writes are one per scan, so the cost is nil
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
    const store = new ScanStore(file, db, options);
    store.prune();
    return store;
  }

  /** Records one completed scan in one transaction; returns it as stored. */
  record(input: ScanInput): StoredScan {
    return this.recordMany([input])[0];
  }

  /** Records many scans (a backfill, an import) in one transaction: all of them or none. */
  recordMany(inputs: readonly ScanInput[]): StoredScan[] {
    const write = this.db.transaction(() => inputs.map((input) => this.insert(input)));
    const stored = write.immediate();
    for (const scan of stored) this.badges.delete(scan.repo.toLowerCase());
    if (this.now() - this.lastPrune > PRUNE_EVERY_MS) this.prune();
    return stored;
  }

  private insert(input: ScanInput): StoredScan {
    const repo = checkRepoName(input.repo);
    if (!Number.isInteger(input.score) || input.score < 0 || input.score > 100)
      throw new RangeError(`score ${input.score} is not 0–100`);
    const ref = shortRef(input.ref);
    const scannedAt = input.scannedAt ?? this.now();
    const isPrivate = input.private ? 1 : 0;
    const row = this.sql.upsertRepo.get(
      repo.toLowerCase(),
      repo,
      isPrivate,
      input.defaultBranch ? shortRef(input.defaultBranch) : null,
    )!;
    const id = Number(
      this.sql.insertScan.run(
        row.id,
        ref,
        input.headSha,
        input.score,
        input.level,
        JSON.stringify(input.tasks),
        isPrivate,
        scannedAt,
      ).lastInsertRowid,
    );
    if (row.default_branch === null || row.default_branch === ref) this.sql.setBadgeScan.run(id, row.id);
    return {
      id,
      repo,
      ref,
      headSha: input.headSha,
      score: input.score,
      level: input.level,
      tasks: { ...input.tasks },
      private: input.private,
      scannedAt,
    };
  }

  /** The scan a repo's badge shows, or undefined when the repo has no scan of its default branch. */
  badge(repo: string): Readonly<BadgeEntry> | undefined {
    // badge requests outnumber writes by far: answers are kept in memory until this connection writes
    // the repo, or another connection commits anything (SQLite's data_version moves; looked at once a second)
    const now = this.now();
    if (now - this.versionCheckedAt >= VERSION_CHECK_MS || now < this.versionCheckedAt) {
      this.versionCheckedAt = now;
      const version = this.sql.dataVersion.get() as number;
      if (version !== this.dataVersion) {
        this.badges.clear();
        this.dataVersion = version;
      }
    }
    const key = repo.toLowerCase();
    const known = this.badges.get(key);
    if (known !== undefined) return known ?? undefined;
    const row = this.sql.badge.get(key);
    const entry = row
      ? Object.freeze({
          repo: row.full_name,
          private: row.repo_private === 1,
          defaultBranch: row.default_branch,
          scan: Object.freeze(toScan(row.full_name, row)),
        })
      : null;
    if (this.badges.size >= BADGE_CACHE_ENTRIES) this.badges.delete(this.badges.keys().next().value!);
    this.badges.set(key, entry);
    return entry ?? undefined;
  }

  /** The newest `limit` scans of one ref (by default the default branch), oldest first. */
  history(repo: string, options: { ref?: string; limit?: number } = {}): History | undefined {
    const row = this.sql.repo.get(repo.toLowerCase());
    if (!row) return undefined;
    const limit = Math.max(1, Math.min(options.limit ?? 100, 1000));
    const ref = options.ref ? shortRef(options.ref) : row.default_branch;
    const rows =
      ref === null ? this.sql.historyOfAll.all(row.id, limit) : this.sql.historyOfRef.all(row.id, ref, limit);
    return { repo: row.full_name, private: row.private === 1, ref, scans: rows.map((r) => toScan(row.full_name, r)) };
  }

  /** Records a visibility change (a repository was made public or private). */
  setPrivate(repo: string, isPrivate: boolean): void {
    this.sql.setPrivate.run(isPrivate ? 1 : 0, repo.toLowerCase());
    this.badges.delete(repo.toLowerCase());
  }

  /** Deletes a repo and all its scans (the app was uninstalled from it, or it was deleted). */
  forget(repo: string): void {
    this.sql.forget.run(repo.toLowerCase());
    this.badges.delete(repo.toLowerCase());
  }

  /** Deletes scans older than the retention period, except each repo's badge scan; returns how many. */
  prune(): number {
    this.lastPrune = this.now();
    if (this.retentionDays <= 0) return 0;
    return this.sql.prune.run(this.now() - this.retentionDays * DAY_MS).changes;
  }

  /** Throws when the database cannot answer a query. */
  ping(): void {
    this.sql.ping.get();
  }

  counts(): { repos: number; scans: number } {
    return this.sql.counts.get()!;
  }

  /** Bytes on disk: the database file and its write-ahead log. */
  sizeBytes(): number {
    if (this.path === ":memory:") {
      return (
        Number(this.db.pragma("page_count", { simple: true })) * Number(this.db.pragma("page_size", { simple: true }))
      );
    }
    return fileSize(this.path) + fileSize(`${this.path}-wal`);
  }

  close(): void {
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
    if (current > latest) {
      throw new StoreError(
        `the database ${file} has schema version ${current}, newer than this build knows (${latest}); upgrade devops-ladder or use another DATABASE_PATH`,
      );
    }
    const record = db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)");
    for (const migration of migrations) {
      if (migration.version <= current) continue;
      db.exec(migration.sql);
      record.run(migration.version, migration.name, new Date().toISOString());
    }
  });
  apply.immediate();
}

function toScan(repo: string, row: ScanRow): StoredScan {
  return {
    id: row.id,
    repo,
    ref: row.ref,
    headSha: row.head_sha,
    score: row.score,
    level: row.level,
    tasks: parseTasks(row.tasks),
    private: row.private === 1,
    scannedAt: row.scanned_at,
  };
}

function parseTasks(text: string): TaskScores {
  const value: unknown = JSON.parse(text);
  const out: TaskScores = {};
  if (value && typeof value === "object" && !Array.isArray(value)) {
    for (const [id, score] of Object.entries(value)) out[id] = typeof score === "number" ? score : null;
  }
  return out;
}

/** `refs/heads/main` and `main` are the same branch. */
export function shortRef(ref: string): string {
  return ref.startsWith("refs/heads/") ? ref.slice("refs/heads/".length) : ref;
}

function checkRepoName(repo: string): string {
  const slash = repo.indexOf("/");
  if (repo.length > MAX_NAME || slash <= 0 || slash === repo.length - 1 || repo.indexOf("/", slash + 1) !== -1) {
    throw new RangeError(`"${repo.slice(0, MAX_NAME)}" is not an owner/name repository name`);
  }
  return repo;
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

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
