// The org sweep: pages of an installation's repositories queued as repository jobs, the ledger moved on after
// each page (so a restart resumes), a new sweep only once the interval has passed, progress as metrics.
import { describe, expect, it } from "vitest";
import { runSweepPage, scheduleSweeps, sweepInterval, sweepPageJob } from "../../src/github/sweep.js";
import type { JobContext, JobDefinition } from "../../src/jobs/job.js";
import { createMetrics } from "../../src/metrics.js";
import { SqliteStore } from "../../src/store/sqlite/index.js";

const REPOS = Array.from({ length: 250 }, (_, i) => ({ full_name: `acme/r${i}`, archived: i === 7 }));

function fakeApi(requests: string[]) {
  return {
    request: async (route: string, params: { page: number; per_page: number }) => {
      requests.push(`${route} page ${params.page}`);
      if (route === "GET /app/installations")
        return { data: params.page === 1 ? [{ id: 5, account: { login: "acme" } }] : [] };
      const slice = REPOS.slice((params.page - 1) * params.per_page, params.page * params.per_page);
      return { data: { total_count: REPOS.length, repositories: slice } };
    },
  } as never;
}

function fakeQueue() {
  const added: { kind: string; data: any }[] = [];
  const all: { kind: string; data: any }[] = [];
  const add = async (d: JobDefinition<any>, data: any) => {
    added.push({ kind: d.kind, data });
    all.push({ kind: d.kind, data });
    return "queued" as const;
  };
  return { added, all, add };
}

const job = {} as JobContext;

describe("org sweep", () => {
  it("starts a sweep per installation, walks its pages, resumes after a restart, and waits for the interval", async () => {
    const store = await SqliteStore.open(":memory:");
    const requests: string[] = [];
    let now = 1_000_000;
    const queue = fakeQueue();
    const deps = { ledger: store.sweeps, queue, locks: store.locks, intervalMs: 7 * 86_400_000, now: () => now };
    const schedule = () => scheduleSweeps({ ...deps, app: async () => fakeApi(requests) });
    expect(await schedule()).toBe(1);
    expect(queue.added).toEqual([
      { kind: "sweep-page", data: { installationId: 5, account: "acme", startedAt: now, page: 1 } },
    ]);
    const page = runSweepPage({ ...deps, octokit: async () => fakeApi(requests) });
    await page(queue.added[0]!.data, job);
    let state = await store.sweeps.get(5);
    expect(state).toMatchObject({ nextPage: 2, reposTotal: 250, reposQueued: 99 }); // r7 is archived
    expect(state!.finishedAt).toBeUndefined();

    // a restart: the scheduler queues the next page again (the queue drops a page already queued)
    queue.added.length = 0;
    expect(await schedule()).toBe(0);
    expect(queue.added.map((a) => a.data.page)).toEqual([2]);
    await page(queue.added[0]!.data, job);
    await page(queue.added[0]!.data, job); // the same page twice: the second is a no-op
    await page(queue.added.at(-1)!.data, job);
    state = await store.sweeps.get(5);
    expect(state).toMatchObject({ nextPage: 4, reposTotal: 250, reposQueued: 249, finishedAt: now });
    const repos = queue.all.filter((a) => a.kind === "repository").map((a) => a.data.repo);
    expect(new Set(repos).size).toBe(249);
    expect(requests.filter((r) => r.startsWith("GET /installation/repositories"))).toHaveLength(3);

    // progress as metrics
    const metrics = createMetrics({ processMetrics: false });
    metrics.trackSweeps(store.sweeps);
    const text = await metrics.registry.metrics();
    expect(text).toContain('devops_ladder_sweep_repos_total{account="acme"} 250');
    expect(text).toContain('devops_ladder_sweep_repos_queued{account="acme"} 249');
    expect(text).toContain('devops_ladder_sweep_running{account="acme"} 0');

    // no new sweep within the interval; one after it
    queue.added.length = 0;
    now += 86_400_000;
    expect(await schedule()).toBe(0);
    expect(queue.added).toEqual([]);
    now += 6 * 86_400_000;
    expect(await schedule()).toBe(1);
    expect(queue.added).toEqual([
      { kind: "sweep-page", data: { installationId: 5, account: "acme", startedAt: now, page: 1 } },
    ]);
    await store.close();
  });

  it("a page spends the budget with a large reserve; SWEEP_INTERVAL reads durations", () => {
    expect(sweepPageJob.budget!({ installationId: 1, account: "a", startedAt: 0, page: 1 })).toEqual({
      installationId: 1,
      reserve: 0.5,
    });
    expect(sweepInterval(undefined)).toBe(7 * 86_400_000);
    expect(sweepInterval("12h")).toBe(12 * 3_600_000);
    expect(sweepInterval("off")).toBeUndefined();
    expect(() => sweepInterval("weekly")).toThrow(/SWEEP_INTERVAL/);
  });
});
