// The dashboard's part of the store: what the org pages show beyond the badge scans. Each repository's
// metadata as the webhooks tell it (visibility, topics, installation), its latest default-branch report
// (for the repo page and the org's milestone counts), the teams its CODEOWNERS names, a weekly score trend
// kept up to date on write (so that the org page reads one row per repository, never a year of scans), and
// per org: its installation, its `dashboard:` setting and its GitHub teams.
// The store never decides who may see what: src/web/access.ts filters every answer by the viewer.
import type { Report } from "../engine/report.js";
import type { LevelId, Status } from "../engine/types.js";
import type { TaskScores } from "./store.js";

export interface RepoMetaInput {
  /** `owner/name`, as GitHub spells it */
  repo: string;
  private: boolean;
  installationId?: number;
  topics?: readonly string[];
  archived?: boolean;
  description?: string | null;
}

export interface RepoReportInput {
  repo: string;
  /** undefined when not known: a repository seen first here is then recorded as private */
  private?: boolean;
  installationId?: number;
  headSha: string;
  /** ms since the epoch; defaults to now */
  scannedAt?: number;
  report: Report;
  /** `@org/team` owners named in the CODEOWNERS in effect */
  codeownerTeams: readonly string[];
}

/** The score at the end of a week: `week` counts weeks since 1970-01-05 (a Monday), UTC. */
export interface TrendPoint {
  week: number;
  score: number;
}

/** One repository as the org page lists it. */
export interface OrgRepo {
  repo: string;
  private: boolean;
  archived: boolean;
  description: string | null;
  topics: string[];
  codeownerTeams: string[];
  /** from the badge scan (the newest default-branch scan); absent when the repo has not been scanned yet */
  scan?: { score: number; level: LevelId; tasks: TaskScores; headSha: string; scannedAt: number };
  /** milestone id → status, from the latest stored report; empty until a report is stored */
  milestones: Record<string, Status>;
  /** oldest first, at most TREND_WEEKS points */
  trend: TrendPoint[];
}

/** One repository's latest report, for its page. */
export interface RepoDetail {
  repo: string;
  private: boolean;
  archived: boolean;
  description: string | null;
  topics: string[];
  codeownerTeams: string[];
  headSha: string;
  scannedAt: number;
  report: Report;
}

export interface GitHubTeam {
  slug: string;
  name: string;
  /** GitHub's `secret` privacy: never shown on the dashboard */
  secret: boolean;
  /** `owner/name` of the repositories the team has access to (the ones the installation can see) */
  repos: string[];
}

export interface OrgRecord {
  /** the login as GitHub spells it */
  org: string;
  installationId?: number;
  /** the org config's `dashboard: public`; undefined when never read */
  dashboardPublic?: boolean;
  /** when `dashboardPublic` was read (ms); 0 when never */
  settingsCheckedAt: number;
  /** undefined when never fetched or GitHub refused (no members permission) */
  teams?: GitHubTeam[];
  /** when teams were last fetched or refused (ms); 0 when never */
  teamsFetchedAt: number;
}

export interface DashboardRecords {
  /** records what a webhook said about a repository (creates its row when new) */
  saveMeta(meta: RepoMetaInput): Promise<void>;
  /** records a default-branch report: the repo page's report, milestones, CODEOWNERS teams, the trend */
  saveReport(input: RepoReportInput): Promise<void>;
  /** records many reports in order, in one transaction (an import, a backfill): all of them or none */
  saveReports(inputs: readonly RepoReportInput[]): Promise<void>;
  /** every repository of an org (private ones too: the caller filters), in name order; read-only (shared) */
  orgRepos(org: string): Promise<readonly OrgRepo[]>;
  /** a repository's latest stored report, or undefined */
  repoReport(repo: string): Promise<RepoDetail | undefined>;
  org(org: string): Promise<OrgRecord | undefined>;
  /** every org with an installation or a repository */
  orgs(): Promise<OrgRecord[]>;
  /** the app was installed on (a number) or removed from (null) an org */
  setInstallation(org: string, installationId: number | null): Promise<void>;
  setDashboardPublic(org: string, isPublic: boolean, checkedAt: number): Promise<void>;
  /** `teams` undefined: GitHub refused them; they are asked again after the cache time */
  setTeams(org: string, teams: GitHubTeam[] | undefined, fetchedAt: number): Promise<void>;
}

export const WEEK_MS = 7 * 86_400_000;
/** 1970-01-01 was a Thursday: weeks start on Mondays from 1970-01-05. */
const MONDAY_OFFSET_MS = 4 * 86_400_000;
/** a year and a week: a year's trend always has its first week */
export const TREND_WEEKS = 53;

export function weekOf(ms: number): number {
  return Math.floor((ms - MONDAY_OFFSET_MS) / WEEK_MS);
}

export function weekStart(week: number): number {
  return week * WEEK_MS + MONDAY_OFFSET_MS;
}

/** The trend with `score` as the newest value of its week, trimmed to the TREND_WEEKS before the newest. */
export function addToTrend(trend: readonly TrendPoint[], at: number, score: number): TrendPoint[] {
  const week = weekOf(at);
  // the caller stores only scans newer than the stored one, so the newest value of a week is the last written
  const out = trend.filter((p) => p.week !== week);
  out.push({ week, score });
  out.sort((a, b) => a.week - b.week);
  const newest = out[out.length - 1]!.week;
  return out.filter((p) => p.week > newest - TREND_WEEKS);
}

/** The org of `owner/name`, lower-cased: the key the store groups repositories by. */
export function orgKey(repoOrOrg: string): string {
  const slash = repoOrOrg.indexOf("/");
  return (slash === -1 ? repoOrOrg : repoOrOrg.slice(0, slash)).toLowerCase();
}

export function milestoneStatuses(report: Report): Record<string, Status> {
  const out: Record<string, Status> = {};
  for (const m of report.milestones) out[m.id] = m.status;
  return out;
}

/** Trend JSON as stored: `[[week, score], …]`; anything else reads as no trend. */
export function parseTrend(text: string | null | undefined): TrendPoint[] {
  if (!text) return [];
  const value: unknown = JSON.parse(text);
  if (!Array.isArray(value)) return [];
  return value
    .filter((p): p is [number, number] => Array.isArray(p) && typeof p[0] === "number" && typeof p[1] === "number")
    .map(([week, score]) => ({ week, score }))
    .sort((a, b) => a.week - b.week);
}

export function trendJson(trend: readonly TrendPoint[]): string {
  return JSON.stringify(trend.map((p) => [p.week, p.score]));
}

export function stringList(text: string | null | undefined): string[] {
  if (!text) return [];
  const value: unknown = JSON.parse(text);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

const STATUSES = new Set<string>(["pass", "fail", "na"]);

/** Milestone statuses JSON as stored: `{"iac": "pass", …}`; unknown statuses are dropped. */
export function parseStatuses(text: string | null | undefined): Record<string, Status> {
  const out: Record<string, Status> = {};
  if (!text) return out;
  const value: unknown = JSON.parse(text);
  if (value && typeof value === "object" && !Array.isArray(value)) {
    for (const [id, status] of Object.entries(value)) if (STATUSES.has(status as string)) out[id] = status as Status;
  }
  return out;
}
