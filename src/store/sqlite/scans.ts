// Scans in SQLite: every completed scan, each repository's badge scan, history by ref, retention.
import type Database from "better-sqlite3";
import type { LevelId } from "../../engine/types.js";
import {
  type BadgeEntry,
  checkRepoName,
  checkScore,
  DAY_MS,
  type History,
  parseTasks,
  type ScanInput,
  type ScanRecords,
  type StoredScan,
  shortRef,
} from "../store.js";

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
  version: string | null;
}

type BadgeRow = ScanRow & { full_name: string; repo_private: number; default_branch: string | null };

const PRUNE_EVERY_MS = 3_600_000;
const BADGE_CACHE_ENTRIES = 50_000;
const VERSION_CHECK_MS = 1000;

export class SqliteScans implements ScanRecords {
  private lastPrune = 0;
  /** lower-cased repo → its badge entry, or null for "no such repo" */
  private readonly badges = new Map<string, Readonly<BadgeEntry> | null>();
  private dataVersion = -1;
  private versionCheckedAt = -Infinity;
  private readonly sql;

  constructor(
    private readonly db: Database.Database,
    private readonly retentionDays: number,
    private readonly now: () => number,
  ) {
    const columns = "s.id, s.ref, s.head_sha, s.score, s.level, s.tasks, s.private, s.scanned_at, s.version";
    this.sql = {
      dataVersion: db.prepare("PRAGMA data_version").pluck(),
      repo: db.prepare<[string], RepoRow>("SELECT id, full_name, private, default_branch FROM repos WHERE key = ?"),
      upsertRepo: db.prepare<[string, string, number, string | null], { id: number; default_branch: string | null }>(
        `INSERT INTO repos (key, full_name, private, default_branch) VALUES (?, ?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET full_name = excluded.full_name, private = excluded.private,
           default_branch = coalesce(excluded.default_branch, repos.default_branch)
         RETURNING id, default_branch`,
      ),
      insertScan: db.prepare(
        `INSERT INTO scans (repo_id, ref, head_sha, score, level, tasks, private, scanned_at, version)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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

  async record(input: ScanInput): Promise<StoredScan> {
    return this.recordNow([input])[0]!;
  }

  async recordMany(inputs: readonly ScanInput[]): Promise<StoredScan[]> {
    return this.recordNow(inputs);
  }

  private recordNow(inputs: readonly ScanInput[]): StoredScan[] {
    const write = this.db.transaction(() => inputs.map((input) => this.insert(input)));
    const stored = write.immediate();
    for (const scan of stored) this.badges.delete(scan.repo.toLowerCase());
    if (this.now() - this.lastPrune > PRUNE_EVERY_MS) this.pruneNow();
    return stored;
  }

  private insert(input: ScanInput): StoredScan {
    const repo = checkRepoName(input.repo);
    checkScore(input.score);
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
        input.version ?? null,
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
      version: input.version ?? null,
    };
  }

  async badge(repo: string): Promise<Readonly<BadgeEntry> | undefined> {
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

  async history(repo: string, options: { ref?: string; limit?: number } = {}): Promise<History | undefined> {
    const row = this.sql.repo.get(repo.toLowerCase());
    if (!row) return undefined;
    const limit = Math.max(1, Math.min(options.limit ?? 100, 1000));
    const ref = options.ref ? shortRef(options.ref) : row.default_branch;
    const rows =
      ref === null ? this.sql.historyOfAll.all(row.id, limit) : this.sql.historyOfRef.all(row.id, ref, limit);
    return { repo: row.full_name, private: row.private === 1, ref, scans: rows.map((r) => toScan(row.full_name, r)) };
  }

  async setPrivate(repo: string, isPrivate: boolean): Promise<void> {
    this.sql.setPrivate.run(isPrivate ? 1 : 0, repo.toLowerCase());
    this.badges.delete(repo.toLowerCase());
  }

  async forget(repo: string): Promise<void> {
    this.sql.forget.run(repo.toLowerCase());
    this.badges.delete(repo.toLowerCase());
  }

  async prune(): Promise<number> {
    return this.pruneNow();
  }

  pruneNow(): number {
    this.lastPrune = this.now();
    if (this.retentionDays <= 0) return 0;
    return this.sql.prune.run(this.now() - this.retentionDays * DAY_MS).changes;
  }

  async counts(): Promise<{ repos: number; scans: number }> {
    return this.sql.counts.get()!;
  }
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
    version: row.version,
  };
}
