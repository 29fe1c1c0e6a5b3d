// Scans in PostgreSQL: the same behaviour as src/store/sqlite/scans.ts (the contract suite holds both to it).
import type pg from "pg";
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
import { transaction } from "./transaction.js";

interface ScanRow {
  id: number;
  ref: string;
  head_sha: string;
  score: number;
  level: LevelId;
  tasks: unknown;
  private: boolean;
  scanned_at: number;
  version: string | null;
}

const COLUMNS = "s.id, s.ref, s.head_sha, s.score, s.level, s.tasks, s.private, s.scanned_at, s.version";
const PRUNE_EVERY_MS = 3_600_000;

export class PostgresScans implements ScanRecords {
  private lastPrune = 0;

  constructor(
    private readonly pool: pg.Pool,
    private readonly retentionDays: number,
    private readonly now: () => number,
  ) {}

  async record(input: ScanInput): Promise<StoredScan> {
    return (await this.recordMany([input]))[0]!;
  }

  async recordMany(inputs: readonly ScanInput[]): Promise<StoredScan[]> {
    for (const input of inputs) {
      checkRepoName(input.repo);
      checkScore(input.score);
    }
    const stored = await transaction(this.pool, async (client) => {
      const out: StoredScan[] = [];
      for (const input of inputs) out.push(await this.insert(client, input));
      return out;
    });
    if (this.now() - this.lastPrune > PRUNE_EVERY_MS) await this.prune();
    return stored;
  }

  private async insert(client: pg.PoolClient, input: ScanInput): Promise<StoredScan> {
    const ref = shortRef(input.ref);
    const scannedAt = input.scannedAt ?? this.now();
    const repo = await client.query<{ id: number; default_branch: string | null }>(
      `INSERT INTO repos (key, full_name, private, default_branch) VALUES ($1, $2, $3, $4)
       ON CONFLICT (key) DO UPDATE SET full_name = excluded.full_name, private = excluded.private,
         default_branch = coalesce(excluded.default_branch, repos.default_branch)
       RETURNING id, default_branch`,
      [input.repo.toLowerCase(), input.repo, input.private, input.defaultBranch ? shortRef(input.defaultBranch) : null],
    );
    const row = repo.rows[0]!;
    const scan = await client.query<{ id: number }>(
      `INSERT INTO scans (repo_id, ref, head_sha, score, level, tasks, private, scanned_at, version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
      [
        row.id,
        ref,
        input.headSha,
        input.score,
        input.level,
        JSON.stringify(input.tasks),
        input.private,
        scannedAt,
        input.version ?? null,
      ],
    );
    const id = scan.rows[0]!.id;
    if (row.default_branch === null || row.default_branch === ref)
      await client.query("UPDATE repos SET badge_scan_id = $1 WHERE id = $2", [id, row.id]);
    return {
      id,
      repo: input.repo,
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
    const { rows } = await this.pool.query<
      ScanRow & { full_name: string; repo_private: boolean; default_branch: string | null }
    >(
      `SELECT r.full_name, r.private AS repo_private, r.default_branch, ${COLUMNS}
       FROM repos r JOIN scans s ON s.id = r.badge_scan_id WHERE r.key = $1`,
      [repo.toLowerCase()],
    );
    const row = rows[0];
    if (!row) return undefined;
    return Object.freeze({
      repo: row.full_name,
      private: row.repo_private,
      defaultBranch: row.default_branch,
      scan: Object.freeze(toScan(row.full_name, row)),
    });
  }

  async history(repo: string, options: { ref?: string; limit?: number } = {}): Promise<History | undefined> {
    const found = await this.pool.query<{ id: number; full_name: string; private: boolean; default_branch: string }>(
      "SELECT id, full_name, private, default_branch FROM repos WHERE key = $1",
      [repo.toLowerCase()],
    );
    const row = found.rows[0];
    if (!row) return undefined;
    const limit = Math.max(1, Math.min(options.limit ?? 100, 1000));
    const ref = options.ref ? shortRef(options.ref) : row.default_branch;
    const { rows } =
      ref === null
        ? await this.pool.query<ScanRow>(
            `SELECT * FROM (SELECT ${COLUMNS} FROM scans s WHERE s.repo_id = $1 ORDER BY s.id DESC LIMIT $2) t
             ORDER BY id`,
            [row.id, limit],
          )
        : await this.pool.query<ScanRow>(
            `SELECT * FROM (SELECT ${COLUMNS} FROM scans s WHERE s.repo_id = $1 AND s.ref = $2
             ORDER BY s.id DESC LIMIT $3) t ORDER BY id`,
            [row.id, ref, limit],
          );
    return { repo: row.full_name, private: row.private, ref, scans: rows.map((r) => toScan(row.full_name, r)) };
  }

  async setPrivate(repo: string, isPrivate: boolean): Promise<void> {
    await this.pool.query("UPDATE repos SET private = $1 WHERE key = $2", [isPrivate, repo.toLowerCase()]);
  }

  async forget(repo: string): Promise<void> {
    await this.pool.query("DELETE FROM repos WHERE key = $1", [repo.toLowerCase()]);
  }

  async prune(): Promise<number> {
    this.lastPrune = this.now();
    if (this.retentionDays <= 0) return 0;
    const result = await this.pool.query(
      `DELETE FROM scans WHERE scanned_at < $1
       AND id NOT IN (SELECT badge_scan_id FROM repos WHERE badge_scan_id IS NOT NULL)`,
      [this.now() - this.retentionDays * DAY_MS],
    );
    return result.rowCount ?? 0;
  }

  async counts(): Promise<{ repos: number; scans: number }> {
    const { rows } = await this.pool.query<{ repos: number; scans: number }>(
      "SELECT (SELECT count(*) FROM repos) AS repos, (SELECT count(*) FROM scans) AS scans",
    );
    return rows[0]!;
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
    private: row.private,
    scannedAt: row.scanned_at,
    version: row.version,
  };
}
