// Probot wiring only: webhook events → scan jobs on the per-repo queue → scan → check run → hooks.
// Handlers return as soon as the job is queued (GitHub waits 10 s for a webhook answer, scans can take longer).
import type { ApplicationFunction, Context, Probot } from "probot";
import type { Config } from "./config/config.js";
import { gateFailures } from "./config/gates.js";
import type { Report } from "./engine/report.js";
import type { Snapshot } from "./engine/snapshot.js";
import { publishCheckRun } from "./github/checks.js";
import { ProgressionIssues } from "./github/progression.js";
import { type CommitRef, RepoScanner, type ScanRequest } from "./github/scan.js";
import { instrumentOctokit, type Metrics } from "./metrics.js";
import { type QueueOptions, ScanQueue } from "./queue.js";
import { CHECK_NAME, renderCheckRun } from "./report/checkrun.js";
import { type GitHubApi, GitHubSourceError, type RepoRef } from "./sources/github-api.js";
import { repoInfo } from "./sources/github-repo.js";

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
  /** the installation's client, to write more (issues, comments) */
  octokit: Context["octokit"];
  /** the repository's config as the scan applied it */
  config?: Config;
  /** the scanned commit's files, read through the scanner's caches (a file the scan read costs no request) */
  files?: () => Promise<Snapshot>;
}

export type ScanHook = (scan: CompletedScan) => void | Promise<void>;

export interface AppOptions {
  queue?: QueueOptions;
  /** a scan that ends within this time is posted as one completed check run; default 4 s */
  graceMs?: number;
  scanner?: RepoScanner;
  /** run in order after every completed scan; a failing hook is logged and does not stop the others */
  onScanComplete?: ScanHook[];
  metrics?: Metrics;
}

export interface DevopsLadderApp extends ApplicationFunction {
  queue: ScanQueue;
  hooks: ScanHook[];
  /** resolves when every queued scan has finished (tests, graceful shutdown) */
  idle(): Promise<void>;
}

type Octo = Context["octokit"];
type Log = Probot["log"];

const DELIVERIES_REMEMBERED = 1000;

export function createApp(options: AppOptions = {}): DevopsLadderApp {
  const scanner = options.scanner ?? new RepoScanner();
  const hooks = [...(options.onScanComplete ?? [])];
  const metrics = options.metrics;
  let log: Log | undefined;
  const queue = new ScanQueue({
    ...options.queue,
    onError: (err, job) => log?.error({ err, repo: job.repo, sha: job.sha }, "scan job failed"),
  });
  metrics?.queueDepth(() => queue.depth + queue.running);
  const deliveries = new Set<string>();

  /** Queues a scan of one commit; its check run is created when the job starts (a superseded job posts nothing). */
  function enqueue(
    octokit: Octo,
    installationId: number | undefined,
    slot: string,
    req: ScanRequest,
    force: boolean,
  ): string {
    const repo = `${req.repo.owner}/${req.repo.repo}`;
    return queue.enqueue({
      repo,
      slot,
      sha: req.head.sha,
      force,
      run: () => scanAndReport(octokit, installationId, req),
    });
  }

  /** GitHub responses by status and the rate limit left, for /metrics (once per client). */
  function instrument(octokit: Octo): void {
    if (metrics) instrumentOctokit(octokit, metrics);
  }

  async function scanAndReport(octokit: Octo, installationId: number | undefined, req: ScanRequest): Promise<void> {
    instrument(octokit);
    const api = octokit as unknown as GitHubApi;
    let done: { report: Report; base?: Report; config: Config } | undefined;
    const finish = metrics?.startScan();
    await publishCheckRun(
      api,
      req.repo,
      req.head.sha,
      async () => {
        const result = await scanner.scan(api, req);
        const failures = gateFailures(result.report, result.base, result.config);
        done = { report: result.report, base: result.base, config: result.config };
        const text = renderCheckRun(result.report, {
          base: result.base,
          paths: result.paths,
          maxAnnotations: result.config.annotations,
          gateFailures: failures,
        });
        return { text, conclusion: failures.length > 0 ? "failure" : "neutral" };
      },
      describe,
      { graceMs: options.graceMs ?? 4000, log },
    );
    finish?.(done ? "success" : "error");
    if (!done) return;
    for (const hook of hooks) {
      try {
        await hook({
          repo: req.repo,
          headSha: req.head.sha,
          branch: req.head.ref,
          defaultBranch: req.defaultBranch,
          report: done.report,
          base: done.base,
          installationId,
          octokit,
          config: done.config,
          files: async () => scanner.reader.snapshot(api, await scanner.reader.tree(api, req.repo, req.head.sha)),
        });
      } catch (err) {
        log?.error({ err, repo: req.repo }, "a scan hook failed");
      }
    }
  }

  /** Installation events carry repository names only: one GraphQL request finds each default branch's head. */
  function enqueueRepository(octokit: Octo, installationId: number | undefined, fullName: string): void {
    const [owner, name] = fullName.split("/") as [string, string];
    queue.enqueue({
      repo: fullName,
      slot: "installation",
      sha: "HEAD",
      run: async () => {
        instrument(octokit);
        const repo = { owner, repo: name };
        let info;
        try {
          info = await repoInfo(octokit as unknown as GitHubApi, repo);
        } catch (err) {
          // an empty or vanished repository has no commit to put a check run on
          log?.info({ repo: fullName, reason: describe(err) }, "not scanned");
          return;
        }
        if (info.archived) return;
        await scanAndReport(octokit, installationId, {
          repo,
          head: { sha: info.sha, ref: info.branch },
          defaultBranch: info.defaultBranch,
        });
      },
    });
  }

  const app: ApplicationFunction = (probot) => {
    log = probot.log;

    /** Every handler: once per delivery, counted, never throwing into Probot. */
    // biome-ignore lint/suspicious/noExplicitAny: each event has its own context type; fn picks its fields
    const handle = <E extends Parameters<Probot["on"]>[0]>(events: E, fn: (context: any) => string | undefined) => {
      probot.on(events, async (context: Context) => {
        if (deliveries.has(context.id)) return metrics?.webhookHandled(context.name, "ignored");
        deliveries.add(context.id);
        if (deliveries.size > DELIVERIES_REMEMBERED) deliveries.delete(deliveries.values().next().value!);
        try {
          const result = fn(context);
          metrics?.webhookHandled(context.name, result === undefined ? "ignored" : "success");
        } catch (err) {
          metrics?.webhookHandled(context.name, "error");
          context.log.error({ err }, "webhook handler failed");
        }
      });
    };

    handle("push", (context: Context<"push">) => {
      const p = context.payload;
      const branch = p.repository.default_branch;
      if (p.deleted || p.ref !== `refs/heads/${branch}` || p.repository.archived) return;
      return enqueue(
        context.octokit,
        p.installation?.id,
        `branch:${branch}`,
        {
          repo: repoOf(p.repository),
          defaultBranch: branch,
          head: { sha: p.after, ref: branch },
          base: { sha: p.before, ref: branch, onlyIfCached: true },
        },
        false,
      );
    });

    handle(
      ["pull_request.opened", "pull_request.synchronize", "pull_request.reopened"],
      (context: Context<"pull_request.opened">) => {
        const p = context.payload;
        const pr = p.pull_request;
        if (p.repository.archived) return;
        return enqueue(
          context.octokit,
          p.installation?.id,
          `pr:${pr.number}`,
          {
            repo: repoOf(p.repository),
            defaultBranch: p.repository.default_branch,
            head: headOf(pr.head.sha, pr.head.ref, pr.head.repo?.full_name === p.repository.full_name),
            base: { sha: pr.base.sha, ref: pr.base.ref },
          },
          false,
        );
      },
    );

    handle(["check_suite.requested", "check_suite.rerequested"], (context: Context<"check_suite">) => {
      const p = context.payload;
      const suite = p.check_suite;
      if (p.repository.archived) return;
      const pr = suite.pull_requests[0];
      return enqueue(
        context.octokit,
        p.installation?.id,
        pr ? `pr:${pr.number}` : `branch:${suite.head_branch}`,
        {
          repo: repoOf(p.repository),
          defaultBranch: p.repository.default_branch,
          head: headOf(suite.head_sha, suite.head_branch ?? undefined, true),
          base: pr
            ? { sha: pr.base.sha, ref: pr.base.ref }
            : suite.before
              ? { sha: suite.before, ref: suite.head_branch ?? undefined, onlyIfCached: true }
              : undefined,
        },
        p.action === "rerequested",
      );
    });

    handle("check_run.rerequested", (context: Context<"check_run">) => {
      const p = context.payload;
      const run = p.check_run;
      if (run.name !== CHECK_NAME || p.repository.archived) return;
      const pr = run.pull_requests[0];
      const branch = run.check_suite.head_branch ?? undefined;
      return enqueue(
        context.octokit,
        p.installation?.id,
        pr ? `pr:${pr.number}` : `branch:${branch}`,
        {
          repo: repoOf(p.repository),
          defaultBranch: p.repository.default_branch,
          head: headOf(run.head_sha, branch, true),
          base: pr ? { sha: pr.base.sha, ref: pr.base.ref } : undefined,
        },
        true,
      );
    });

    handle("installation.created", (context: Context<"installation">) => {
      const p = context.payload;
      for (const r of p.repositories ?? []) enqueueRepository(context.octokit, p.installation.id, r.full_name);
      return `${p.repositories?.length ?? 0} repositories`;
    });

    handle("installation_repositories.added", (context: Context<"installation_repositories">) => {
      const p = context.payload;
      for (const r of p.repositories_added) enqueueRepository(context.octokit, p.installation.id, r.full_name);
      return `${p.repositories_added.length} repositories`;
    });
  };

  return Object.assign(app, { queue, hooks, idle: () => queue.idle() });
}

function repoOf(repository: { name: string; owner: { login?: string; name?: string | null } | null }): RepoRef {
  return { owner: repository.owner?.login ?? "", repo: repository.name };
}

/** A fork's branch name means nothing in this repository: only same-repo heads keep it. */
function headOf(sha: string, branch: string | undefined, sameRepo: boolean): CommitRef {
  return sameRepo && branch ? { sha, ref: branch } : { sha };
}

function describe(err: unknown): string {
  if (err instanceof GitHubSourceError) return err.message;
  return `an internal error (${err instanceof Error ? err.message : String(err)})`;
}

/** The app `probot run` loads (npm start composes its own in main.ts): check runs and the progression issue. */
export default createApp({ onScanComplete: [new ProgressionIssues().hook] });
