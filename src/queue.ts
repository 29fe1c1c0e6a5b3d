// Scan jobs: one at a time per repository, a few repositories at once. A job waiting for a ref (a branch,
// a pull request) is replaced by a newer head of that ref: only the latest commit is worth a check run.
// The same commit is not scanned twice in a row (a push and its check_suite arrive together) unless forced
// (a re-run asked for by a person).

export interface Job {
  /** `owner/repo` */
  repo: string;
  /** what a newer head supersedes: `branch:main`, `pr:12` */
  slot: string;
  sha: string;
  /** re-run even if this commit was just scanned (check_suite/check_run rerequested) */
  force?: boolean;
  run(): Promise<void>;
}

export type EnqueueResult = "queued" | "replaced" | "duplicate";

interface RepoState {
  running?: Job;
  pending: Map<string, Job>;
}

export interface QueueOptions {
  /** repositories scanned at once (GitHub's secondary limits favour a few) */
  concurrency?: number;
  /** how long a scanned commit counts as fresh */
  recentMs?: number;
  onError?: (err: unknown, job: Job) => void;
  now?: () => number;
}

export class ScanQueue {
  private readonly repos = new Map<string, RepoState>();
  private readonly ready: string[] = [];
  private readonly recent = new Map<string, number>();
  private active = 0;
  private waiters: (() => void)[] = [];
  private readonly concurrency: number;
  private readonly recentMs: number;
  private readonly now: () => number;

  constructor(private readonly options: QueueOptions = {}) {
    this.concurrency = options.concurrency ?? 4;
    this.recentMs = options.recentMs ?? 10 * 60_000;
    this.now = options.now ?? Date.now;
  }

  enqueue(job: Job): EnqueueResult {
    const state = this.repos.get(job.repo) ?? { pending: new Map<string, Job>() };
    this.repos.set(job.repo, state);
    if (!job.force) {
      const key = `${job.repo}@${job.sha}`;
      const seen = this.recent.get(key);
      if (seen !== undefined && this.now() - seen < this.recentMs) return "duplicate";
      if (state.running?.sha === job.sha) return "duplicate";
      for (const other of state.pending.values()) if (other.sha === job.sha) return "duplicate";
    }
    const replaced = state.pending.has(job.slot);
    state.pending.delete(job.slot); // re-insert: the slot's turn follows its newest event
    state.pending.set(job.slot, job);
    if (!state.running && !this.ready.includes(job.repo)) this.ready.push(job.repo);
    this.pump();
    return replaced ? "replaced" : "queued";
  }

  /** Jobs waiting (not running). */
  get depth(): number {
    let n = 0;
    for (const s of this.repos.values()) n += s.pending.size;
    return n;
  }

  get running(): number {
    return this.active;
  }

  /** Resolves once every queued job has finished. */
  idle(): Promise<void> {
    if (this.active === 0 && this.depth === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private pump(): void {
    while (this.active < this.concurrency && this.ready.length > 0) {
      const repo = this.ready.shift()!;
      const state = this.repos.get(repo)!;
      const [slot, job] = state.pending.entries().next().value!;
      state.pending.delete(slot);
      state.running = job;
      this.active++;
      void this.execute(state, job);
    }
    if (this.active === 0 && this.depth === 0) {
      const waiters = this.waiters;
      this.waiters = [];
      for (const w of waiters) w();
    }
  }

  private async execute(state: RepoState, job: Job): Promise<void> {
    try {
      await job.run();
    } catch (err) {
      this.options.onError?.(err, job);
    } finally {
      this.remember(`${job.repo}@${job.sha}`);
      state.running = undefined;
      this.active--;
      if (state.pending.size > 0) this.ready.push(job.repo);
      else this.repos.delete(job.repo);
      this.pump();
    }
  }

  private remember(key: string): void {
    this.recent.delete(key);
    this.recent.set(key, this.now());
    for (const [k, at] of this.recent) {
      if (this.recent.size <= 10_000 && this.now() - at < this.recentMs) break;
      this.recent.delete(k);
    }
  }
}
