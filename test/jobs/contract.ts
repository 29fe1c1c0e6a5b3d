// The queue contract: what the embedded queue (on SQLite or PostgreSQL) and the BullMQ queue (on Redis) must
// do the same way. Each case makes its own queues through `make` (a fresh store or key prefix each time).
import { afterEach, describe, expect, it } from "vitest";
import { MemoryBudget } from "../../src/jobs/budget.js";
import {
  handlers,
  type JobContext,
  type JobDefinition,
  type JobHandler,
  type JobQueue,
  PermanentJobError,
} from "../../src/jobs/job.js";

export interface QueueOptions {
  leaseMs?: number;
  /** first retry delay; the makers default to 4 s, which the "promoted" case must not wait out */
  retryBaseMs?: number;
  budget?: MemoryBudget;
}

export interface Instances {
  /** a queue on the shared backing (same store or Redis prefix), with its own connections: one instance */
  make(options?: QueueOptions): Promise<JobQueue>;
  /** cuts an instance off as a SIGKILL would: no renewal, nothing given back */
  kill(queue: JobQueue): Promise<void>;
}
/** A fresh backing (store, Redis prefix) per case. */
export type Backing = () => Promise<Instances>;

interface Data {
  repo: string;
  n: number;
  slot?: string;
  lane?: "checks" | "followups";
}

const job = (kind = "task", extra: Partial<JobDefinition<Data>> = {}): JobDefinition<Data> => ({
  kind,
  lane: "checks",
  priority: 0,
  maxAttempts: 3,
  key: (d) => `${kind}|${d.repo}|${d.n}`,
  group: (d) => d.repo,
  slot: (d) => d.slot,
  budget: () => ({ installationId: 1 }),
  ...extra,
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error("timed out");
    await sleep(10);
  }
}

export function describeQueueContract(backend: string, backing: Backing): void {
  const queues: JobQueue[] = [];
  let instances: Instances;
  const queue = async (options?: QueueOptions) => {
    const q = await instances.make(options);
    queues.push(q);
    return q;
  };
  const fresh = async () => {
    instances = await backing();
  };
  afterEach(async () => {
    for (const q of queues.splice(0)) await q.stop(0).catch(() => undefined);
  });

  describe(`${backend}: queue`, () => {
    it("runs a job with its data once, however often its key is added", async () => {
      await fresh();
      const q = await queue();
      const seen: Data[] = [];
      const def = job();
      expect(await q.add(def, { repo: "o/a", n: 1 })).toBe("queued");
      expect(await q.add(def, { repo: "o/a", n: 1 })).toBe("duplicate");
      q.work(handlers([def as never, (async (d: Data) => void seen.push(d)) as never]), {
        concurrency: { checks: 2 },
      });
      await q.idle();
      expect(await q.add(def, { repo: "o/a", n: 1 })).toBe("duplicate"); // just done
      await q.idle();
      expect(seen).toEqual([{ repo: "o/a", n: 1 }]);
    });

    it("runs one job of a repository at a time, and repositories side by side", async () => {
      await fresh();
      const q = await queue();
      const def = job();
      let running = 0;
      let most = 0;
      const overlap: string[] = [];
      const byRepo = new Map<string, number>();
      const run: JobHandler<Data> = async (d) => {
        byRepo.set(d.repo, (byRepo.get(d.repo) ?? 0) + 1);
        if (byRepo.get(d.repo)! > 1) overlap.push(d.repo);
        running++;
        most = Math.max(most, running);
        await sleep(40);
        running--;
        byRepo.set(d.repo, byRepo.get(d.repo)! - 1);
      };
      for (let n = 0; n < 4; n++) for (const repo of ["o/a", "o/b"]) await q.add(def, { repo, n });
      q.work(handlers([def as never, run as never]), { concurrency: { checks: 4 } });
      await q.idle();
      expect(overlap).toEqual([]);
      expect(most).toBe(2);
    });

    it("skips a queued job that a newer one of its slot replaced", async () => {
      await fresh();
      const q = await queue();
      const def = job();
      const ran: number[] = [];
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const run: JobHandler<Data> = async (d) => {
        ran.push(d.n);
        if (d.n === 0) await gate;
      };
      q.work(handlers([def as never, run as never]), { concurrency: { checks: 2 } });
      await q.add(def, { repo: "o/a", n: 0, slot: "pr:1" });
      await until(() => ran.length === 1);
      await q.add(def, { repo: "o/a", n: 1, slot: "branch:main" });
      await q.add(def, { repo: "o/a", n: 2, slot: "branch:main" });
      release();
      await q.idle();
      expect(ran).toEqual([0, 2]);
    });

    it("retries with backoff, handing each attempt what the last one saved", async () => {
      await fresh();
      const q = await queue({ retryBaseMs: 100 });
      const def = job();
      const attempts: { attempt: number; checkpoint: unknown }[] = [];
      const run: JobHandler<Data> = async (_d, ctx: JobContext) => {
        attempts.push({ attempt: ctx.attempt, checkpoint: ctx.checkpoint });
        await ctx.save({ tried: ctx.attempt });
        if (ctx.attempt < 3) throw new Error("GitHub answered 502");
      };
      await q.add(def, { repo: "o/a", n: 1 });
      q.work(handlers([def as never, run as never]), { concurrency: { checks: 1 } });
      await q.idle();
      expect(attempts).toEqual([
        { attempt: 1, checkpoint: null },
        { attempt: 2, checkpoint: { tried: 1 } },
        { attempt: 3, checkpoint: { tried: 2 } },
      ]);
    });

    it("fails a permanent error at once; the same key may then run again", async () => {
      await fresh();
      const q = await queue();
      const def = job();
      let calls = 0;
      const run: JobHandler<Data> = async () => {
        calls++;
        if (calls === 1) throw new PermanentJobError("not found");
      };
      await q.add(def, { repo: "o/a", n: 1 });
      q.work(handlers([def as never, run as never]), { concurrency: { checks: 1 } });
      await q.idle();
      expect(calls).toBe(1);
      expect(await q.add(def, { repo: "o/a", n: 1 })).toBe("queued");
      await q.idle();
      expect(calls).toBe(2);
    });

    it("runs a retry that waits out a long backoff at once when its key is added again", async () => {
      await fresh();
      const q = await queue();
      const def = job("slow-retry", { maxAttempts: 5 });
      let calls = 0;
      const run: JobHandler<Data> = async () => {
        calls++;
        if (calls === 1) throw new Error("transient");
      };
      await q.add(def, { repo: "o/a", n: 1 });
      q.work(handlers([def as never, run as never]), { concurrency: { checks: 1 } });
      await until(() => calls === 1);
      await sleep(100);
      expect(await q.add(def, { repo: "o/a", n: 1 })).toBe("promoted");
      await until(() => calls === 2, 3000); // the backoff (≥ 4 s for the queues made here) is not waited out
    });

    it("keeps lanes apart: a stuck follow-up never holds up a check", async () => {
      await fresh();
      const q = await queue();
      const check = job("check");
      const issue = job("issue", { lane: "followups", group: (d) => `${d.repo}#issue` });
      let checks = 0;
      const stuck = new Promise<void>(() => undefined);
      for (let n = 0; n < 3; n++) await q.add(issue, { repo: `o/${n}`, n });
      for (let n = 0; n < 3; n++) await q.add(check, { repo: `o/${n}`, n });
      q.work(
        handlers([issue as never, (() => stuck) as never], [check as never, (async () => void checks++) as never]),
        { concurrency: { checks: 1, followups: 1 } },
      );
      await until(() => checks === 3);
    });

    it("at shutdown gives back what did not finish in time; the next instance runs it", async () => {
      await fresh();
      const first = await queue();
      const def = job();
      const started: string[] = [];
      let aborted = false;
      const hang: JobHandler<Data> = async (_d, ctx) => {
        started.push(`first:${ctx.attempt}`);
        ctx.signal.addEventListener("abort", () => (aborted = true));
        await new Promise(() => undefined);
      };
      await first.add(def, { repo: "o/a", n: 1 });
      first.work(handlers([def as never, hang as never]), { concurrency: { checks: 1 } });
      await until(() => started.length === 1);
      const t0 = Date.now();
      await first.stop(200);
      expect(Date.now() - t0).toBeLessThan(5000);
      expect(aborted).toBe(true);
      const second = await queue();
      second.work(
        handlers([
          def as never,
          (async (_d: Data, ctx: JobContext) => void started.push(`second:${ctx.attempt}`)) as never,
        ]),
        { concurrency: { checks: 1 } },
      );
      await second.idle();
      expect(started).toEqual(["first:1", "second:1"]); // given back: not an attempt
    });

    it("takes the job of a worker that died once its lease runs out", async () => {
      await fresh();
      const dead = await queue({ leaseMs: 1000 });
      const def = job();
      const started: string[] = [];
      await dead.add(def, { repo: "o/a", n: 1 });
      // the first worker takes the job and never answers again (as if SIGKILLed): no renewal, no release
      dead.work(
        handlers([
          def as never,
          (async () => {
            started.push("dead");
            await new Promise(() => undefined);
          }) as never,
        ]),
        { concurrency: { checks: 1 } },
      );
      await until(() => started.length === 1);
      await instances.kill(dead);
      const alive = await queue({ leaseMs: 1000 });
      alive.work(handlers([def as never, (async () => void started.push("alive")) as never]), {
        concurrency: { checks: 1 },
      });
      await until(() => started.includes("alive"), 20_000);
      expect(started).toEqual(["dead", "alive"]);
    }, 30_000);

    it("waits for the reset when its installation's rate limit is spent, without counting an attempt", async () => {
      await fresh();
      const budget = new MemoryBudget();
      const q = await queue({ budget });
      const def = job("budgeted", { maxAttempts: 1 });
      const ran: number[] = [];
      const reset = Math.ceil((Date.now() + 1500) / 1000);
      budget.note(1, {
        "x-ratelimit-remaining": "3",
        "x-ratelimit-limit": "5000",
        "x-ratelimit-reset": String(reset),
      });
      await q.add(def, { repo: "o/a", n: 1 });
      q.work(handlers([def as never, (async () => void ran.push(Date.now())) as never]), {
        concurrency: { checks: 1 },
      });
      await q.idle();
      expect(ran).toHaveLength(1);
      expect(ran[0]!).toBeGreaterThanOrEqual(reset * 1000 - 50);
    });
  });
}
