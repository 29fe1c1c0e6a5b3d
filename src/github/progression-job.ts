// The progression issue as a job of its own, in the follow-ups lane: its paced writes (GitHub asks for a few
// seconds between content writes) never hold up a check run, of this repository or any other. One job per
// default-branch head; a newer head replaces a queued one (the issue shows the latest). The issue is created
// under a per-repository lock (Redis, or the store's: a PostgreSQL advisory lock), so N instances create one.
import type { Config } from "../config/config.js";
import type { Report } from "../engine/report.js";
import type { JobDefinition, JobHandler, JobQueue } from "../jobs/job.js";
import type { GitHubApi, RepoRef } from "../sources/github-api.js";
import type { Locks } from "../store/store.js";
import type { ProgressionIssues } from "./progression.js";
import type { RepoScanner } from "./scan.js";
import type { CompletedScan } from "./scan-job.js";

export interface ProgressionJobData {
  installationId: number;
  repo: RepoRef;
  headSha: string;
  defaultBranch: string;
  report: Report;
  config?: Config;
}

const repoKey = (d: { repo: RepoRef }) => `${d.repo.owner}/${d.repo.repo}`.toLowerCase();

export const progressionJob: JobDefinition<ProgressionJobData> = {
  kind: "progression",
  lane: "followups",
  // after the credits of the same head (they name who earned each milestone)
  priority: 1,
  maxAttempts: 6,
  key: (d) => `progression|${repoKey(d)}|${d.headSha}`,
  group: (d) => `${repoKey(d)}#progression`,
  slot: () => "issue",
  budget: (d) => ({ installationId: d.installationId, reserve: 0.1 }),
};

/** The scan hook that queues the progression issue's sync after a default-branch scan. */
export function queueProgression(queue: Pick<JobQueue, "add">): (scan: CompletedScan) => Promise<void> {
  return async (scan) => {
    if (scan.branch === undefined || scan.branch !== scan.defaultBranch || scan.installationId === undefined) return;
    if (scan.config?.progression_issue === false) return;
    await queue.add(progressionJob, {
      installationId: scan.installationId,
      repo: scan.repo,
      headSha: scan.headSha,
      defaultBranch: scan.defaultBranch,
      report: scan.report,
      ...(scan.config ? { config: scan.config } : {}),
    });
  };
}

export interface ProgressionJobDeps {
  octokit(installationId: number): Promise<GitHubApi>;
  issues: ProgressionIssues;
  locks: Locks;
  /** reads CODEOWNERS through its caches */
  scanner: RepoScanner;
}

export function runProgressionJob(deps: ProgressionJobDeps): JobHandler<ProgressionJobData> {
  return async (data) => {
    const api = await deps.octokit(data.installationId);
    const { reader } = deps.scanner;
    await deps.locks.withLock(
      `progression:${repoKey(data)}`,
      () =>
        deps.issues.sync({
          repo: data.repo,
          headSha: data.headSha,
          branch: data.defaultBranch,
          defaultBranch: data.defaultBranch,
          report: data.report,
          config: data.config,
          files: async () => reader.snapshot(api, await reader.tree(api, data.repo, data.headSha)),
          octokit: api,
        }),
      { waitMs: 120_000, ttlMs: 120_000 },
    );
  };
}
