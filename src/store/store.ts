// The one Store interface the app, the workers and the web pages use. Two backends implement it: SQLite
// (src/store/sqlite, the default: one file, nothing to run) and PostgreSQL (src/store/postgres, with
// DATABASE_URL=postgres://…, for several instances). Every method is async, so that callers never know which
// one they talk to.
//
// The store is made of parts, one per concern (`scans`, …). To add a part (say `credits`):
//   1. its interface and row types here, and a `readonly credits: Credits` on Store;
//   2. one migration per backend (src/store/sqlite/migrations.ts, src/store/postgres/migrations.ts), appended
//      with the next version number — released migrations never change;
//   3. one implementation per backend (src/store/sqlite/credits.ts, src/store/postgres/credits.ts), created in
//      each backend's index.ts;
//   4. run the contract suite (test/store/contract.ts) against both: it is how the backends stay the same.
import type { LevelId } from "../engine/types.js";
import type { DashboardRecords } from "./dashboard.js";

/** A database that cannot be used; the message says which one and what to do. */
export class StoreError extends Error {
  override name = "StoreError";
}

export interface Store {
  /** which backend answers */
  readonly kind: "sqlite" | "postgres";
  /** where the data is, for messages: the file, or the URL without its password */
  readonly location: string;
  readonly scans: ScanRecords;
  /** the dashboard's records: reports, repository metadata, trends, orgs (src/store/dashboard.ts) */
  readonly dashboard: DashboardRecords;
  /** throws when the database cannot answer a query */
  ping(): Promise<void>;
  /** bytes on disk (SQLite: the file and its write-ahead log; PostgreSQL: the database) */
  sizeBytes(): Promise<number>;
  close(): Promise<void>;
}

// ─── scans: every completed scan, the badge of each repository and its history ─────────────────────

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

export interface ScanRecords {
  /** records one completed scan in one transaction; returns it as stored */
  record(input: ScanInput): Promise<StoredScan>;
  /** records many scans (a backfill, an import) in one transaction: all of them or none */
  recordMany(inputs: readonly ScanInput[]): Promise<StoredScan[]>;
  /** the scan a repo's badge shows, or undefined when the repo has no scan of its default branch */
  badge(repo: string): Promise<Readonly<BadgeEntry> | undefined>;
  /** the newest `limit` scans of one ref (by default the default branch), oldest first */
  history(repo: string, options?: { ref?: string; limit?: number }): Promise<History | undefined>;
  /** records a visibility change (a repository was made public or private) */
  setPrivate(repo: string, isPrivate: boolean): Promise<void>;
  /** deletes a repo and all its scans (the app was uninstalled from it, or it was deleted) */
  forget(repo: string): Promise<void>;
  /** deletes scans older than the retention period, except each repo's badge scan; returns how many */
  prune(): Promise<number>;
  counts(): Promise<{ repos: number; scans: number }>;
}

export interface StoreOptions {
  /** scans older than this many days are pruned (a repo's badge scan is always kept); 0 keeps everything */
  retentionDays?: number;
  /** the clock, in ms since the epoch (tests move it) */
  now?: () => number;
}

// ─── shared by the backends ────────────────────────────────────────────────────────────────────────

export const DAY_MS = 86_400_000;
export const MAX_REPO_NAME = 140;

/** `refs/heads/main` and `main` are the same branch. */
export function shortRef(ref: string): string {
  return ref.startsWith("refs/heads/") ? ref.slice("refs/heads/".length) : ref;
}

/** Refuses what is not `owner/name` before it reaches a table. */
export function checkRepoName(repo: string): string {
  const slash = repo.indexOf("/");
  if (repo.length > MAX_REPO_NAME || slash <= 0 || slash === repo.length - 1 || repo.indexOf("/", slash + 1) !== -1) {
    throw new RangeError(`"${repo.slice(0, MAX_REPO_NAME)}" is not an owner/name repository name`);
  }
  return repo;
}

export function checkScore(score: number): void {
  if (!Number.isInteger(score) || score < 0 || score > 100) throw new RangeError(`score ${score} is not 0–100`);
}

export function parseTasks(value: unknown): TaskScores {
  const parsed: unknown = typeof value === "string" ? JSON.parse(value) : value;
  const out: TaskScores = {};
  if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
    for (const [id, score] of Object.entries(parsed)) out[id] = typeof score === "number" ? score : null;
  }
  return out;
}

/** An ordered schema change of one backend. Append only: released migrations never change. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export function newerSchemaError(where: string, current: number, latest: number, setting: string): StoreError {
  return new StoreError(
    `the database ${where} has schema version ${current}, newer than this build knows (${latest}); upgrade devops-ladder or use another ${setting}`,
  );
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
