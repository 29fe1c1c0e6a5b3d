// What a job is, whatever queue runs it. A job kind is a plain definition (how its jobs are named, grouped and
// retried) plus a handler given to the workers; the embedded queue (src/jobs/embedded.ts, the store's job
// table) and the BullMQ queue (src/jobs/bullmq.ts, REDIS_URL) run the same definitions the same way.
//
// To add a kind (say a credit comment): define it next to the code it drives (src/github/…), with its lane,
// key, group and attempts; add its handler to the handlers the runtime gives the workers (src/runtime.ts).

import type { EnqueueOutcome } from "../store/store.js";

/** Lanes have their own workers: a slow lane (paced issue and comment writes) never holds up a fast one. */
export const LANES = ["checks", "followups"] as const;
export type Lane = (typeof LANES)[number];

export interface JobDefinition<D> {
  kind: string;
  lane: Lane;
  /** lower runs first within the lane */
  priority: number;
  /** attempts before giving up (a crash mid-job counts as one) */
  maxAttempts: number;
  /** the same key is the same work: a second one is not queued while the first is queued, running or just done */
  key(data: D): string;
  /** one job of a group runs at a time, on every instance (a repository) */
  group(data: D): string;
  /** a newer job of the same group and slot replaces a queued one (the head of a branch or pull request) */
  slot?(data: D): string | undefined;
  /** the installation whose rate limit it spends, and how much of it to leave to others (0–1; default 0) */
  budget?(data: D): { installationId: number; reserve?: number } | undefined;
}

export interface JobContext {
  id: string;
  /** 1 for the first attempt */
  attempt: number;
  maxAttempts: number;
  /** what an earlier attempt saved with `save` (null when none did) */
  checkpoint: unknown;
  /** when the job was queued (ms); with `id`, names this job's side effects (a check run's external_id) */
  createdAt: number;
  /** keeps something for the next attempt, should this one not finish */
  save(checkpoint: unknown): Promise<void>;
  /** aborted when the worker shuts down and gives the job back */
  signal: AbortSignal;
}

export type JobHandler<D = unknown> = (data: D, context: JobContext) => Promise<void>;

/** What the workers of one process can run: by kind, its definition and its handler. */
export type Handlers = ReadonlyMap<string, { definition: JobDefinition<never>; run: JobHandler<never> }>;

/** Builds the handlers map from pairs: `handlers([scanJob, runScan], [progressionJob, syncIssue])`. */
export function handlers(...pairs: [JobDefinition<never>, JobHandler<never>][]): Handlers {
  return new Map(pairs.map(([definition, run]) => [definition.kind, { definition, run }]));
}

/** A failure that another attempt cannot fix (a 404, a missing permission): the job fails at once. */
export class PermanentJobError extends Error {
  override name = "PermanentJobError";
}

/** Not a failure: the job must wait (its installation's rate limit is spent); it runs again at `until`. */
export class JobDelay extends Error {
  override name = "JobDelay";
  constructor(readonly until: number) {
    super(`waiting until ${new Date(until).toISOString()}`);
  }
}

export interface AddOptions {
  /** ms since the epoch */
  runAt?: number;
}

export interface QueueCounts {
  lane: string;
  state: string;
  count: number;
}

export interface WorkOptions {
  /** jobs run at once per lane in this process; a lane left out (or 0) is not worked here */
  concurrency: Partial<Record<Lane, number>>;
}

export interface JobQueue {
  readonly backend: "embedded" | "bullmq";
  add<D>(definition: JobDefinition<D>, data: D, options?: AddOptions): Promise<EnqueueOutcome>;
  /** starts this process's workers */
  work(handlers: Handlers, options: WorkOptions): void;
  /**
   * Stops taking jobs, waits up to `graceMs` for the running ones, then gives the rest back (the next worker
   * resumes them) and closes.
   */
  stop(graceMs: number): Promise<void>;
  /** resolves when nothing is queued or running (tests, benchmarks) */
  idle(): Promise<void>;
  counts(): Promise<QueueCounts[]>;
}

/** Exponential backoff with jitter: ~base, 3×, 9×… capped at `max` (default 5 s, 15 s, 45 s, … 20 min). */
export function backoff(attempt: number, base = 5000, max = 20 * 60_000, random = Math.random): number {
  const plain = Math.min(max, base * 3 ** Math.max(0, attempt - 1));
  return Math.round(plain * (0.8 + 0.4 * random()));
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Logs every failed attempt (its kind, group and error; never its data), then lets the queue retry or fail it. */
export function logFailures(
  kinds: [JobDefinition<never>, JobHandler<never>][],
  log: () => { error(obj: unknown, msg?: string): void } | undefined,
): [JobDefinition<never>, JobHandler<never>][] {
  return kinds.map(([definition, run]) => [
    definition,
    async (data, job) => {
      try {
        await run(data, job);
      } catch (err) {
        if (!(err instanceof JobDelay) && !job.signal.aborted)
          log()?.error(
            { err, kind: definition.kind, group: definition.group(data), attempt: job.attempt },
            "job failed",
          );
        throw err;
      }
    },
  ]);
}
