// The dashboard as the app runs it, configured from the environment: the HTTP handler on Probot's server,
// the webhook listeners that keep repository metadata (visibility, topics, installation) and the org's
// settings fresh, and the hook that stores every default-branch report. main.ts composes it:
//   const dashboard = createDashboardService(store);
//   createApp({ onScanComplete: [badges.onScanComplete, dashboard.onScanComplete] })
//   run((probot, options) => { …; dashboard.app(probot, options); })
// Env: GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET (the app's OAuth client; Probot's manifest flow writes them),
// SESSION_SECRET (≥ 32 characters), PUBLIC_URL (the app's address; else BADGE_BASE_URL), GHE_HOST, GHE_PROTOCOL.
import { defaultRules } from "../engine/index.js";
import type { Report } from "../engine/report.js";
import type { Snapshot } from "../engine/snapshot.js";
import { isTeam, readCodeowners } from "../github/assignees.js";
import type { DashboardRecords, RepoMetaInput } from "../store/dashboard.js";
import { createDashboard, type Dashboard, type HttpHandler, type ScanHistory } from "./dashboard.js";
import { githubHosts, type OAuthApp } from "./github-user.js";
import type { InstallationClient } from "./org-facts.js";
import type { CreditSource } from "./people-view.js";
import { readRepoMeta } from "./repo-meta.js";

/** The fields of the app's CompletedScan this service reads (src/app.ts). */
export interface DashboardScan {
  repo: { owner: string; repo: string };
  headSha: string;
  branch?: string;
  defaultBranch: string;
  report: Report;
  installationId?: number;
  files?: () => Promise<Snapshot>;
}

interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(data: unknown, message?: string): void;
}

interface ProbotLike {
  log: Logger;
  auth(installationId: number): Promise<unknown>;
  // biome-ignore lint/suspicious/noExplicitAny: Probot's handlers take event-specific contexts
  on(events: string | string[], handler: (context: any) => unknown): void;
}

export interface DashboardService {
  /** a Probot app function: the HTTP handler (it needs `addHandler`) and the webhook listeners */
  app(probot: ProbotLike, options: { addHandler: (handler: HttpHandler) => void }): void;
  /** give it to createApp({ onScanComplete }) after the badge service's (which records the visibility) */
  onScanComplete(scan: DashboardScan): Promise<void>;
  /** the dashboard, once `app` has run */
  readonly dashboard: Dashboard | undefined;
}

export interface DashboardStores {
  dashboard: DashboardRecords;
  scans: ScanHistory;
  /** people's credits (the store's credits part), for the people pages */
  credits?: CreditSource;
}

export function createDashboardService(
  stores: DashboardStores,
  env: NodeJS.ProcessEnv = process.env,
): DashboardService {
  const hosts = githubHosts(env);
  const publicUrl = (env.PUBLIC_URL?.trim() || env.BADGE_BASE_URL?.trim() || "").replace(/\/+$/, "") || undefined;
  const clientId = env.GITHUB_CLIENT_ID?.trim();
  const clientSecret = env.GITHUB_CLIENT_SECRET?.trim();
  const sessionSecret = env.SESSION_SECRET?.trim() || undefined;
  const oauth: OAuthApp | undefined =
    clientId && clientSecret
      ? { clientId, clientSecret, ...(publicUrl ? { redirectUri: `${publicUrl}/login/callback` } : {}) }
      : undefined;
  let dashboard: Dashboard | undefined;
  let log: Logger | undefined;

  const saveMeta = (meta: RepoMetaInput) =>
    stores.dashboard
      .saveMeta(meta)
      .catch((err) => log?.error({ err, repo: meta.repo }, "could not store repository metadata"));

  return {
    get dashboard() {
      return dashboard;
    },
    app(probot, { addHandler }) {
      log = probot.log;
      if (!oauth) probot.log.info("GITHUB_CLIENT_ID/GITHUB_CLIENT_SECRET are not set: the dashboard has no sign-in");
      else if (!sessionSecret)
        probot.log.warn("SESSION_SECRET is not set (32+ characters): the dashboard has no sign-in");
      dashboard = createDashboard({
        store: stores.dashboard,
        scans: stores.scans,
        credits: stores.credits,
        rules: defaultRules(),
        auth: async (id) => (await probot.auth(id)) as InstallationClient,
        hosts,
        oauth: sessionSecret ? oauth : undefined,
        sessionSecret,
        publicUrl,
        onError: (err, what) => probot.log.error({ err }, `dashboard: ${what}`),
      });
      addHandler(dashboard.handler);
      const facts = dashboard.facts;

      // every event that carries a full repository object keeps its topics, description and archive state
      probot.on(
        [
          "push",
          "pull_request",
          "repository.created",
          "repository.edited",
          "repository.archived",
          "repository.unarchived",
          "repository.publicized",
          "repository.privatized",
        ],
        async (context) => {
          const p = context.payload;
          await saveMeta(metaOf(p.repository, p.installation?.id));
          // a push to the org's .github repository may change `dashboard:`: read it again at the next page
          if (
            context.name === "push" &&
            p.repository.name === ".github" &&
            p.ref === `refs/heads/${p.repository.default_branch}`
          ) {
            await facts.settingsChanged(p.repository.owner.login);
          }
        },
      );
      // installation events name the repositories only: their topics come in one GraphQL request per 50
      const installed = async (context: InstallationContext, repos: { full_name: string; private: boolean }[]) => {
        const installationId = context.payload.installation.id;
        for (const r of repos) await saveMeta({ repo: r.full_name, private: r.private, installationId });
        try {
          const metas = await readRepoMeta(
            (query, variables) => context.octokit.graphql(query, variables),
            repos.map((r) => r.full_name),
            installationId,
          );
          for (const meta of metas) await saveMeta(meta);
        } catch (err) {
          probot.log.error({ err }, "dashboard: could not read the repositories' topics");
        }
      };
      probot.on("installation.created", async (context) => {
        const { installation, repositories } = context.payload;
        const org = installation.account.login as string;
        await stores.dashboard.setInstallation(org, installation.id);
        await installed(context, repositories ?? []);
        facts.refreshTeams(org, installation.id).catch((err) => probot.log.error({ err }, "dashboard: teams"));
      });
      probot.on("installation.deleted", async (context) => {
        await stores.dashboard.setInstallation(context.payload.installation.account.login, null);
      });
      probot.on("installation_repositories.added", async (context) => {
        await installed(context, context.payload.repositories_added);
      });
    },
    async onScanComplete(scan) {
      // the dashboard shows the default branch: pull requests and other branches are the check run's business
      if (scan.branch !== scan.defaultBranch) return;
      const repo = `${scan.repo.owner}/${scan.repo.repo}`;
      let teams: string[] = [];
      if (scan.files) {
        try {
          const rules = await readCodeowners(await scan.files());
          teams = [...new Set(rules.flatMap((r) => r.owners).filter(isTeam))];
        } catch (err) {
          log?.error({ err, repo }, "dashboard: could not read CODEOWNERS");
        }
      }
      await stores.dashboard.saveReport({
        repo,
        installationId: scan.installationId,
        headSha: scan.headSha,
        report: scan.report,
        codeownerTeams: teams,
      });
    },
  };
}

interface InstallationContext {
  payload: { installation: { id: number } };
  octokit: { graphql: <T>(query: string, variables: Record<string, unknown>) => Promise<T> };
}

interface RepositoryPayload {
  full_name: string;
  private: boolean;
  topics?: string[];
  archived?: boolean;
  description?: string | null;
}

function metaOf(repository: RepositoryPayload, installationId: number | undefined): RepoMetaInput {
  const meta: RepoMetaInput = { repo: repository.full_name, private: repository.private };
  if (installationId !== undefined) meta.installationId = installationId;
  if (Array.isArray(repository.topics)) meta.topics = repository.topics.filter((t) => typeof t === "string");
  if (typeof repository.archived === "boolean") meta.archived = repository.archived;
  if (repository.description !== undefined) meta.description = repository.description;
  return meta;
}
