// The badge service as the app runs it: the store, the metrics, the HTTP routes and the hook that records
// every completed scan, configured from the environment. main.ts composes it with the app:
//   const badges = createBadgeService(await openStore());
//   const app = createApp({ metrics: badges.metrics, onScanComplete: [badges.onScanComplete] });
//   run((probot, options) => { app(probot, options); badges.app(probot, options); })
import type { Report } from "../engine/report.js";
import { createMetrics, type Metrics } from "../metrics.js";
import { badgeMarkdown } from "../report/badge.js";
import { recordScan } from "../store/record.js";
import type { Store } from "../store/store.js";
import { type HttpHandler, registerHttpRoutes } from "./routes.js";
import { badgeToken } from "./token.js";

/** The fields of the app's CompletedScan this service reads (src/app.ts). */
export interface ScanDone {
  repo: { owner: string; repo: string };
  headSha: string;
  /** undefined for a fork's pull request: the commit itself is then the ref */
  branch?: string;
  defaultBranch: string;
  report: Report;
  /** the repository's visibility from the webhook payload; looked up (and cached) when absent */
  private?: boolean;
  octokit: { request(route: string, params: Record<string, unknown>): Promise<{ data: unknown }> };
  /** the engine and the config's origin (src/github/fingerprint.ts), recorded as the scan's version */
  fingerprint?: string;
}

interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(data: unknown, message?: string): void;
}

/** The part of a Probot instance the service uses. */
interface ProbotLike {
  log: Logger;
  // biome-ignore lint/suspicious/noExplicitAny: Probot's handlers take event-specific contexts
  on(events: string | string[], handler: (context: any) => unknown): void;
}

export interface BadgeService {
  store: Store;
  metrics: Metrics;
  /** a Probot app function: registers the HTTP routes (it needs `addHandler`) and the repository events */
  app(probot: ProbotLike, options: { addHandler: (handler: HttpHandler) => void }): void;
  /** records a completed scan; give it to createApp({ onScanComplete }) */
  onScanComplete(scan: ScanDone): Promise<void>;
  /**
   * The Markdown to paste in a README, with the token when the repo is private, for the check run and the
   * progression issue; undefined without BADGE_BASE_URL (or, for a private repo, without BADGE_SECRET).
   */
  badgeSnippet(repo: string, isPrivate: boolean): string | undefined;
  close(): Promise<void>;
}

const VISIBILITY_TTL_MS = 10 * 60_000;

/**
 * The service over an open store, with BADGE_SECRET (private repos' tokens), BADGE_BASE_URL (the app's public
 * address, for snippets) and METRICS_TOKEN (optional bearer token for /metrics) from `env`.
 */
export function createBadgeService(store: Store, env: NodeJS.ProcessEnv = process.env): BadgeService {
  const metrics = createMetrics();
  metrics.trackStore(store);
  const secret = env.BADGE_SECRET?.trim() || undefined;
  const baseUrl = env.BADGE_BASE_URL?.trim() || undefined;
  const visibility = new Map<string, { private: boolean; until: number }>();
  let log: Logger | undefined;

  async function isPrivate(scan: ScanDone, fullName: string): Promise<boolean> {
    if (typeof scan.private === "boolean") return scan.private;
    const known = visibility.get(fullName.toLowerCase());
    if (known && known.until > Date.now()) return known.private;
    try {
      const { data } = await scan.octokit.request("GET /repos/{owner}/{repo}", {
        owner: scan.repo.owner,
        repo: scan.repo.repo,
      });
      const value = (data as { private?: unknown }).private !== false;
      visibility.set(fullName.toLowerCase(), { private: value, until: Date.now() + VISIBILITY_TTL_MS });
      return value;
    } catch (err) {
      // unknown visibility: treat the repo as private, so its score is never shown to strangers
      log?.error({ err, repo: fullName }, "could not read the repository's visibility; recording the scan as private");
      return true;
    }
  }

  return {
    store,
    metrics,
    app(probot, { addHandler }) {
      log = probot.log;
      if (!secret) probot.log.warn("BADGE_SECRET is not set: badges of private repositories will not be served");
      registerHttpRoutes(addHandler, {
        store,
        secret,
        metrics,
        metricsToken: env.METRICS_TOKEN?.trim() || undefined,
        onError: (err) => probot.log.error({ err }, "badge route failed"),
      });
      // visibility changes and removals reach the store without waiting for the next scan
      probot.on(["repository.privatized", "repository.publicized"], async (context) => {
        const repository = context.payload.repository as { full_name: string; private: boolean };
        visibility.delete(repository.full_name.toLowerCase());
        await store.scans.setPrivate(repository.full_name, repository.private);
        await store.credits.setPrivate(repository.full_name, repository.private);
      });
      const forget = async (repo: string) => {
        await store.scans.forget(repo);
        await store.credits.forget(repo);
      };
      probot.on("repository.deleted", (context) =>
        forget((context.payload.repository as { full_name: string }).full_name),
      );
      probot.on("installation_repositories.removed", async (context) => {
        for (const r of context.payload.repositories_removed as { full_name: string }[]) await forget(r.full_name);
      });
      probot.on("installation.deleted", async (context) => {
        for (const r of (context.payload.repositories ?? []) as { full_name: string }[]) await forget(r.full_name);
      });
    },
    async onScanComplete(scan) {
      const repo = `${scan.repo.owner}/${scan.repo.repo}`;
      const hidden = await isPrivate(scan, repo);
      await recordScan(store, {
        repo,
        ref: scan.branch ?? scan.headSha,
        headSha: scan.headSha,
        private: hidden,
        report: scan.report,
        defaultBranch: scan.defaultBranch,
        ...(scan.fingerprint ? { version: scan.fingerprint } : {}),
      });
    },
    badgeSnippet(repo, hidden) {
      if (!baseUrl || (hidden && !secret)) return undefined;
      return badgeMarkdown(baseUrl, repo, hidden && secret ? badgeToken(secret, repo) : undefined);
    },
    close: () => store.close(),
  };
}
