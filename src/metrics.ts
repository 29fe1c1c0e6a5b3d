// The app's own metrics, in one prom-client Registry served at /metrics.
// The app records them through the small methods of `Metrics`; nothing here knows about Probot.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

export type WebhookOutcome = "success" | "error" | "ignored";
export type ScanOutcome = "success" | "error";

export interface MetricsOptions {
  /** also export Node's process metrics (CPU, memory, event loop lag); default true */
  processMetrics?: boolean;
}

export interface Metrics {
  readonly registry: Registry;
  /** one webhook delivery handled: `event` is the event name (`push`, `pull_request`…), without the action */
  webhookHandled(event: string, outcome: WebhookOutcome): void;
  /** one scan finished, with its wall time in seconds */
  scanFinished(seconds: number, outcome: ScanOutcome): void;
  /** starts a timer; call the result with the outcome when the scan ends */
  startScan(): (outcome: ScanOutcome) => void;
  /** one GitHub API response (or `error` when there was no response) */
  githubRequest(status: number | "error"): void;
  /** from the `x-ratelimit-remaining` header; `resource` from `x-ratelimit-resource` (core, graphql…) */
  rateLimitRemaining(remaining: number, resource?: string): void;
  /** the job queue's current depth (queued and running), or a function read at every scrape */
  queueDepth(depth: number | (() => number | Promise<number>)): void;
  /** the store's size in bytes and its row counts, read at every scrape */
  trackStore(store: {
    sizeBytes(): Promise<number>;
    scans: { counts(): Promise<{ repos: number; scans: number }> };
  }): void;
  /** one request answered by our HTTP routes */
  httpRequest(route: string, status: number): void;
  /** the org sweeps' progress, read at every scrape (src/github/sweep.ts) */
  trackSweeps(ledger: { all(): Promise<SweepProgress[]> }): void;
}

export interface SweepProgress {
  account: string;
  startedAt: number;
  finishedAt?: number;
  reposTotal: number;
  reposQueued: number;
}

const PREFIX = "devops_ladder_";

export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: PREFIX });

  const webhooks = new Counter({
    name: `${PREFIX}webhooks_total`,
    help: "Webhook deliveries handled, by event and outcome.",
    labelNames: ["event", "outcome"] as const,
    registers: [registry],
  });
  const scans = new Histogram({
    name: `${PREFIX}scan_duration_seconds`,
    help: "Wall time of a repository scan (fetch, analyse, score), by outcome.",
    labelNames: ["outcome"] as const,
    buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 60, 120],
    registers: [registry],
  });
  const github = new Counter({
    name: `${PREFIX}github_requests_total`,
    help: "GitHub API requests, by response status (error: no response).",
    labelNames: ["status"] as const,
    registers: [registry],
  });
  const rateLimit = new Gauge({
    name: `${PREFIX}github_rate_limit_remaining`,
    help: "Requests left in the current GitHub rate-limit window, as last seen, by resource.",
    labelNames: ["resource"] as const,
    registers: [registry],
  });
  let depthOf: () => number | Promise<number> = () => 0;
  new Gauge({
    name: `${PREFIX}queue_depth`,
    help: "Jobs waiting or running in the queue.",
    registers: [registry],
    async collect() {
      this.set(await depthOf());
    },
  });
  let store: Parameters<Metrics["trackStore"]>[0] | undefined;
  new Gauge({
    name: `${PREFIX}store_size_bytes`,
    help: "Size on disk of the scan store (database and write-ahead log).",
    registers: [registry],
    async collect() {
      if (store) this.set(await store.sizeBytes());
    },
  });
  new Gauge({
    name: `${PREFIX}store_rows`,
    help: "Rows in the scan store, by table.",
    labelNames: ["table"] as const,
    registers: [registry],
    async collect() {
      if (!store) return;
      const counts = await store.scans.counts();
      this.set({ table: "repos" }, counts.repos);
      this.set({ table: "scans" }, counts.scans);
    },
  });
  const http = new Counter({
    name: `${PREFIX}http_requests_total`,
    help: "Requests answered by the badge, history, health and metrics routes, by route and status.",
    labelNames: ["route", "status"] as const,
    registers: [registry],
  });

  let sweeps: Parameters<Metrics["trackSweeps"]>[0] | undefined;
  const sweepGauge = (name: string, help: string, value: (s: SweepProgress) => number) =>
    new Gauge({
      name: `${PREFIX}sweep_${name}`,
      help,
      labelNames: ["account"] as const,
      registers: [registry],
      async collect() {
        if (!sweeps) return;
        this.reset();
        for (const s of await sweeps.all()) this.set({ account: s.account }, value(s));
      },
    });
  sweepGauge(
    "repos_total",
    "Repositories of the installation, as its current or last sweep listed them.",
    (s) => s.reposTotal,
  );
  sweepGauge("repos_queued", "Repositories the current or last sweep has queued for a rescan.", (s) => s.reposQueued);
  sweepGauge("running", "1 while the installation's sweep is listing repositories.", (s) => (s.finishedAt ? 0 : 1));
  sweepGauge("started_seconds", "When the current or last sweep started (Unix time).", (s) => s.startedAt / 1000);

  return {
    registry,
    trackSweeps(ledger) {
      sweeps = ledger;
    },
    webhookHandled: (event, outcome) => webhooks.inc({ event, outcome }),
    scanFinished: (seconds, outcome) => scans.observe({ outcome }, seconds),
    startScan() {
      const end = scans.startTimer();
      return (outcome) => {
        end({ outcome });
      };
    },
    githubRequest: (status) => github.inc({ status: String(status) }),
    rateLimitRemaining: (remaining, resource = "core") => rateLimit.set({ resource }, remaining),
    queueDepth(depth) {
      depthOf = typeof depth === "function" ? depth : () => depth;
    },
    trackStore(tracked) {
      store = tracked;
    },
    httpRequest: (route, status) => http.inc({ route, status: String(status) }),
  };
}

/** The part of an Octokit instance the hooks need (Probot's `context.octokit` has it). */
interface HookableOctokit {
  hook: {
    after(name: "request", hook: (response: { status: number; headers: Record<string, unknown> }) => void): void;
    error(name: "request", hook: (error: unknown) => unknown): void;
  };
}

const instrumented = new WeakSet<object>();

/**
 * Counts an Octokit's requests by status and reads its rate-limit headers. Safe to call on the same
 * instance twice (e.g. once per event on a shared client): it hooks each instance once.
 */
export function instrumentOctokit(octokit: HookableOctokit, metrics: Metrics): void {
  if (instrumented.has(octokit)) return;
  instrumented.add(octokit);
  octokit.hook.after("request", (response) => {
    metrics.githubRequest(response.status);
    readRateLimit(response.headers, metrics);
  });
  octokit.hook.error("request", (error) => {
    const response = (error as { response?: { status?: number; headers?: Record<string, unknown> } }).response;
    metrics.githubRequest(typeof response?.status === "number" ? response.status : "error");
    if (response?.headers) readRateLimit(response.headers, metrics);
    throw error;
  });
}

function readRateLimit(headers: Record<string, unknown>, metrics: Metrics): void {
  const remaining = Number(headers["x-ratelimit-remaining"]);
  if (headers["x-ratelimit-remaining"] === undefined || !Number.isFinite(remaining)) return;
  const resource = typeof headers["x-ratelimit-resource"] === "string" ? headers["x-ratelimit-resource"] : "core";
  metrics.rateLimitRemaining(remaining, resource);
}
