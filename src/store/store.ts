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
import type { Evidence, LevelId } from "../engine/types.js";
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
  /** durable jobs: what the embedded queue (src/jobs/embedded.ts) runs */
  readonly jobs: JobTable;
  /** named locks held across every process on this store */
  readonly locks: Locks;
  /** where each installation's org sweep is (src/github/sweep.ts) */
  readonly sweeps: SweepLedger;
  /** people's credits, the regressions of repositories, and each repository's last credited state */
  readonly credits: CreditRecords;
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
  /**
   * what scanned: the devops-ladder version, or from the app its engine and config fingerprint
   * (src/github/fingerprint.ts; a sweep rescans a head only when it no longer matches)
   */
  version?: string;
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
  version: string | null;
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

// ─── jobs: the work webhooks ask for, taken by workers under a lease ───────────────────────────────

export type JobState = "queued" | "running" | "done" | "failed" | "superseded";

export interface NewJob {
  kind: string;
  /** de-duplication: a job with this key that is queued, running, or done within `recentMs` is not added again */
  key: string;
  /** jobs of one group run one at a time, across every worker (one repository's scans) */
  group: string;
  /** which workers take it (`checks`, `followups`): a slow lane never holds up a fast one */
  lane: string;
  /** a newer job of the same group and slot supersedes a queued one (`branch:main`, `pr:12`) */
  slot?: string;
  /** lower first */
  priority: number;
  /** JSON */
  data: unknown;
  maxAttempts: number;
  /** ms since the epoch; default now */
  runAt?: number;
}

export interface JobRecord {
  id: string;
  kind: string;
  key: string;
  group: string;
  lane: string;
  slot: string | null;
  data: unknown;
  state: JobState;
  /** attempts started so far, this one included once claimed */
  attempts: number;
  maxAttempts: number;
  /** what a past attempt saved for the next one (the check run it created…) */
  checkpoint: unknown;
  lastError: string | null;
  createdAt: number;
  runAt: number;
}

/**
 * queued: a new job (or a finished one of the same key, again); duplicate: already there; promoted: a retry
 * waiting for its backoff, now due
 */
export type EnqueueOutcome = "queued" | "duplicate" | "promoted";

/** How an attempt ends: done, given up, or back in the queue (a retry after backoff, a release at shutdown). */
export type JobEnd =
  | { state: "done" }
  | { state: "failed"; error: string }
  | { state: "queued"; runAt: number; error?: string; countAttempt: boolean };

export interface JobTable {
  enqueue(job: NewJob, options: { now: number; recentMs: number }): Promise<{ id: string; outcome: EnqueueOutcome }>;
  /**
   * Takes the next due job of `lane` whose group has no job running (or a running job whose lease expired:
   * its worker died), for `owner` until `now + leaseMs`.
   */
  claim(lane: string, owner: string, now: number, leaseMs: number): Promise<JobRecord | undefined>;
  /** extends the lease; false when `owner` no longer holds the job */
  heartbeat(id: string, owner: string, until: number): Promise<boolean>;
  /** saves what the next attempt must know */
  checkpoint(id: string, owner: string, checkpoint: unknown): Promise<void>;
  /** ends an attempt; nothing happens when `owner` lost the job meanwhile */
  finish(id: string, owner: string, end: JobEnd, now: number): Promise<void>;
  /** when the next queued job of `lane` is due (a poller sleeps until then) */
  nextDue(lane: string): Promise<number | undefined>;
  get(id: string): Promise<JobRecord | undefined>;
  counts(): Promise<{ lane: string; state: JobState; count: number }[]>;
  /** deletes finished jobs (done, failed, superseded) that ended before `before`; returns how many */
  prune(before: number): Promise<number>;
}

// ─── locks ─────────────────────────────────────────────────────────────────────────────────────────

export class LockTimeout extends Error {
  override name = "LockTimeout";
}

export interface Locks {
  /**
   * Runs `fn` holding the lock `name` against every process on this store; waits up to `waitMs` (default
   * 30 s) for it, then throws LockTimeout. A holder that dies frees it (SQLite: after `ttlMs`; PostgreSQL: with
   * its session).
   */
  withLock<T>(name: string, fn: () => Promise<T>, options?: { waitMs?: number; ttlMs?: number }): Promise<T>;
}

// ─── sweeps: the periodic rescan of every installed repository ───────────────────────────────────────

export interface SweepState {
  installationId: number;
  /** the account the installation is on (for metrics and logs) */
  account: string;
  startedAt: number;
  /** undefined while the sweep runs */
  finishedAt?: number;
  /** the next page of the installation's repositories to list (1-based); resumable across restarts */
  nextPage: number;
  /** repositories the installation has, as GitHub last said */
  reposTotal: number;
  /** repositories handed to the queue so far */
  reposQueued: number;
}

export interface SweepLedger {
  get(installationId: number): Promise<SweepState | undefined>;
  save(state: SweepState): Promise<void>;
  all(): Promise<SweepState[]>;
  forget(installationId: number): Promise<void>;
}

// ─── credits: who earned what, for people's ladders (docs/people.md says what is kept about a person) ──

/** One credit as stored: a person earned a signal or milestone in a repository, with one change. */
export interface CreditRow {
  /** `owner/name` */
  repo: string;
  /** the repository's visibility: readers of a private repository alone may see its credits */
  private: boolean;
  /** how the person is told apart (`login:octocat`, `email:a@example.com`) */
  personKey: string;
  name: string;
  login?: string;
  email?: string;
  kind: "milestone" | "signal";
  /** a milestone id (`deploy_script`) or a signal id (`deploy/deploy-script`) */
  item: string;
  level?: LevelId;
  task?: string;
  commit: string;
  /** when it landed, ISO 8601 */
  at: string;
  pr?: number;
  evidence: Evidence[];
  /** credited at installation for what already passed, not seen happening */
  backfilled: boolean;
}

/** A signal or milestone a repository lost; never a person's. */
export interface RegressionRow {
  repo: string;
  private: boolean;
  kind: "milestone" | "signal";
  item: string;
  level?: LevelId;
  task?: string;
  commit: string;
  at: string;
  pr?: number;
}

/** A repository's default branch as last credited: the head and every status (JSON the credit model reads). */
export interface PracticeRow {
  repo: string;
  headSha: string;
  state: unknown;
  /** when the installation backfill ran for it (ms), if it did */
  backfilledAt?: number;
  /** ms since the epoch */
  updatedAt: number;
}

export interface ChangeRecord {
  repo: string;
  private: boolean;
  /** the head the stored state must still be at (undefined: none stored yet); otherwise nothing is written */
  previousHead: string | undefined;
  headSha: string;
  state: unknown;
  credits: readonly CreditRow[];
  regressions: readonly RegressionRow[];
  /** ms since the epoch; defaults to now */
  now?: number;
}

export interface CreditRecords {
  /** the repository's last credited state */
  state(repo: string): Promise<PracticeRow | undefined>;
  /**
   * Records one change in one transaction: its credits and regressions, and the repository's new state, when
   * the stored state is still at `previousHead`; returns false otherwise (another worker moved it on).
   * A credit already stored (repository, person, item, commit) or a regression already stored is kept once.
   */
  recordChange(change: ChangeRecord): Promise<boolean>;
  /** records the installation backfill's credits and marks the repository backfilled; false if it already was */
  recordBackfill(repo: string, credits: readonly CreditRow[], now?: number): Promise<boolean>;
  /** a repository's credits, oldest first */
  ofRepo(repo: string): Promise<CreditRow[]>;
  /** the credits of some people across the repositories of one owner (an org), oldest first */
  ofPeople(owner: string, personKeys: readonly string[]): Promise<CreditRow[]>;
  /** every credit in the repositories of one owner, oldest first (each says whether its repository is private) */
  ofOwner(owner: string): Promise<CreditRow[]>;
  /** a repository's regressions, oldest first */
  regressions(repo: string): Promise<RegressionRow[]>;
  /** a visibility change reaches every credit and regression of the repository */
  setPrivate(repo: string, isPrivate: boolean): Promise<void>;
  /** deletes a repository's credits, regressions and state (uninstalled, deleted) */
  forget(repo: string): Promise<void>;
  /** deletes a person and all their credits (a person who asks to be forgotten); returns how many credits */
  forgetPerson(personKey: string): Promise<number>;
  counts(): Promise<{ people: number; credits: number; regressions: number }>;
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
    `the database ${where} has schema version ${current}, newer than this build knows ` +
      `(${latest}); upgrade devops-ladder or use another ${setting}`,
  );
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
