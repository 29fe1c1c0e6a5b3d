// The org sweep: every installed repository is rescanned on a schedule (weekly by default, SWEEP_INTERVAL), so
// that badges, the dashboard and progression issues follow new rules and repositories no one pushed to.
// A sweep walks its installation's repositories a page (100) at a time, one job per page, each page's
// repositories queued as repository jobs (low priority, after pushes and pull requests). Where it is lives in
// the store (the sweep ledger), so a restart resumes it at its next page. Both job kinds spend the
// installation's budget: they wait for the rate-limit reset when x-ratelimit-remaining falls under their
// reserve (src/jobs/budget.ts), so a sweep never takes the requests pushes need.
import type { JobDefinition, JobHandler, JobQueue } from "../jobs/job.js";
import type { GitHubApi } from "../sources/github-api.js";
import type { Locks, SweepLedger, SweepState } from "../store/store.js";
import { repositoryJob } from "./scan-job.js";

export interface SweepPageData {
  installationId: number;
  account: string;
  /** the sweep this page belongs to (a page of an older sweep is dropped) */
  startedAt: number;
  page: number;
}

export const PAGE_SIZE = 100;

export const sweepPageJob: JobDefinition<SweepPageData> = {
  kind: "sweep-page",
  lane: "checks",
  priority: 9,
  maxAttempts: 8,
  key: (d) => `sweep|${d.installationId}|${d.startedAt}|${d.page}`,
  group: (d) => `sweep#${d.installationId}`,
  // a page queues 100 repositories: it waits while more than half the budget is spent
  budget: (d) => ({ installationId: d.installationId, reserve: 0.5 }),
};

const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)?$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** SWEEP_INTERVAL: `7d` (the default), `12h`, `30m`, a number of ms, or `off`; undefined means off. */
export function sweepInterval(value: string | undefined): number | undefined {
  const text = value?.trim().toLowerCase() || "7d";
  if (text === "off" || text === "0") return undefined;
  const m = DURATION.exec(text);
  if (!m) throw new Error(`SWEEP_INTERVAL must be a duration such as 7d, 12h or 30m, or off (not "${value}")`);
  return Number(m[1]) * UNIT_MS[m[2] ?? "ms"]!;
}

interface Installation {
  id: number;
  account?: { login?: string } | null;
}

export interface SweepDeps {
  ledger: SweepLedger;
  queue: Pick<JobQueue, "add">;
  octokit(installationId: number): Promise<GitHubApi>;
  now?: () => number;
}

/** One page of an installation's repositories, queued; the ledger moves on; the next page is queued. */
export function runSweepPage(deps: SweepDeps): JobHandler<SweepPageData> {
  const now = deps.now ?? Date.now;
  return async (data) => {
    const state = await deps.ledger.get(data.installationId);
    if (!state || state.startedAt !== data.startedAt || state.finishedAt !== undefined || state.nextPage !== data.page)
      return; // a page of another sweep, or one already done
    const api = await deps.octokit(data.installationId);
    const { data: answer } = await api.request("GET /installation/repositories", {
      per_page: PAGE_SIZE,
      page: data.page,
    });
    const { total_count: total, repositories } = answer as {
      total_count: number;
      repositories: { full_name: string; archived?: boolean }[];
    };
    let queued = 0;
    for (const repo of repositories) {
      if (repo.archived) continue;
      await deps.queue.add(repositoryJob, { installationId: data.installationId, repo: repo.full_name, sweep: true });
      queued++;
    }
    const last = repositories.length < PAGE_SIZE || data.page * PAGE_SIZE >= total;
    const next: SweepState = {
      ...state,
      reposTotal: total,
      reposQueued: state.reposQueued + queued,
      nextPage: data.page + 1,
      ...(last ? { finishedAt: now() } : {}),
    };
    await deps.ledger.save(next);
    if (!last) await deps.queue.add(sweepPageJob, { ...data, page: data.page + 1 });
  };
}

export interface SchedulerDeps extends Omit<SweepDeps, "octokit"> {
  /** the app's own client (JWT), to list installations */
  app(): Promise<GitHubApi>;
  locks: Locks;
  intervalMs: number;
}

/**
 * One look at every installation: a sweep is started where the last one started `intervalMs` ago (or none
 * ever did), and an unfinished one has its next page queued again (after a restart; a queued page is not
 * queued twice). Run on start and then every hour by every instance; the lock keeps them from racing.
 */
export async function scheduleSweeps(deps: SchedulerDeps): Promise<number> {
  const now = deps.now ?? Date.now;
  return deps.locks.withLock(
    "sweep-scheduler",
    async () => {
      const api = await deps.app();
      let started = 0;
      for (let page = 1; ; page++) {
        const { data } = await api.request("GET /app/installations", { per_page: 100, page });
        const installations = data as Installation[];
        for (const installation of installations) {
          const account = installation.account?.login ?? String(installation.id);
          let state = await deps.ledger.get(installation.id);
          if (!state || (state.finishedAt !== undefined && now() - state.startedAt >= deps.intervalMs)) {
            state = {
              installationId: installation.id,
              account,
              startedAt: now(),
              nextPage: 1,
              reposTotal: 0,
              reposQueued: 0,
            };
            await deps.ledger.save(state);
            started++;
          }
          if (state.finishedAt === undefined)
            await deps.queue.add(sweepPageJob, {
              installationId: installation.id,
              account,
              startedAt: state.startedAt,
              page: state.nextPage,
            });
        }
        if (installations.length < 100) break;
      }
      return started;
    },
    { waitMs: 0, ttlMs: 5 * 60_000 },
  );
}
