// The org sweep: pages of an installation's repositories queued as repository jobs, the ledger moved on after
// each page (so a restart resumes), a new sweep only once the interval has passed, progress as metrics.
import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import { engineFingerprint, sameScan } from "../../src/github/fingerprint.js";
import { RepoScanner } from "../../src/github/scan.js";
import { runRepositoryJob } from "../../src/github/scan-job.js";
import { runSweepPage, scheduleSweeps, sweepInterval, sweepPageJob } from "../../src/github/sweep.js";
import type { JobContext, JobDefinition } from "../../src/jobs/job.js";
import { createMetrics } from "../../src/metrics.js";
import { cliOctokit } from "../../src/sources/github-cli.js";
import { recordScan } from "../../src/store/record.js";
import { SqliteStore } from "../../src/store/sqlite/index.js";
import { FakeGitHub } from "../app/fake-github.js";

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
    expect(queue.all.filter((a) => a.kind === "repository").every((a) => a.data.sweep === true)).toBe(true);
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

describe("a swept head already scanned the same way", () => {
  afterEach(() => void nock.cleanAll());
  const api = () => cliOctokit({ GITHUB_TOKEN: "ghp_test" }, { retryAfterBaseValue: 1, noSpacing: true });
  const REPO = "acme/shop";
  const FILES = { "README.md": "# shop\n", Dockerfile: 'FROM node:20-alpine\nUSER node\nCMD ["node", "s.js"]\n' };

  /** scans the default branch's head as a push would, and records it as the badge hook does */
  async function scanAndRecord(store: SqliteStore, head: string) {
    const result = await new RepoScanner().scan(api(), {
      repo: { owner: "acme", repo: "shop" },
      head: { sha: head, ref: "main" },
      defaultBranch: "main",
    });
    await recordScan(store, {
      repo: REPO,
      ref: "main",
      headSha: head,
      private: false,
      report: result.report,
      defaultBranch: "main",
      version: result.fingerprint,
    });
    return result.fingerprint;
  }

  async function sweepRepo(store: SqliteStore, sweep = true) {
    const queue = fakeQueue();
    const run = runRepositoryJob({
      octokit: async () => api(),
      queue,
      lastScan: async (repo) => (await store.scans.badge(repo))?.scan,
    });
    await run({ installationId: 1, repo: REPO, ...(sweep ? { sweep: true } : {}) }, job);
    return queue.added.map((a) => `${a.kind} ${a.data.request.head.sha.slice(0, 7)}`);
  }

  it("is skipped: one GraphQL request (head and org config), no scan, no check run", async () => {
    const gh = new FakeGitHub();
    const store = await SqliteStore.open(":memory:");
    const head = gh.commit(REPO, FILES);
    expect(await scanAndRecord(store, head)).toBe(`${engineFingerprint()} config=none`);
    gh.log.length = 0;

    expect(await sweepRepo(store)).toEqual([]);
    expect(gh.requests()).toEqual(["POST /graphql"]);
    expect(gh.log[0]!.body.variables).toMatchObject({ withOrg: true });

    // installation events are not sweeps: they scan (and ask nothing of the org config)
    gh.log.length = 0;
    expect(await sweepRepo(store, false)).toEqual([`scan ${head.slice(0, 7)}`]);
    expect(gh.log[0]!.body.variables).toMatchObject({ withOrg: false });
    await store.close();
  });

  it("is scanned again when the head moved, the org config appeared or changed, or the engine is another", async () => {
    const gh = new FakeGitHub();
    const store = await SqliteStore.open(":memory:");
    const first = gh.commit(REPO, FILES);
    await scanAndRecord(store, first);
    const next = gh.commit(REPO, { ...FILES, "x.txt": "x\n" });
    expect(await sweepRepo(store)).toEqual([`scan ${next.slice(0, 7)}`]);

    await scanAndRecord(store, next);
    expect(await sweepRepo(store)).toEqual([]);
    // the owner adds an org-wide config: the same head would now be scanned under it
    gh.commit("acme/.github", { ".github/devops-ladder.yml": "min_score: 40\n" });
    expect(await sweepRepo(store)).toEqual([`scan ${next.slice(0, 7)}`]);
    const orgFingerprint = await scanAndRecord(store, next);
    expect(orgFingerprint).toMatch(/ config=org:[0-9a-f]{40}$/);
    expect(await sweepRepo(store)).toEqual([]);
    // …and changes it
    gh.commit("acme/.github", { ".github/devops-ladder.yml": "min_score: 50\n" });
    expect(await sweepRepo(store)).toEqual([`scan ${next.slice(0, 7)}`]);

    // a scan by an older release, or with other rules, or recorded before fingerprints (the bare version)
    expect(sameScan("0.0.1+0123456789ab config=own", null)).toBe(false);
    expect(sameScan("0.1.0", null)).toBe(false);
    expect(sameScan(`${engineFingerprint()} config=own`, "anything")).toBe(true);
    expect(sameScan(`${engineFingerprint()} config=none`, undefined)).toBe(false); // org config not known
    await store.close();
  });

  it("the repository's own config is fixed by its commit; an _extends is never taken as unchanged", async () => {
    const gh = new FakeGitHub();
    const store = await SqliteStore.open(":memory:");
    gh.commit("acme/.github", { ".github/devops-ladder.yml": "min_score: 40\n" });
    const own = gh.commit(REPO, { ...FILES, ".github/devops-ladder.yml": "min_score: 10\n" });
    expect(await scanAndRecord(store, own)).toBe(`${engineFingerprint()} config=own`);
    gh.commit("acme/.github", { ".github/devops-ladder.yml": "min_score: 60\n" });
    expect(await sweepRepo(store)).toEqual([]);

    gh.commit("acme/policies", { ".github/devops-ladder.yml": "min_score: 70\n" });
    const extended = gh.commit(REPO, { ...FILES, ".github/devops-ladder.yml": "_extends: policies\n" });
    expect(await scanAndRecord(store, extended)).toBe(`${engineFingerprint()} config=extends`);
    expect(await sweepRepo(store)).toEqual([`scan ${extended.slice(0, 7)}`]);
    await store.close();
  });
});
