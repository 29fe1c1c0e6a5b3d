// The embedded queue, the default: jobs live in the store's job table (SQLite, or PostgreSQL shared by several
// instances), workers take them under a lease they renew while they work. A worker that dies stops renewing;
// its jobs are taken again once the lease runs out, by this process after a restart or by any other one.
import { randomUUID } from "node:crypto";
import type { EnqueueOutcome, JobRecord, Store } from "../store/store.js";
import type { RateBudget } from "./budget.js";
import {
  type AddOptions,
  backoff,
  type Handlers,
  type JobDefinition,
  JobDelay,
  type JobQueue,
  LANES,
  type Lane,
  messageOf,
  PermanentJobError,
  type QueueCounts,
  type WorkOptions,
} from "./job.js";

export interface EmbeddedOptions {
  /** how long a claimed job is ours without renewal; default 60 s (renewed every third of it) */
  leaseMs?: number;
  /** how often an idle worker looks for jobs other processes queued; default 1 s */
  pollMs?: number;
  /** a job done this recently is not queued again for the same key; default 10 min */
  recentMs?: number;
  /** first retry delay, tripled at each attempt; default 5 s */
  retryBaseMs?: number;
  budget?: RateBudget;
  /** a job's failed attempt, or a store that did not answer a claim (no job then) */
  onError?: (error: unknown, job?: JobRecord) => void;
  now?: () => number;
}

interface Running {
  job: JobRecord;
  done: Promise<void>;
  abort: AbortController;
}

const FINISHED_KEPT_MS = 24 * 3_600_000;

export class EmbeddedQueue implements JobQueue {
  readonly backend = "embedded";
  /** this process, as the lease owner */
  readonly owner = `${process.pid}-${randomUUID().slice(0, 8)}`;
  private readonly running = new Map<string, Running>();
  private readonly wakers = new Map<Lane, () => void>();
  private readonly loops: Promise<void>[] = [];
  private handlers: Handlers = new Map();
  private stopping = false;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly recentMs: number;
  private readonly now: () => number;
  private lastPrune = 0;

  constructor(
    private readonly store: Store,
    private readonly options: EmbeddedOptions = {},
  ) {
    this.leaseMs = options.leaseMs ?? 60_000;
    this.pollMs = options.pollMs ?? 1000;
    this.recentMs = options.recentMs ?? 10 * 60_000;
    this.now = options.now ?? Date.now;
  }

  async add<D>(definition: JobDefinition<D>, data: D, options: AddOptions = {}): Promise<EnqueueOutcome> {
    const { outcome } = await this.store.jobs.enqueue(
      {
        kind: definition.kind,
        key: definition.key(data),
        group: definition.group(data),
        lane: definition.lane,
        slot: definition.slot?.(data),
        priority: definition.priority,
        data,
        maxAttempts: definition.maxAttempts,
        runAt: options.runAt,
      },
      { now: this.now(), recentMs: this.recentMs },
    );
    if (outcome !== "duplicate") this.wakers.get(definition.lane)?.();
    return outcome;
  }

  work(handlers: Handlers, options: WorkOptions): void {
    this.handlers = handlers;
    for (const lane of LANES) {
      const concurrency = options.concurrency[lane] ?? 0;
      if (concurrency > 0) this.loops.push(this.loop(lane, concurrency));
    }
  }

  private async loop(lane: Lane, concurrency: number): Promise<void> {
    const active = new Set<Promise<void>>();
    while (!this.stopping) {
      let job: JobRecord | undefined;
      if (active.size < concurrency) {
        try {
          job = await this.store.jobs.claim(lane, this.owner, this.now(), this.leaseMs);
        } catch (error) {
          this.options.onError?.(error);
        }
      }
      if (job) {
        const done = this.execute(job).finally(() => {
          active.delete(done);
          this.wakers.get(lane)?.();
        });
        active.add(done);
        continue;
      }
      await this.sleep(lane, active.size < concurrency ? await this.untilDue(lane) : undefined);
      if (this.now() - this.lastPrune > 3_600_000) await this.prune();
    }
  }

  /** How long an idle lane may sleep: until the next queued job is due, but never past a poll. */
  private async untilDue(lane: Lane): Promise<number> {
    const due = await this.store.jobs.nextDue(lane).catch(() => undefined);
    return due === undefined ? this.pollMs : Math.max(0, Math.min(this.pollMs, due - this.now()));
  }

  private sleep(lane: Lane, ms: number | undefined): Promise<void> {
    return new Promise((resolve) => {
      const timer = ms === undefined ? undefined : setTimeout(wake, ms);
      function wake() {
        clearTimeout(timer);
        resolve();
      }
      this.wakers.set(lane, wake);
    });
  }

  private async execute(job: JobRecord): Promise<void> {
    const abort = new AbortController();
    const done = this.attempt(job, abort.signal);
    this.running.set(job.id, { job, done, abort });
    try {
      await done;
    } finally {
      this.running.delete(job.id);
    }
  }

  private async attempt(job: JobRecord, signal: AbortSignal): Promise<void> {
    const jobs = this.store.jobs;
    const kind = this.handlers.get(job.kind);
    if (!kind) {
      await jobs.finish(job.id, this.owner, { state: "failed", error: `no handler for ${job.kind}` }, this.now());
      return;
    }
    const budget = kind.definition.budget?.(job.data as never);
    const wait = budget ? await this.options.budget?.delay(budget.installationId, budget.reserve ?? 0) : 0;
    if (wait) {
      const end = { state: "queued" as const, runAt: this.now() + wait, countAttempt: false };
      await jobs.finish(job.id, this.owner, end, this.now());
      return;
    }
    const renew = setInterval(() => {
      void jobs.heartbeat(job.id, this.owner, this.now() + this.leaseMs).catch(() => undefined);
    }, this.leaseMs / 3);
    try {
      await kind.run(job.data as never, {
        id: job.id,
        attempt: job.attempts,
        maxAttempts: job.maxAttempts,
        checkpoint: job.checkpoint,
        createdAt: job.createdAt,
        save: (checkpoint) => jobs.checkpoint(job.id, this.owner, checkpoint),
        signal,
      });
      if (!signal.aborted) await jobs.finish(job.id, this.owner, { state: "done" }, this.now());
    } catch (error) {
      if (signal.aborted) return; // given back at shutdown: the next worker runs it again
      await jobs.finish(job.id, this.owner, this.endOf(job, error), this.now()).catch(() => undefined);
    } finally {
      clearInterval(renew);
    }
  }

  private endOf(job: JobRecord, error: unknown) {
    if (error instanceof JobDelay) return { state: "queued" as const, runAt: error.until, countAttempt: false };
    this.options.onError?.(error, job);
    if (error instanceof PermanentJobError || job.attempts >= job.maxAttempts)
      return { state: "failed" as const, error: messageOf(error) };
    const runAt = this.now() + backoff(job.attempts, this.options.retryBaseMs);
    return { state: "queued" as const, runAt, error: messageOf(error), countAttempt: true };
  }

  private async prune(): Promise<void> {
    this.lastPrune = this.now();
    await this.store.jobs.prune(this.now() - FINISHED_KEPT_MS).catch(() => undefined);
  }

  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    for (const wake of this.wakers.values()) wake();
    const inFlight = [...this.running.values()];
    const graceOver = new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref());
    await Promise.race([Promise.all(inFlight.map((r) => r.done.catch(() => undefined))), graceOver]);
    // what did not finish in time goes back to the queue, due now, without counting an attempt
    for (const { job, abort } of this.running.values()) {
      abort.abort();
      await this.store.jobs
        .finish(job.id, this.owner, { state: "queued", runAt: this.now(), countAttempt: false }, this.now())
        .catch(() => undefined);
    }
    await Promise.all(this.loops);
  }

  async idle(): Promise<void> {
    for (;;) {
      const counts = await this.store.jobs.counts();
      const waiting = counts.filter((c) => c.state === "queued" || c.state === "running");
      if (waiting.length === 0 && this.running.size === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  counts(): Promise<QueueCounts[]> {
    return this.store.jobs.counts();
  }
}
