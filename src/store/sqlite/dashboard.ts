// The dashboard's records in SQLite (see src/store/dashboard.ts). Reads are one query per page: the org page
// reads one row per repository (the badge scan joined in), the repo page one report.
// An org's rows are kept in memory, parsed. Each read first asks whether anything in the database changed
// (this connection's total_changes(), other connections' PRAGMA data_version: microseconds). When something
// did, one light query gives each repository's stamp — name, visibility, badge scan, row version — and only
// the rows whose stamp moved are read and parsed again; the others keep their objects (and whatever the web
// layer derived from them). So a repository made private is never served from memory as public, and a page
// after a webhook costs a stamp query and a row, not the whole org.
import type Database from "better-sqlite3";
import type { Report } from "../../engine/report.js";
import type { LevelId } from "../../engine/types.js";
import {
  addToTrend,
  type DashboardRecords,
  type GitHubTeam,
  milestoneStatuses,
  type OrgRecord,
  type OrgRepo,
  orgKey,
  parseStatuses,
  parseTrend,
  type RepoDetail,
  type RepoMetaInput,
  type RepoReportInput,
  stringList,
  trendJson,
} from "../dashboard.js";
import { checkRepoName, parseTasks } from "../store.js";

interface OrgRepoRow {
  full_name: string;
  private: number;
  archived: number | null;
  description: string | null;
  topics: string | null;
  codeowner_teams: string | null;
  milestones: string | null;
  trend: string | null;
  score: number | null;
  level: LevelId | null;
  tasks: string | null;
  head_sha: string | null;
  scanned_at: number | null;
}

interface ReportRow {
  full_name: string;
  private: number;
  archived: number;
  description: string | null;
  topics: string;
  codeowner_teams: string;
  head_sha: string;
  scanned_at: number;
  report: string;
}

interface OrgRow {
  login: string;
  installation_id: number | null;
  dashboard_public: number | null;
  settings_checked_at: number;
  teams: string | null;
  teams_fetched_at: number;
}

/** orgs kept parsed in memory; an org of 1,000 repositories is about 2 MB */
const CACHED_ORGS = 32;

interface CachedOrg {
  /** the database's change counters when this was read */
  stamp: string;
  /** repo id → its stamp and row */
  rows: Map<number, { stamp: string; repo: OrgRepo }>;
  repos: readonly OrgRepo[];
}

export class SqliteDashboard implements DashboardRecords {
  private readonly sql;
  private readonly orgCache = new Map<string, CachedOrg>();

  constructor(
    private readonly db: Database.Database,
    private readonly now: () => number = Date.now,
  ) {
    this.sql = {
      dataVersion: db.prepare("PRAGMA data_version").pluck(),
      totalChanges: db.prepare("SELECT total_changes()").pluck(),
      // a new repository's visibility comes from here; a known one's is the scans' business (badge caches)
      upsertRepo: db.prepare<[string, string, number], { id: number }>(
        `INSERT INTO repos (key, full_name, private) VALUES (?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET full_name = excluded.full_name RETURNING id`,
      ),
      ensureRow: db.prepare("INSERT OR IGNORE INTO dashboard_repos (repo_id) VALUES (?)"),
      saveMeta: db.prepare(
        `UPDATE dashboard_repos SET installation_id = coalesce(?, installation_id), topics = coalesce(?, topics),
           archived = coalesce(?, archived), description = CASE WHEN ? THEN ? ELSE description END,
           version = version + 1
         WHERE repo_id = ?`,
      ),
      current: db.prepare<[number], { scanned_at: number | null; trend: string }>(
        "SELECT scanned_at, trend FROM dashboard_repos WHERE repo_id = ?",
      ),
      saveSummary: db.prepare(
        `UPDATE dashboard_repos SET installation_id = coalesce(?, installation_id), codeowner_teams = ?,
           head_sha = ?, scanned_at = ?, milestones = ?, trend = ?, version = version + 1
         WHERE repo_id = ?`,
      ),
      saveReport: db.prepare(
        `INSERT INTO dashboard_reports (repo_id, report) VALUES (?, ?)
         ON CONFLICT (repo_id) DO UPDATE SET report = excluded.report`,
      ),
      touchOrg: db.prepare(
        `INSERT INTO dashboard_orgs (key, login, installation_id) VALUES (?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET login = excluded.login,
           installation_id = coalesce(excluded.installation_id, dashboard_orgs.installation_id)`,
      ),
      // the key range is every `org/…` key: no repository name character sorts below "/"'s successor "0"
      // everything a row of the org page is read from, in one comparable value per repository
      orgStamps: db
        .prepare<[string, string], [number, string]>(
          `SELECT r.id, r.full_name || '|' || r.private || '|' || coalesce(r.badge_scan_id, '') || '|' || coalesce(d.version, '')
           FROM repos r LEFT JOIN dashboard_repos d ON d.repo_id = r.id
           WHERE r.key > ? AND r.key < ?
           ORDER BY r.key`,
        )
        .raw(),
      orgRowsById: db.prepare<[string], OrgRepoRow & { id: number }>(
        `SELECT r.id, r.full_name, r.private, d.archived, d.description, d.topics, d.codeowner_teams, d.milestones,
                d.trend, s.score, s.level, s.tasks, s.head_sha, s.scanned_at
         FROM repos r
         LEFT JOIN dashboard_repos d ON d.repo_id = r.id
         LEFT JOIN scans s ON s.id = r.badge_scan_id
         WHERE r.id IN (SELECT value FROM json_each(?))`,
      ),
      repoReport: db.prepare<[string], ReportRow>(
        `SELECT r.full_name, r.private, d.archived, d.description, d.topics, d.codeowner_teams, d.head_sha,
                d.scanned_at, x.report
         FROM repos r JOIN dashboard_repos d ON d.repo_id = r.id JOIN dashboard_reports x ON x.repo_id = r.id
         WHERE r.key = ?`,
      ),
      org: db.prepare<[string], OrgRow>(
        `SELECT login, installation_id, dashboard_public, settings_checked_at, teams, teams_fetched_at
         FROM dashboard_orgs WHERE key = ?`,
      ),
      orgs: db.prepare<[], OrgRow>(
        `SELECT login, installation_id, dashboard_public, settings_checked_at, teams, teams_fetched_at
         FROM dashboard_orgs ORDER BY key`,
      ),
      setInstallation: db.prepare(
        `INSERT INTO dashboard_orgs (key, login, installation_id) VALUES (?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET login = excluded.login, installation_id = excluded.installation_id`,
      ),
      setPublic: db.prepare(
        `INSERT INTO dashboard_orgs (key, login, dashboard_public, settings_checked_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET dashboard_public = excluded.dashboard_public,
           settings_checked_at = excluded.settings_checked_at`,
      ),
      setTeams: db.prepare(
        `INSERT INTO dashboard_orgs (key, login, teams, teams_fetched_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET teams = excluded.teams, teams_fetched_at = excluded.teams_fetched_at`,
      ),
    };
  }

  private repoRow(repo: string, isPrivate: boolean | undefined): number {
    const id = this.sql.upsertRepo.get(repo.toLowerCase(), repo, isPrivate === false ? 0 : 1)!.id;
    this.sql.ensureRow.run(id);
    return id;
  }

  private touchOrg(repo: string, installationId: number | undefined): void {
    const login = repo.slice(0, repo.indexOf("/"));
    this.sql.touchOrg.run(orgKey(login), login, installationId ?? null);
  }

  async saveMeta(meta: RepoMetaInput): Promise<void> {
    checkRepoName(meta.repo);
    this.db
      .transaction(() => {
        const id = this.repoRow(meta.repo, meta.private);
        this.sql.saveMeta.run(
          meta.installationId ?? null,
          meta.topics ? JSON.stringify([...meta.topics]) : null,
          meta.archived === undefined ? null : meta.archived ? 1 : 0,
          meta.description === undefined ? 0 : 1,
          meta.description ?? null,
          id,
        );
        this.touchOrg(meta.repo, meta.installationId);
      })
      .immediate();
  }

  async saveReport(input: RepoReportInput): Promise<void> {
    return this.saveReports([input]);
  }

  async saveReports(inputs: readonly RepoReportInput[]): Promise<void> {
    for (const input of inputs) checkRepoName(input.repo);
    const now = this.now();
    this.db.transaction(() => inputs.forEach((input) => this.writeReport(input, input.scannedAt ?? now))).immediate();
  }

  private writeReport(input: RepoReportInput, scannedAt: number): void {
    const id = this.repoRow(input.repo, input.private);
    const current = this.sql.current.get(id)!;
    // a late answer about an older commit must not replace a newer report
    if (current.scanned_at !== null && current.scanned_at > scannedAt) return;
    const trend = addToTrend(parseTrend(current.trend), scannedAt, input.report.score);
    this.sql.saveSummary.run(
      input.installationId ?? null,
      JSON.stringify([...input.codeownerTeams]),
      input.headSha,
      scannedAt,
      JSON.stringify(milestoneStatuses(input.report)),
      trendJson(trend),
      id,
    );
    this.sql.saveReport.run(id, JSON.stringify(input.report));
    this.touchOrg(input.repo, input.installationId);
  }

  async orgRepos(org: string): Promise<readonly OrgRepo[]> {
    const key = orgKey(org);
    const stamp = `${this.sql.dataVersion.get()}:${this.sql.totalChanges.get()}`;
    const hit = this.orgCache.get(key);
    if (hit?.stamp === stamp) return hit.repos;
    // one read transaction: the stamps and the rows are of the same moment
    const { stamps, fresh } = this.db.transaction(() => {
      const stamps = this.sql.orgStamps.all(`${key}/`, `${key}0`);
      const stale = stamps.filter(([id, rowStamp]) => hit?.rows.get(id)?.stamp !== rowStamp).map(([id]) => id);
      const fresh = new Map<number, OrgRepo>();
      if (stale.length > 0) {
        for (const row of this.sql.orgRowsById.all(JSON.stringify(stale))) fresh.set(row.id, toOrgRepo(row));
      }
      return { stamps, fresh };
    })();
    const rows: CachedOrg["rows"] = new Map();
    for (const [id, rowStamp] of stamps) {
      const repo = fresh.get(id) ?? hit?.rows.get(id)?.repo;
      if (repo) rows.set(id, { stamp: rowStamp, repo });
    }
    const repos = Object.freeze([...rows.values()].map((r) => r.repo));
    this.orgCache.delete(key);
    this.orgCache.set(key, { stamp, rows, repos });
    if (this.orgCache.size > CACHED_ORGS) this.orgCache.delete(this.orgCache.keys().next().value!);
    return repos;
  }

  async repoReport(repo: string): Promise<RepoDetail | undefined> {
    const row = this.sql.repoReport.get(repo.toLowerCase());
    if (!row) return undefined;
    return {
      repo: row.full_name,
      private: row.private === 1,
      archived: row.archived === 1,
      description: row.description,
      topics: stringList(row.topics),
      codeownerTeams: stringList(row.codeowner_teams),
      headSha: row.head_sha,
      scannedAt: row.scanned_at,
      report: JSON.parse(row.report) as Report,
    };
  }

  async org(org: string): Promise<OrgRecord | undefined> {
    const row = this.sql.org.get(orgKey(org));
    return row ? toOrgRecord(row) : undefined;
  }

  async orgs(): Promise<OrgRecord[]> {
    return this.sql.orgs.all().map(toOrgRecord);
  }

  async setInstallation(org: string, installationId: number | null): Promise<void> {
    this.sql.setInstallation.run(orgKey(org), org, installationId);
  }

  async setDashboardPublic(org: string, isPublic: boolean, checkedAt: number): Promise<void> {
    this.sql.setPublic.run(orgKey(org), org, isPublic ? 1 : 0, checkedAt);
  }

  async setTeams(org: string, teams: GitHubTeam[] | undefined, fetchedAt: number): Promise<void> {
    this.sql.setTeams.run(orgKey(org), org, teams ? JSON.stringify(teams) : null, fetchedAt);
  }
}

/** Frozen: the same objects are handed to every reader until the data changes. */
function toOrgRepo(row: OrgRepoRow): OrgRepo {
  const repo: OrgRepo = {
    repo: row.full_name,
    private: row.private === 1,
    archived: row.archived === 1,
    description: row.description,
    topics: stringList(row.topics),
    codeownerTeams: stringList(row.codeowner_teams),
    milestones: parseStatuses(row.milestones),
    trend: parseTrend(row.trend),
  };
  if (row.score !== null && row.level !== null && row.tasks !== null && row.head_sha !== null) {
    repo.scan = Object.freeze({
      score: row.score,
      level: row.level,
      tasks: Object.freeze(parseTasks(row.tasks)),
      headSha: row.head_sha,
      scannedAt: row.scanned_at!,
    });
  }
  return Object.freeze(repo);
}

function toOrgRecord(row: OrgRow): OrgRecord {
  const record: OrgRecord = {
    org: row.login,
    settingsCheckedAt: row.settings_checked_at,
    teamsFetchedAt: row.teams_fetched_at,
  };
  if (row.installation_id !== null) record.installationId = row.installation_id;
  if (row.dashboard_public !== null) record.dashboardPublic = row.dashboard_public === 1;
  if (row.teams !== null) record.teams = JSON.parse(row.teams) as GitHubTeam[];
  return record;
}
