// The app as a process: `npm start` (web + workers) and `devops-ladder worker` (workers alone).
// Settings (env): APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH, WEBHOOK_SECRET, WEBHOOK_PATH, PORT, HOST, LOG_LEVEL,
// GHE_HOST, GHE_PROTOCOL (Probot's); the store (DATABASE_URL=postgres://… or DATABASE_PATH, src/store/index.ts);
// REDIS_URL: the queue is BullMQ on Redis (else the embedded queue in the store); WEBHOOK_MAX_BYTES (25 MB);
// WORKERS_CHECKS / WORKERS_FOLLOWUPS (jobs at once per lane; 0 takes none); JOB_LEASE_MS (60 s);
// SWEEP_INTERVAL (7d; 12h, 30m…, or off: every installed repository is rescanned this often);
// SCAN_GRACE_MS (4 s: a scan that ends sooner is posted as one completed check run); SHUTDOWN_GRACE_MS (20 s:
// on SIGTERM running jobs get this long, then go back to the queue); the badge and dashboard settings
// (docs/badges.md, docs/dashboard.md). docs/operations.md describes a deployment.
import { createServer, type Server } from "node:http";
import { Redis } from "ioredis";
import { createProbot, type Probot, run } from "probot";
import { createApp, type DevopsLadderApp } from "./app.js";
import { defaultRules } from "./engine/index.js";
import { creditJob, queueCredits, runCreditJob } from "./github/credit-job.js";
import { CreditRecorder, milestoneEarners } from "./github/credits.js";
import { appOctokit } from "./github/octokit.js";
import { progressionFromEnv } from "./github/progression.js";
import { progressionJob, queueProgression, runProgressionJob } from "./github/progression-job.js";
import { runSweepPage, scheduleSweeps, sweepInterval, sweepPageJob } from "./github/sweep.js";
import { DEFAULT_BODY_LIMIT, webhookIntake } from "./http/intake.js";
import type { HttpHandler } from "./http/routes.js";
import { createBadgeService } from "./http/service.js";
import { MemoryBudget, type RateBudget, RedisBudget } from "./jobs/budget.js";
import { BullQueue } from "./jobs/bullmq.js";
import { EmbeddedQueue } from "./jobs/embedded.js";
import type { JobDefinition, JobHandler, JobQueue } from "./jobs/job.js";
import { openStore } from "./store/index.js";
import type { Locks, Store } from "./store/store.js";
import { createDashboardService } from "./web/service.js";

export type Mode = "all" | "worker";

export interface Running {
  app: DevopsLadderApp;
  store: Store;
  server?: Server;
  /** stops taking webhooks and jobs, lets running jobs finish within the grace period, closes everything */
  shutdown(): Promise<void>;
}

function number(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number ≥ 0, not "${raw}"`);
  return value;
}

function queueFor(env: NodeJS.ProcessEnv, store: Store): { queue: JobQueue; budget: RateBudget; locks: Locks } {
  const leaseMs = number(env, "JOB_LEASE_MS", 60_000);
  const url = env.REDIS_URL?.trim();
  if (url) {
    const prefix = env.REDIS_PREFIX?.trim() || "devops-ladder";
    const redis = new Redis(url, { maxRetriesPerRequest: null });
    const budget = new RedisBudget(redis, prefix);
    const bull = new BullQueue(redis, { prefix, leaseMs, budget, stalledIntervalMs: Math.min(30_000, leaseMs / 2) });
    return { queue: bull, budget, locks: bull.locks };
  }
  const budget = new MemoryBudget();
  return { queue: new EmbeddedQueue(store, { leaseMs, budget }), budget, locks: store.locks };
}

/** Starts the app; in "all" mode with its HTTP server (webhooks, badges, dashboard, /metrics). */
export async function start(mode: Mode, env: NodeJS.ProcessEnv = process.env): Promise<Running | undefined> {
  const Octokit = appOctokit();
  if (mode === "all" && (!env.APP_ID || !(env.PRIVATE_KEY || env.PRIVATE_KEY_PATH))) {
    // no credentials yet: Probot's own server runs the manifest flow that registers the app
    await run(() => undefined, { Octokit });
    return undefined;
  }
  if (mode === "worker" && (!env.APP_ID?.trim() || !(env.PRIVATE_KEY?.trim() || env.PRIVATE_KEY_PATH?.trim())))
    throw new Error(
      "worker needs APP_ID and PRIVATE_KEY (or PRIVATE_KEY_PATH) in the environment: its jobs call GitHub as the " +
        "app (docs/operations.md)",
    );
  const store = await openStore(env);
  const { queue, budget, locks } = queueFor(env, store);
  const badges = createBadgeService(store, env);
  const credits = new CreditRecorder({ store, levels: defaultRules().levels });
  const progression = progressionFromEnv(env, (repo) => milestoneEarners(store, repo));
  const dashboard = createDashboardService(
    { dashboard: store.dashboard, scans: store.scans, credits: store.credits },
    env,
  );
  const sweepEvery = sweepInterval(env.SWEEP_INTERVAL);
  badges.metrics.trackSweeps(store.sweeps);
  const checks = number(env, "WORKERS_CHECKS", 4);
  const followups = number(env, "WORKERS_FOLLOWUPS", 2);
  const app = createApp({
    queue,
    budget,
    graceMs: number(env, "SCAN_GRACE_MS", 4000),
    metrics: badges.metrics,
    lastScan: async (repo) => (await store.scans.badge(repo))?.scan,
    // the store and the dashboard first (local writes); credits, then the progression issue, as jobs
    onScanComplete: [badges.onScanComplete, dashboard.onScanComplete, queueCredits(queue), queueProgression(queue)],
    jobs: (deps) =>
      [
        [creditJob, runCreditJob({ octokit: deps.octokit, credits })],
        [
          progressionJob,
          runProgressionJob({ octokit: deps.octokit, issues: progression, locks, scanner: deps.scanner }),
        ],
        // the org sweep's pages (queued by scheduleSweeps below) are handled by the same workers
        [sweepPageJob, runSweepPage({ ledger: store.sweeps, queue: deps.queue, octokit: deps.octokit })],
      ] as unknown as [JobDefinition<never>, JobHandler<never>][],
    workers: checks + followups > 0 ? { checks, followups } : false,
  });
  // not Probot's Redis clustering of its request throttling (Bottleneck): its client registrations expire under
  // load and then every write fails; the rate budget the instances share is the queue's (src/jobs/budget.ts)
  const probot: Probot = createProbot({ env, overrides: { Octokit, redisConfig: undefined } });
  progression.log = probot.log;
  credits.log = probot.log;
  const handlers: HttpHandler[] = [];
  const addHandler = (handler: HttpHandler) => void handlers.push(handler);
  await probot.load(app, { cwd: process.cwd(), addHandler } as never);

  let server: Server | undefined;
  if (mode === "all") {
    badges.app(probot, { addHandler });
    dashboard.app(probot, { addHandler });
    const intake = webhookIntake({
      path: env.WEBHOOK_PATH?.trim() || "/api/github/webhooks",
      secret: env.WEBHOOK_SECRET ?? "",
      limitBytes: number(env, "WEBHOOK_MAX_BYTES", DEFAULT_BODY_LIMIT),
      receive: (event) => probot.receive(event as never),
      log: probot.log,
    });
    server = createServer(async (req, res) => {
      try {
        for (const handler of [intake, ...handlers]) if (await handler(req, res)) return;
        res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
      } catch (err) {
        probot.log.error({ err, url: req.url }, "HTTP handler failed");
        if (!res.headersSent) res.writeHead(500).end();
      }
    });
    const port = number(env, "PORT", 3000);
    const host = env.HOST?.trim() || undefined;
    await new Promise<void>((resolve) => server!.listen(port, host, resolve));
    probot.log.info(`devops-ladder listening on ${host ?? "*"}:${(server.address() as { port: number }).port}`);
  }
  probot.log.info(`devops-ladder ${mode}: ${queue.backend} queue, ${store.kind} store`);

  // the org sweep: every instance looks on start and every SWEEP_CHECK_MS (1 h); a lock lets one of them act
  let sweepTimer: NodeJS.Timeout | undefined;
  if (sweepEvery !== undefined) {
    const look = () =>
      scheduleSweeps({
        ledger: store.sweeps,
        queue,
        locks,
        intervalMs: sweepEvery,
        app: async () => (await probot.auth()) as never,
      }).catch((err) => {
        if ((err as Error).name !== "LockTimeout") probot.log.warn({ err }, "could not schedule the org sweeps");
      });
    const every = number(env, "SWEEP_CHECK_MS", 3_600_000);
    sweepTimer = setTimeout(
      function again() {
        void look();
        sweepTimer = setTimeout(again, every).unref();
      },
      number(env, "SWEEP_FIRST_MS", 10_000),
    ).unref();
  }

  let stopping: Promise<void> | undefined;
  const shutdown = () =>
    (stopping ??= (async () => {
      const grace = number(env, "SHUTDOWN_GRACE_MS", 20_000);
      probot.log.info(`stopping: no new webhooks or jobs; running jobs have ${grace} ms`);
      clearTimeout(sweepTimer);
      const closed = server ? new Promise((resolve) => server.close(resolve)) : Promise.resolve();
      server?.closeIdleConnections();
      await app.stop(grace);
      await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
      await store.close();
    })());
  return { app, store, server, shutdown };
}

/** The process around start(): SIGTERM and SIGINT shut down gracefully, then exit. */
export async function main(mode: Mode): Promise<void> {
  const running = await start(mode);
  if (!running) return;
  const stop = (signal: string) => {
    void running.shutdown().then(
      () => process.exit(0),
      (err) => {
        console.error(`shutdown after ${signal} failed:`, err);
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", () => stop("SIGTERM"));
  process.once("SIGINT", () => stop("SIGINT"));
}
