// People's credits as a job of their own, in the follow-ups lane, so that the people look-ups, the backfill and
// the pull-request comment never hold up a check run. A scan hook queues one per default-branch scan, in the
// progression issue's group and before its sync: the issue then names whoever the change credited. No slot:
// each head is credited in turn (a newer head must not swallow an older one's change and its people).
import type { Config } from "../config/config.js";
import type { JobDefinition, JobHandler, JobQueue } from "../jobs/job.js";
import { type PracticeState, practiceOf } from "../people/credit.js";
import type { GitHubApi, RepoRef } from "../sources/github-api.js";
import type { CompletedScanLike, CreditRecorder } from "./credits.js";

export interface CreditJobData {
  installationId: number;
  repo: RepoRef;
  headSha: string;
  defaultBranch: string;
  /** every milestone's and signal's status at the head, with a little evidence */
  practice: PracticeState;
  config?: Pick<Config, "people" | "credit">;
}

const repoKey = (d: { repo: RepoRef }) => `${d.repo.owner}/${d.repo.repo}`.toLowerCase();

export const creditJob: JobDefinition<CreditJobData> = {
  kind: "credits",
  lane: "followups",
  priority: 0,
  maxAttempts: 6,
  key: (d) => `credits|${repoKey(d)}|${d.headSha}`,
  // the progression issue's group: one at a time per repository, credits first
  group: (d) => `${repoKey(d)}#progression`,
  budget: (d) => ({ installationId: d.installationId }),
};

/** The scan hook that queues the credits of a default-branch scan (put it before the progression issue's). */
export function queueCredits(
  queue: Pick<JobQueue, "add">,
): (scan: CompletedScanLike & { installationId?: number }) => Promise<void> {
  return async (scan) => {
    if (scan.branch === undefined || scan.branch !== scan.defaultBranch || scan.installationId === undefined) return;
    await queue.add(creditJob, {
      installationId: scan.installationId,
      repo: scan.repo,
      headSha: scan.headSha,
      defaultBranch: scan.defaultBranch,
      practice: practiceOf(scan.report),
      ...(scan.config ? { config: { people: scan.config.people, credit: scan.config.credit } } : {}),
    });
  };
}

export interface CreditJobDeps {
  octokit(installationId: number): Promise<GitHubApi>;
  credits: CreditRecorder;
}

export function runCreditJob(deps: CreditJobDeps): JobHandler<CreditJobData> {
  return async (data) => {
    const octokit = await deps.octokit(data.installationId);
    await deps.credits.sync({
      repo: data.repo,
      headSha: data.headSha,
      branch: data.defaultBranch,
      defaultBranch: data.defaultBranch,
      practice: data.practice,
      config: data.config,
      octokit,
    });
  };
}
