// The queue on Redis (REDIS_URL), for several instances: BullMQ runs the same job definitions as the embedded
// queue. One BullMQ queue per lane; the job id is the definition's key (a second add of a queued key is a no-op
// in BullMQ itself); a Redis lock per group serialises one repository's jobs across every worker; a job that
// is not its slot's latest is skipped; BullMQ retries with our backoff and gives stalled jobs (their worker
// died) to another worker.
import { DelayedError, type Job, Queue, UnrecoverableError, Worker } from "bullmq";
import { Redis } from "ioredis";
import type { EnqueueOutcome } from "../store/store.js";
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
import { RedisLocks } from "./redis-locks.js";

export interface BullOptions {
  /** the Redis key prefix of every queue, lock and slot; default `devops-ladder` */
  prefix?: string;
  /** how long a job is its worker's without renewal (BullMQ's lock); default 60 s */
  leaseMs?: number;
  /** a job done this recently is not queued again for the same key; default 10 min */
  recentMs?: number;
  /** first retry delay, tripled at each attempt; default 5 s */
  retryBaseMs?: number;
  /** how often workers look for stalled jobs; default 30 s */
  stalledIntervalMs?: number;
  budget?: RateBudget;
  onError?: (error: unknown, job?: { id: string; kind: string }) => void;
}

/** What BullMQ stores for one of our jobs. */
interface Envelope {
  data: unknown;
  group: string;
  slot?: string;
  createdAt: number;
  checkpoint?: unknown;
}

interface Active {
  job: Job<Envelope>;
  token: string;
  abort: AbortController;
  done: Promise<unknown>;
}

/** How long a job whose group is busy waits before it looks again. */
const GROUP_RETRY_MS = 300;
const SLOT_TTL_MS = 7 * 24 * 3_600_000;

export class BullQueue implements JobQueue {
  readonly backend = "bullmq";
  readonly locks: RedisLocks;
  private readonly queues = new Map<Lane, Queue<Envelope>>();
  private readonly workers: Worker<Envelope>[] = [];
  private readonly active = new Set<Active>();
  private readonly prefix: string;
  private readonly leaseMs: number;
  private readonly recentMs: number;

  constructor(
    /** the connection for adding jobs, locks and slots; workers open their own */
    readonly redis: Redis,
    private readonly options: BullOptions = {},
  ) {
    this.prefix = options.prefix ?? "devops-ladder";
    this.leaseMs = options.leaseMs ?? 60_000;
    this.recentMs = options.recentMs ?? 10 * 60_000;
    this.locks = new RedisLocks(redis, this.prefix);
    for (const lane of LANES) {
      this.queues.set(lane, new Queue<Envelope>(lane, { connection: redis, prefix: this.prefix }));
    }
  }

  /** A queue on `url`; BullMQ needs `maxRetriesPerRequest: null` so that blocking reads survive reconnects. */
  static connect(url: string, options: BullOptions = {}): BullQueue {
    return new BullQueue(new Redis(url, { maxRetriesPerRequest: null }), options);
  }

  private queue(lane: Lane): Queue<Envelope> {
    return this.queues.get(lane)!;
  }

  async add<D>(definition: JobDefinition<D>, data: D, options: AddOptions = {}): Promise<EnqueueOutcome> {
    const queue = this.queue(definition.lane);
    const jobId = jobIdOf(definition.key(data));
    const group = definition.group(data);
    const slot = definition.slot?.(data);
    if (slot !== undefined) await this.redis.set(this.slotKey(group, slot), jobId, "PX", SLOT_TTL_MS);
    const existing = await queue.getJob(jobId);
    if (existing) {
      const state = await existing.getState();
      if (state === "completed" || state === "failed") {
        const recent = state === "completed" && (existing.finishedOn ?? 0) > Date.now() - this.recentMs;
        if (recent) return "duplicate";
        // failed, or done long ago: the key may run again
        await existing.remove().catch(() => undefined);
      } else if (state === "delayed" && existing.attemptsMade > 0) {
        // a retry waiting out its backoff: the event asks again, so it is due now
        await existing.promote().catch(() => undefined);
        return "promoted";
      } else {
        return "duplicate";
      }
    }
    const delay = options.runAt === undefined ? 0 : Math.max(0, options.runAt - Date.now());
    await queue.add(
      definition.kind,
      { data, group, ...(slot === undefined ? {} : { slot }), createdAt: Date.now() },
      {
        jobId,
        attempts: definition.maxAttempts,
        backoff: { type: "ladder" },
        ...(definition.priority > 0 ? { priority: definition.priority } : {}),
        ...(delay > 0 ? { delay } : {}),
        removeOnComplete: { age: Math.ceil(this.recentMs / 1000) },
        removeOnFail: { age: 24 * 3600 },
      },
    );
    return "queued";
  }

  private slotKey(group: string, slot: string): string {
    return `${this.prefix}:slot:${group}|${slot}`;
  }

  work(handlers: Handlers, options: WorkOptions): void {
    for (const lane of LANES) {
      const concurrency = options.concurrency[lane] ?? 0;
      if (concurrency <= 0) continue;
      const worker = new Worker<Envelope>(lane, (job, token) => this.process(handlers, job, token!), {
        connection: this.redis.duplicate(),
        prefix: this.prefix,
        concurrency,
        lockDuration: this.leaseMs,
        stalledInterval: this.options.stalledIntervalMs ?? 30_000,
        maxStalledCount: 10,
        settings: { backoffStrategy: (attemptsMade: number) => backoff(attemptsMade, this.options.retryBaseMs) },
      });
      worker.on("failed", (job, error) => {
        if (!(error instanceof DelayedError)) this.options.onError?.(error, job && { id: job.id!, kind: job.name });
      });
      worker.on("error", (error) => this.options.onError?.(error));
      this.workers.push(worker);
    }
  }

  private async process(handlers: Handlers, job: Job<Envelope>, token: string): Promise<string> {
    const kind = handlers.get(job.name);
    if (!kind) throw new UnrecoverableError(`no handler for ${job.name}`);
    const envelope = job.data;
    if (envelope.slot !== undefined) {
      const latest = await this.redis.get(this.slotKey(envelope.group, envelope.slot));
      if (latest !== null && latest !== job.id) return "superseded";
    }
    const budget = kind.definition.budget?.(envelope.data as never);
    const wait = budget ? await this.options.budget?.delay(budget.installationId, budget.reserve ?? 0) : 0;
    if (wait) return this.delay(job, token, Date.now() + wait);
    const groupLock = `group:${envelope.group}`;
    if (!(await this.locks.tryAcquire(groupLock, job.id!, this.leaseMs)))
      return this.delay(job, token, Date.now() + GROUP_RETRY_MS * (0.5 + Math.random()));
    const renew = setInterval(
      () => void this.locks.renew(groupLock, job.id!, this.leaseMs).catch(() => undefined),
      this.leaseMs / 3,
    );
    const abort = new AbortController();
    const run = kind.run(envelope.data as never, {
      id: job.id!,
      attempt: job.attemptsMade + 1,
      maxAttempts: job.opts.attempts ?? 1,
      checkpoint: envelope.checkpoint ?? null,
      createdAt: envelope.createdAt,
      save: (checkpoint) => job.updateData({ ...envelope, checkpoint }),
      signal: abort.signal,
    });
    const active: Active = { job, token, abort, done: run };
    this.active.add(active);
    try {
      await run;
      return "done";
    } catch (error) {
      if (error instanceof JobDelay) return await this.delay(job, token, error.until);
      if (error instanceof PermanentJobError) throw new UnrecoverableError(messageOf(error));
      throw error;
    } finally {
      this.active.delete(active);
      clearInterval(renew);
      await this.locks.release(groupLock, job.id!).catch(() => undefined);
    }
  }

  /** Puts the job back until `until` without counting an attempt. */
  private async delay(job: Job<Envelope>, token: string, until: number): Promise<never> {
    await job.moveToDelayed(Math.round(until), token);
    throw new DelayedError();
  }

  async stop(graceMs: number): Promise<void> {
    // take no new job, give the running ones the grace period
    await Promise.all(this.workers.map((w) => w.pause(true)));
    const graceOver = new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref());
    await Promise.race([Promise.all([...this.active].map((a) => a.done.catch(() => undefined))), graceOver]);
    // what did not finish in time goes back to the queue, due now; the next worker runs it again
    for (const { job, token, abort } of this.active) {
      abort.abort();
      await job.moveToDelayed(Date.now(), token).catch(() => undefined);
      await this.locks.release(`group:${job.data.group}`, job.id!).catch(() => undefined);
    }
    await Promise.all(this.workers.map((w) => w.close(true)));
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    await this.redis.quit().catch(() => undefined);
  }

  async idle(): Promise<void> {
    for (;;) {
      let waiting = 0;
      for (const queue of this.queues.values())
        waiting += sum(await queue.getJobCounts("active", "waiting", "delayed", "prioritized", "waiting-children"));
      if (waiting === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async counts(): Promise<QueueCounts[]> {
    const out: QueueCounts[] = [];
    for (const [lane, queue] of this.queues) {
      const c = await queue.getJobCounts("active", "waiting", "delayed", "prioritized", "completed", "failed");
      const add = (state: string, count: number) => count > 0 && out.push({ lane, state, count });
      add("queued", (c.waiting ?? 0) + (c.delayed ?? 0) + (c.prioritized ?? 0));
      add("running", c.active ?? 0);
      add("done", c.completed ?? 0);
      add("failed", c.failed ?? 0);
    }
    return out;
  }
}

/** BullMQ refuses `:` in custom ids and ids that read as integers; our keys use `|` and always hold a letter. */
export function jobIdOf(key: string): string {
  return key.replaceAll(":", "|");
}

function sum(counts: Record<string, number>): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}
