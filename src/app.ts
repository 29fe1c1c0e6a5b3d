// Probot wiring only: a webhook becomes a durable job (src/github/requests.ts decides which) and is answered
// once the job is recorded; the workers run the jobs (src/github/scan-job.ts: scan → check run → hooks, while
// the progression issue and credits are follow-up jobs of their own). npm start composes it in src/runtime.ts.
import type { ApplicationFunction, Context, Probot } from "probot";
import { installationClients } from "./github/clients.js";
import { Deliveries, EVENTS, NotRecorded, requestFor, type WebhookRequest } from "./github/requests.js";
import { RepoScanner } from "./github/scan.js";
import {
  type LastScan,
  queueRequest,
  repositoryJob,
  runRepositoryJob,
  runScanJob,
  type ScanHook,
  scanJob,
} from "./github/scan-job.js";
import type { RateBudget } from "./jobs/budget.js";
import { EmbeddedQueue } from "./jobs/embedded.js";
import {
  handlers,
  type JobDefinition,
  type JobHandler,
  type JobQueue,
  logFailures,
  type WorkOptions,
} from "./jobs/job.js";
import type { Metrics } from "./metrics.js";
import type { GitHubApi } from "./sources/github-api.js";
import { SqliteStore } from "./store/sqlite/index.js";

export type { CompletedScan, ScanHook } from "./github/scan-job.js";

/** What follow-up job kinds need from the app: a client per installation, the queue, the scanner's caches. */
export interface JobDeps {
  octokit(installationId: number): Promise<GitHubApi>;
  queue: JobQueue;
  scanner: RepoScanner;
}

export type JobKinds = (deps: JobDeps) => [JobDefinition<never>, JobHandler<never>][];

export interface AppOptions {
  /** where jobs are kept; default: the embedded queue on an in-memory SQLite store (tests) */
  queue?: JobQueue;
  /** a scan that ends within this time is posted as one completed check run; default 4 s */
  graceMs?: number;
  scanner?: RepoScanner;
  /** run in order after every completed scan; a failing hook is logged and does not stop the others */
  onScanComplete?: ScanHook[];
  /** more job kinds (credits, the progression issue) for the workers */
  jobs?: JobKinds;
  /** jobs run at once per lane in this process; false: take none (a web-only instance) */
  workers?: WorkOptions["concurrency"] | false;
  /** every response's rate-limit headers, by installation (the queue's budget) */
  budget?: RateBudget;
  metrics?: Metrics;
  /** the last scan of a repository's default branch (the store): the org sweep skips heads scanned the same way */
  lastScan?: LastScan;
}

export interface DevopsLadderApp extends ApplicationFunction {
  readonly queue: JobQueue;
  hooks: ScanHook[];
  /** resolves when every queued job has finished (tests, benchmarks) */
  idle(): Promise<void>;
  /** stops taking jobs and gives the running ones `graceMs` to finish (SIGTERM) */
  stop(graceMs: number): Promise<void>;
}

export function createApp(options: AppOptions = {}): DevopsLadderApp {
  const scanner = options.scanner ?? new RepoScanner();
  const hooks = [...(options.onScanComplete ?? [])];
  const { metrics } = options;
  const deliveries = new Deliveries();
  let queue = options.queue;
  let log: Probot["log"] | undefined;
  const logOf = () => log;

  const app: ApplicationFunction = async (probot) => {
    log = probot.log;
    const jobs = (queue ??= new EmbeddedQueue(await SqliteStore.open(":memory:")));
    metrics?.queueDepth(async () =>
      (await jobs.counts()).reduce((n, c) => (c.state === "queued" || c.state === "running" ? n + c.count : n), 0),
    );
    const deps: JobDeps = { octokit: installationClients(probot, options), queue: jobs, scanner };
    const graceMs = options.graceMs ?? 4000;
    const kinds: [JobDefinition<never>, JobHandler<never>][] = [
      [scanJob as JobDefinition<never>, runScanJob({ ...deps, hooks, graceMs, metrics, log: logOf }) as never],
      [
        repositoryJob as JobDefinition<never>,
        runRepositoryJob({ ...deps, lastScan: options.lastScan, log: logOf }) as never,
      ],
      ...(options.jobs?.(deps) ?? []),
    ];
    if (options.workers !== false)
      jobs.work(handlers(...logFailures(kinds, logOf)), {
        concurrency: options.workers ?? { checks: 4, followups: 2 },
      });

    probot.on([...EVENTS], async (context: Context) => {
      if (!deliveries.first(context.id)) return metrics?.webhookHandled(context.name, "ignored");
      const about = { event: context.name, delivery: context.id };
      let request: WebhookRequest | undefined;
      try {
        request = requestFor(context.name, context.payload);
      } catch (err) {
        // a payload we cannot read: a redelivery would not read better, so it is answered 2xx and logged
        metrics?.webhookHandled(context.name, "error");
        context.log.error({ err, ...about }, "webhook payload not understood");
        return;
      }
      try {
        const outcome = await queueRequest(jobs, context.id, request);
        metrics?.webhookHandled(context.name, outcome);
      } catch (err) {
        // the job was not recorded: the delivery fails (HTTP 500), so that GitHub shows it as failed and it can be
        // redelivered, and its id is forgotten, so that the redelivery is handled
        deliveries.forget(context.id);
        metrics?.webhookHandled(context.name, "error");
        context.log.error({ err, ...about }, "webhook not recorded");
        throw new NotRecorded(context.name, context.id);
      }
    });
  };

  const loaded = Object.assign(app, {
    hooks,
    idle: async () => queue?.idle(),
    stop: async (graceMs: number) => queue?.stop(graceMs),
  });
  return Object.defineProperty(loaded, "queue", {
    get(): JobQueue {
      if (!queue) throw new Error("the app is not loaded yet: its queue is made when Probot loads it");
      return queue;
    },
  }) as DevopsLadderApp;
}
