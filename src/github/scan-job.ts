// The scan job: scan one commit → report → publish its check run, then the scan hooks (the store, the
// dashboard) and the follow-up jobs they queue (credits, the progression issue), which never hold up a check
// run. A job is retried with backoff when GitHub fails (creating or completing the run included); the run an
// attempt created is kept in the job's checkpoint, and found again by its external_id when the attempt died
// before saving it, so a head gets one run, completed, whatever happens to the process.
// A scan that fails for good completes the run with "could not scan" and fails the job: a re-sent push,
// check_suite or re-run then scans again (failed jobs do not count as done).
import type { Config } from "../config/config.js";
import { gateFailures } from "../config/gates.js";
import type { Report } from "../engine/report.js";
import type { Snapshot } from "../engine/snapshot.js";
import type { JobContext, JobDefinition, JobHandler, JobQueue } from "../jobs/job.js";
import { PermanentJobError } from "../jobs/job.js";
import type { Metrics } from "../metrics.js";
import { renderCheckRun } from "../report/checkrun.js";
import { type GitHubApi, GitHubSourceError, type RepoRef, statusOf } from "../sources/github-api.js";
import { repoInfo } from "../sources/github-repo.js";
import { findRun, publishCheckRun } from "./checks.js";
import { sameScan } from "./fingerprint.js";
import type { WebhookRequest } from "./requests.js";
import type { RepoScanner, ScanRequest } from "./scan.js";

export interface ScanJobData {
  installationId: number;
  /** `branch:main`, `pr:12`: a newer head of the same slot replaces a queued job */
  slot: string;
  /** set for a re-run a person asked for (the delivery id): scanned even if the commit was just scanned */
  force?: string;
  private?: boolean;
  /** a run of ours left `in_progress` to complete (check_run.rerequested on a stuck run) */
  runId?: number;
  request: ScanRequest;
}

export interface RepositoryJobData {
  installationId: number;
  /** `owner/name` */
  repo: string;
  /** queued by the org sweep: a head already scanned the same way (src/github/fingerprint.ts) is skipped */
  sweep?: boolean;
}

const lower = (repo: RepoRef) => `${repo.owner}/${repo.repo}`.toLowerCase();

export const scanJob: JobDefinition<ScanJobData> = {
  kind: "scan",
  lane: "checks",
  priority: 0,
  // 5 s, 15 s, 45 s, 2¼ min, 6¾ min, 20 min…: a GitHub outage of an hour is still survived
  maxAttempts: 8,
  key: (d) => `scan|${lower(d.request.repo)}|${d.request.head.sha}${d.force ? `|${d.force}` : ""}`,
  group: (d) => lower(d.request.repo),
  slot: (d) => d.slot,
  budget: (d) => ({ installationId: d.installationId }),
};

/** An installation's repository, by name only: its default branch's head is looked up, then scanned. */
export const repositoryJob: JobDefinition<RepositoryJobData> = {
  kind: "repository",
  lane: "checks",
  // after the pushes and pull requests people wait for
  priority: 5,
  maxAttempts: 6,
  key: (d) => `repository|${d.repo.toLowerCase()}`,
  group: (d) => d.repo.toLowerCase(),
  budget: (d) => ({ installationId: d.installationId, reserve: 0.2 }),
};

/** What every hook learns after a completed scan (the store, the progression issue, metrics…). */
export interface CompletedScan {
  repo: RepoRef;
  headSha: string;
  /** the branch scanned, when it is one (undefined for a fork's pull request) */
  branch?: string;
  defaultBranch: string;
  report: Report;
  /** the pull request's base report, or the previous default-branch report when it was known */
  base?: Report;
  installationId?: number;
  /** the repository's visibility, when the webhook said */
  private?: boolean;
  /** the installation's client, to read more */
  octokit: GitHubApi;
  /** the repository's config as the scan applied it */
  config?: Config;
  /** the engine and the config's origin (src/github/fingerprint.ts): the store keeps it with the scan */
  fingerprint?: string;
  /** the scanned commit's files, read through the scanner's caches (a file the scan read costs no request) */
  files?: () => Promise<Snapshot>;
}

export type ScanHook = (scan: CompletedScan) => void | Promise<void>;

type Done = { report: Report; base?: Report; config: Config; fingerprint: string };

interface Log {
  info(obj: unknown, msg?: string): void;
  warn(obj: unknown, msg?: string): void;
  error(obj: unknown, msg?: string): void;
}

export interface ScanJobDeps {
  octokit(installationId: number): Promise<GitHubApi>;
  scanner: RepoScanner;
  hooks: readonly ScanHook[];
  /** a scan that ends within this time is posted as one completed check run */
  graceMs: number;
  metrics?: Metrics;
  log?: () => Log | undefined;
}

/** A failure another attempt may get past: GitHub's 5xx, a rate limit, no answer at all. */
export function transient(err: unknown): boolean {
  const status = statusOf(err);
  if (status === undefined) {
    const code = (err as { code?: unknown; cause?: { code?: unknown } } | null)?.code;
    const causeCode = (err as { cause?: { code?: unknown } } | null)?.cause?.code;
    return [code, causeCode].some((c) => typeof c === "string" && /^(ECONN|ETIMEDOUT|EPIPE|UND_ERR)/.test(c));
  }
  if (status >= 500 || status === 429) return true;
  return status === 403 && /rate limit/i.test((err as Error).message ?? "");
}

export function runScanJob(deps: ScanJobDeps): JobHandler<ScanJobData> {
  return async (data, job) => {
    const api = await deps.octokit(data.installationId);
    const req = data.request;
    const checkpoint = (job.checkpoint ?? {}) as { started?: boolean; runId?: number };
    const externalId = `${job.id}:${job.createdAt}`;
    let runId = checkpoint.runId ?? data.runId;
    // an earlier attempt began (killed, or given back at shutdown) and may have created the run unsaved
    if (runId === undefined && (checkpoint.started || job.attempt > 1))
      runId = (await findRun(api, req.repo, req.head.sha, externalId))?.id;
    else if (!checkpoint.started) await job.save({ started: true });
    let done: Done | undefined;
    const finish = deps.metrics?.startScan();
    const lastAttempt = job.attempt >= job.maxAttempts;
    let published: Awaited<ReturnType<typeof publishCheckRun>>;
    try {
      published = await publishCheckRun(
        api,
        req.repo,
        req.head.sha,
        async () => {
          const result = await deps.scanner.scan(api, req);
          const failures = gateFailures(result.report, result.base, result.config);
          done = { report: result.report, base: result.base, config: result.config, fingerprint: result.fingerprint };
          const text = renderCheckRun(result.report, {
            base: result.base,
            paths: result.paths,
            maxAnnotations: result.config.annotations,
            gateFailures: failures,
          });
          return { text, conclusion: failures.length > 0 ? "failure" : "neutral" };
        },
        describe,
        {
          graceMs: deps.graceMs,
          log: deps.log?.(),
          runId,
          externalId,
          created: (id) => job.save({ started: true, runId: id }),
          retry: (err) => !lastAttempt && !job.signal.aborted && transient(err),
        },
      );
    } catch (err) {
      finish?.("error");
      // GitHub refused the run itself (no checks permission, an unknown commit): another attempt cannot help
      const status = statusOf(err);
      if (status !== undefined && status >= 400 && status < 500 && !transient(err))
        throw new PermanentJobError(`the check run was refused (${status}): ${(err as Error).message}`);
      throw err;
    }
    finish?.(done && published.scanned ? "success" : "error");
    if (!done || !published.scanned) {
      // the run says "could not scan"; the job fails so that the next event for this head scans again
      throw new PermanentJobError("the scan failed; its check run says why");
    }
    await runHooks(deps, data, api, done);
  };
}

async function runHooks(deps: ScanJobDeps, data: ScanJobData, api: GitHubApi, done: Done): Promise<void> {
  const req = data.request;
  for (const hook of deps.hooks) {
    try {
      await hook({
        repo: req.repo,
        headSha: req.head.sha,
        branch: req.head.ref,
        defaultBranch: req.defaultBranch,
        report: done.report,
        base: done.base,
        installationId: data.installationId,
        ...(data.private === undefined ? {} : { private: data.private }),
        octokit: api,
        config: done.config,
        fingerprint: done.fingerprint,
        files: async () =>
          deps.scanner.reader.snapshot(api, await deps.scanner.reader.tree(api, req.repo, req.head.sha)),
      });
    } catch (err) {
      deps.log?.()?.error({ err, repo: req.repo }, "a scan hook failed");
    }
  }
}

/** The last scan of a repository's default branch: its head and what scanned it (the store's badge scan). */
export type LastScan = (repo: string) => Promise<{ headSha: string; version: string | null } | undefined>;

/**
 * Installation events and the org sweep carry repository names only: one GraphQL request finds each default
 * branch's head (and, for the sweep, the owner's org config), then the head is scanned, unless, for the sweep,
 * it was already scanned with the same engine and config: nothing is posted then.
 */
export function runRepositoryJob(deps: {
  octokit(installationId: number): Promise<GitHubApi>;
  queue: Pick<JobQueue, "add">;
  lastScan?: LastScan;
  log?: () => Log | undefined;
}): JobHandler<RepositoryJobData> {
  return async (data, _job: JobContext) => {
    const api = await deps.octokit(data.installationId);
    const [owner, name] = data.repo.split("/") as [string, string];
    const repo = { owner, repo: name };
    const skipUnchanged = data.sweep === true && deps.lastScan !== undefined;
    let info;
    try {
      info = await repoInfo(api, repo, undefined, { orgConfig: skipUnchanged });
    } catch (err) {
      if (transient(err)) throw err;
      // an empty or vanished repository has no commit to put a check run on
      deps.log?.()?.info({ repo: data.repo, reason: describe(err) }, "not scanned");
      return;
    }
    if (info.archived) return;
    if (skipUnchanged) {
      const last = await deps.lastScan!(data.repo);
      if (last?.headSha === info.sha && sameScan(last.version, info.orgConfig)) return;
    }
    await deps.queue.add(scanJob, {
      installationId: data.installationId,
      slot: `branch:${info.defaultBranch}`,
      request: { repo, head: { sha: info.sha, ref: info.branch }, defaultBranch: info.defaultBranch },
    });
  };
}

export function describe(err: unknown): string {
  if (err instanceof GitHubSourceError) return err.message;
  return `an internal error (${err instanceof Error ? err.message : String(err)})`;
}

/** Turns one delivery's request into its job(s); "ignored" when the event asks for nothing. */
export async function queueRequest(
  queue: Pick<JobQueue, "add">,
  delivery: string,
  request: WebhookRequest | undefined,
): Promise<"success" | "ignored"> {
  if (!request) return "ignored";
  if (request.type === "repositories") {
    for (const repo of request.repos) await queue.add(repositoryJob, { installationId: request.installationId, repo });
    return "success";
  }
  await queue.add(scanJob, {
    installationId: request.installationId,
    slot: request.slot,
    ...(request.force ? { force: delivery } : {}),
    ...(request.private === undefined ? {} : { private: request.private }),
    ...(request.runId === undefined ? {} : { runId: request.runId }),
    request: request.request,
  });
  return "success";
}
