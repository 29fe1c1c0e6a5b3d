// The dashboard's records in PostgreSQL: the same behaviour as src/store/sqlite/dashboard.ts (the dashboard
// contract suite holds both to it), with JSON kept as text so that both read it with src/store/dashboard.ts.
// An org's rows are kept in memory, parsed; each read asks for every repository's stamp (name, visibility,
// badge scan, row version: one light query) and reads again only the rows whose stamp moved, whichever
// instance wrote them. So a page after a webhook reads a row or two, and a visibility change is never missed.
import type pg from "pg";
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
import { transaction } from "./transaction.js";

interface OrgRepoRow {
  full_name: string;
  private: boolean;
  archived: boolean | null;
  description: string | null;
  topics: string | null;
  codeowner_teams: string | null;
  milestones: string | null;
  trend: string | null;
  score: number | null;
  level: LevelId | null;
  tasks: unknown;
  head_sha: string | null;
  scanned_at: number | null;
}

interface OrgRow {
  login: string;
  installation_id: number | null;
  dashboard_public: boolean | null;
  settings_checked_at: number;
  teams: string | null;
  teams_fetched_at: number;
}

type Query = Pick<pg.PoolClient, "query">;

const ORG_COLUMNS = "login, installation_id, dashboard_public, settings_checked_at, teams, teams_fetched_at";

/** orgs kept parsed in memory; an org of 1,000 repositories is about 2 MB */
const CACHED_ORGS = 32;

interface CachedOrg {
  /** repo id → its stamp and row */
  rows: Map<string, { stamp: string; repo: OrgRepo }>;
  repos: readonly OrgRepo[];
}

const ORG_REPO_COLUMNS = `r.id, r.full_name, r.private, d.archived, d.description, d.topics, d.codeowner_teams, d.milestones,
  d.trend, s.score, s.level, s.tasks, s.head_sha, s.scanned_at`;

export class PostgresDashboard implements DashboardRecords {
  private readonly orgCache = new Map<string, CachedOrg>();

  constructor(
    private readonly pool: pg.Pool,
    private readonly now: () => number = Date.now,
  ) {}

  /** The repository's id, its rows created when new (a new repository's visibility comes from here). */
  private async repoRow(db: Query, repo: string, isPrivate: boolean | undefined): Promise<number> {
    const { rows } = await db.query<{ id: number }>(
      `INSERT INTO repos (key, full_name, private) VALUES ($1, $2, $3)
       ON CONFLICT (key) DO UPDATE SET full_name = excluded.full_name RETURNING id`,
      [repo.toLowerCase(), repo, isPrivate !== false],
    );
    const id = rows[0]!.id;
    await db.query("INSERT INTO dashboard_repos (repo_id) VALUES ($1) ON CONFLICT DO NOTHING", [id]);
    return id;
  }

  private async touchOrg(db: Query, repo: string, installationId: number | undefined): Promise<void> {
    const login = repo.slice(0, repo.indexOf("/"));
    await db.query(
      `INSERT INTO dashboard_orgs (key, login, installation_id) VALUES ($1, $2, $3)
       ON CONFLICT (key) DO UPDATE SET login = excluded.login,
         installation_id = coalesce(excluded.installation_id, dashboard_orgs.installation_id)`,
      [orgKey(login), login, installationId ?? null],
    );
  }

  async saveMeta(meta: RepoMetaInput): Promise<void> {
    checkRepoName(meta.repo);
    await transaction(this.pool, async (db) => {
      const id = await this.repoRow(db, meta.repo, meta.private);
      await db.query(
        `UPDATE dashboard_repos SET installation_id = coalesce($1, installation_id), topics = coalesce($2, topics),
           archived = coalesce($3, archived), description = CASE WHEN $4 THEN $5 ELSE description END,
           version = version + 1
         WHERE repo_id = $6`,
        [
          meta.installationId ?? null,
          meta.topics ? JSON.stringify([...meta.topics]) : null,
          meta.archived ?? null,
          meta.description !== undefined,
          meta.description ?? null,
          id,
        ],
      );
      await this.touchOrg(db, meta.repo, meta.installationId);
    });
  }

  async saveReport(input: RepoReportInput): Promise<void> {
    return this.saveReports([input]);
  }

  async saveReports(inputs: readonly RepoReportInput[]): Promise<void> {
    for (const input of inputs) checkRepoName(input.repo);
    const now = this.now();
    await transaction(this.pool, async (db) => {
      for (const input of inputs) await this.writeReport(db, input, input.scannedAt ?? now);
    });
  }

  private async writeReport(db: Query, input: RepoReportInput, scannedAt: number): Promise<void> {
    const id = await this.repoRow(db, input.repo, input.private);
    const { rows } = await db.query<{ scanned_at: number | null; trend: string }>(
      "SELECT scanned_at, trend FROM dashboard_repos WHERE repo_id = $1 FOR UPDATE",
      [id],
    );
    const current = rows[0]!;
    // a late answer about an older commit must not replace a newer report
    if (current.scanned_at !== null && current.scanned_at > scannedAt) return;
    const trend = addToTrend(parseTrend(current.trend), scannedAt, input.report.score);
    await db.query(
      `UPDATE dashboard_repos SET installation_id = coalesce($1, installation_id), codeowner_teams = $2,
         head_sha = $3, scanned_at = $4, milestones = $5, trend = $6, version = version + 1
       WHERE repo_id = $7`,
      [
        input.installationId ?? null,
        JSON.stringify([...input.codeownerTeams]),
        input.headSha,
        scannedAt,
        JSON.stringify(milestoneStatuses(input.report)),
        trendJson(trend),
        id,
      ],
    );
    await db.query(
      `INSERT INTO dashboard_reports (repo_id, report) VALUES ($1, $2)
       ON CONFLICT (repo_id) DO UPDATE SET report = excluded.report`,
      [id, JSON.stringify(input.report)],
    );
    await this.touchOrg(db, input.repo, input.installationId);
  }

  async orgRepos(org: string): Promise<readonly OrgRepo[]> {
    const key = orgKey(org);
    const hit = this.orgCache.get(key);
    // every `org/…` key: no repository name character sorts below "/"'s successor "0" (byte order)
    const { rows: stamps } = await this.pool.query<{ id: string; stamp: string }>(
      `SELECT r.id::text AS id,
              r.full_name || '|' || r.private || '|' || coalesce(r.badge_scan_id::text, '') || '|' || coalesce(d.version::text, '') AS stamp
       FROM repos r LEFT JOIN dashboard_repos d ON d.repo_id = r.id
       WHERE r.key COLLATE "C" > $1 AND r.key COLLATE "C" < $2
       ORDER BY r.key COLLATE "C"`,
      [`${key}/`, `${key}0`],
    );
    const stale = stamps.filter((s) => hit?.rows.get(s.id)?.stamp !== s.stamp).map((s) => s.id);
    if (hit && stale.length === 0 && stamps.length === hit.rows.size) return hit.repos;
    const fresh = new Map<string, OrgRepo>();
    if (stale.length > 0) {
      const { rows } = await this.pool.query<OrgRepoRow & { id: string }>(
        `SELECT ${ORG_REPO_COLUMNS}
         FROM repos r
         LEFT JOIN dashboard_repos d ON d.repo_id = r.id
         LEFT JOIN scans s ON s.id = r.badge_scan_id
         WHERE r.id = ANY($1::bigint[])`,
        [stale],
      );
      for (const row of rows) fresh.set(String(row.id), toOrgRepo(row));
    }
    const rows: CachedOrg["rows"] = new Map();
    for (const { id, stamp } of stamps) {
      const repo = fresh.get(id) ?? hit?.rows.get(id)?.repo;
      // a row that changed again between the two queries keeps the older stamp: it is read again next time
      if (repo) rows.set(id, { stamp, repo });
    }
    const repos = Object.freeze([...rows.values()].map((r) => r.repo));
    this.orgCache.delete(key);
    this.orgCache.set(key, { rows, repos });
    if (this.orgCache.size > CACHED_ORGS) this.orgCache.delete(this.orgCache.keys().next().value!);
    return repos;
  }

  async repoReport(repo: string): Promise<RepoDetail | undefined> {
    const { rows } = await this.pool.query<{
      full_name: string;
      private: boolean;
      archived: boolean;
      description: string | null;
      topics: string;
      codeowner_teams: string;
      head_sha: string;
      scanned_at: number;
      report: string;
    }>(
      `SELECT r.full_name, r.private, d.archived, d.description, d.topics, d.codeowner_teams, d.head_sha,
              d.scanned_at, x.report
       FROM repos r JOIN dashboard_repos d ON d.repo_id = r.id JOIN dashboard_reports x ON x.repo_id = r.id
       WHERE r.key = $1`,
      [repo.toLowerCase()],
    );
    const row = rows[0];
    if (!row) return undefined;
    return {
      repo: row.full_name,
      private: row.private,
      archived: row.archived,
      description: row.description,
      topics: stringList(row.topics),
      codeownerTeams: stringList(row.codeowner_teams),
      headSha: row.head_sha,
      scannedAt: row.scanned_at,
      report: JSON.parse(row.report) as Report,
    };
  }

  async org(org: string): Promise<OrgRecord | undefined> {
    const { rows } = await this.pool.query<OrgRow>(`SELECT ${ORG_COLUMNS} FROM dashboard_orgs WHERE key = $1`, [
      orgKey(org),
    ]);
    return rows[0] ? toOrgRecord(rows[0]) : undefined;
  }

  async orgs(): Promise<OrgRecord[]> {
    const { rows } = await this.pool.query<OrgRow>(
      `SELECT ${ORG_COLUMNS} FROM dashboard_orgs ORDER BY key COLLATE "C"`,
    );
    return rows.map(toOrgRecord);
  }

  async setInstallation(org: string, installationId: number | null): Promise<void> {
    await this.pool.query(
      `INSERT INTO dashboard_orgs (key, login, installation_id) VALUES ($1, $2, $3)
       ON CONFLICT (key) DO UPDATE SET login = excluded.login, installation_id = excluded.installation_id`,
      [orgKey(org), org, installationId],
    );
  }

  async setDashboardPublic(org: string, isPublic: boolean, checkedAt: number): Promise<void> {
    await this.pool.query(
      `INSERT INTO dashboard_orgs (key, login, dashboard_public, settings_checked_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (key) DO UPDATE SET dashboard_public = excluded.dashboard_public,
         settings_checked_at = excluded.settings_checked_at`,
      [orgKey(org), org, isPublic, checkedAt],
    );
  }

  async setTeams(org: string, teams: GitHubTeam[] | undefined, fetchedAt: number): Promise<void> {
    await this.pool.query(
      `INSERT INTO dashboard_orgs (key, login, teams, teams_fetched_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (key) DO UPDATE SET teams = excluded.teams, teams_fetched_at = excluded.teams_fetched_at`,
      [orgKey(org), org, teams ? JSON.stringify(teams) : null, fetchedAt],
    );
  }
}

/** Frozen: the same objects are handed to every reader until the row changes. */
function toOrgRepo(row: OrgRepoRow): OrgRepo {
  const repo: OrgRepo = {
    repo: row.full_name,
    private: row.private,
    archived: row.archived === true,
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
  if (row.dashboard_public !== null) record.dashboardPublic = row.dashboard_public;
  if (row.teams !== null) record.teams = JSON.parse(row.teams) as GitHubTeam[];
  return record;
}
