// What the dashboard reads about an org with the app's installation token, kept in the store so that every
// instance shares it: the org config's `dashboard:` setting (the org's `.github` repository,
// `.github/devops-ladder.yml` or `.yaml`; read again after a few minutes, at once after a push to it) and the org's
// GitHub teams with their repositories (a bounded number of requests, read again after a few hours, in the
// background: a page never waits for GitHub).
import { CONFIG_PATHS, parseConfig } from "../config/config.js";
import type { DashboardRecords, GitHubTeam, OrgRecord } from "../store/dashboard.js";

/** The part of an installation's Octokit used here (Probot's has it). */
export interface InstallationClient {
  // biome-ignore lint/suspicious/noExplicitAny: answers are read field by field
  request(route: string, params?: Record<string, unknown>): Promise<{ status: number; data: any }>;
}

export type InstallationAuth = (installationId: number) => Promise<InstallationClient>;

export interface OrgFactsOptions {
  store: DashboardRecords;
  auth: InstallationAuth;
  /** how long the `dashboard:` setting is trusted; default 5 minutes */
  settingsTtlMs?: number;
  /** how long the teams are trusted; default 6 hours */
  teamsTtlMs?: number;
  /** most requests one teams refresh makes; default 40 */
  teamsRequestBudget?: number;
  now?: () => number;
  onError?: (err: unknown, what: string) => void;
}

const MAX_TEAMS = 100;

export class OrgFacts {
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private readonly settingsTtl: number;
  private readonly teamsTtl: number;
  private readonly budget: number;
  private readonly now: () => number;

  constructor(private readonly options: OrgFactsOptions) {
    this.settingsTtl = options.settingsTtlMs ?? 5 * 60_000;
    this.teamsTtl = options.teamsTtlMs ?? 6 * 3_600_000;
    this.budget = options.teamsRequestBudget ?? 40;
    this.now = options.now ?? Date.now;
  }

  /** Does the org show its public repositories to signed-out visitors? Read again when stale. */
  async isPublic(record: OrgRecord): Promise<boolean> {
    if (this.now() - record.settingsCheckedAt < this.settingsTtl) return record.dashboardPublic ?? false;
    if (record.installationId === undefined) return false;
    return this.once(`settings:${record.org.toLowerCase()}`, () => this.readSetting(record));
  }

  /** Forget the setting (a push changed the org's `.github` repository). */
  async settingsChanged(org: string): Promise<void> {
    const record = await this.options.store.org(org);
    if (record) await this.options.store.setDashboardPublic(org, record.dashboardPublic ?? false, 0);
  }

  private async readSetting(record: OrgRecord): Promise<boolean> {
    let value = false;
    try {
      const client = await this.options.auth(record.installationId!);
      // `.yml`, else `.yaml`, as the scans look for it
      for (const path of CONFIG_PATHS) {
        const text = await this.readFile(client, record.org, path);
        if (text === undefined) continue;
        // a config that does not validate is the defaults: private
        value = parseConfig(text, `${record.org}/.github:${path}`).config.dashboard === "public";
        break;
      }
    } catch (err) {
      // unknown: keep what we knew, and ask again at the next page after a minute
      this.options.onError?.(err, `reading the config of ${record.org}/.github`);
      const known = record.dashboardPublic ?? false;
      await this.options.store.setDashboardPublic(record.org, known, this.now() - this.settingsTtl + 60_000);
      return known;
    }
    await this.options.store.setDashboardPublic(record.org, value, this.now());
    return value;
  }

  /** A file of the org's `.github` repository, or undefined when there is none (404). */
  private async readFile(client: InstallationClient, org: string, path: string): Promise<string | undefined> {
    try {
      const { data } = await client.request("GET /repos/{owner}/{repo}/contents/{path}", {
        owner: org,
        repo: ".github",
        path,
      });
      return typeof data?.content === "string" && data.encoding === "base64"
        ? Buffer.from(data.content, "base64").toString("utf8")
        : "";
    } catch (err) {
      if ((err as { status?: number }).status === 404) return undefined;
      throw err;
    }
  }

  /** The stored GitHub teams (possibly none yet); a stale or missing list is refreshed in the background. */
  teams(record: OrgRecord): GitHubTeam[] {
    if (record.installationId !== undefined && this.now() - record.teamsFetchedAt >= this.teamsTtl) {
      this.refreshTeams(record.org, record.installationId).catch((err) =>
        this.options.onError?.(err, `storing the teams of ${record.org}`),
      );
    }
    return record.teams ?? [];
  }

  /** Reads the org's teams and their repositories now (also called at installation). */
  refreshTeams(org: string, installationId: number): Promise<GitHubTeam[] | undefined> {
    return this.once(`teams:${org.toLowerCase()}`, async () => {
      let teams: GitHubTeam[] | undefined;
      try {
        teams = await this.readTeams(org, installationId);
      } catch (err) {
        const status = (err as { status?: number }).status;
        // 403: the installation lacks `members: read`; 404: a user account, which has no teams
        if (status !== 403 && status !== 404) this.options.onError?.(err, `reading the teams of ${org}`);
        teams = undefined;
      }
      await this.options.store.setTeams(org, teams, this.now());
      return teams;
    });
  }

  private async readTeams(org: string, installationId: number): Promise<GitHubTeam[]> {
    const client = await this.options.auth(installationId);
    let left = this.budget;
    const teams: GitHubTeam[] = [];
    for (let page = 1; teams.length < MAX_TEAMS && left > 0; page++) {
      left--;
      const { data } = await client.request("GET /orgs/{org}/teams", { org, per_page: 100, page });
      const list = Array.isArray(data) ? data : [];
      for (const t of list) {
        if (typeof t?.slug !== "string") continue;
        teams.push({
          slug: t.slug,
          name: typeof t.name === "string" ? t.name : t.slug,
          secret: t.privacy === "secret",
          repos: [],
        });
      }
      if (list.length < 100) break;
    }
    // secret teams are never shown: their repositories are not asked for
    for (const team of teams.filter((t) => !t.secret).slice(0, MAX_TEAMS)) {
      for (let page = 1; left > 0; page++) {
        left--;
        const { data } = await client.request("GET /orgs/{org}/teams/{team_slug}/repos", {
          org,
          team_slug: team.slug,
          per_page: 100,
          page,
        });
        const list = Array.isArray(data) ? data : [];
        for (const r of list) if (typeof r?.full_name === "string") team.repos.push(r.full_name);
        if (list.length < 100) break;
      }
    }
    return teams.slice(0, MAX_TEAMS);
  }

  /** One request at a time per key: concurrent pages share the answer. */
  private once<T>(key: string, run: () => Promise<T>): Promise<T> {
    const running = this.inFlight.get(key) as Promise<T> | undefined;
    if (running) return running;
    const promise = run().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, promise);
    return promise;
  }

  /** Resolves when every background read has finished (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight.values()]);
  }
}
