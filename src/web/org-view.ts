// The org page as data: the repositories a viewer may see → filtered, sorted, paged rows, the org's trend,
// team rollups and the milestones most repositories lack. Pure (the clock is a parameter): the HTML page and
// the JSON API both render this, so they never disagree.
import type { LevelRule, TaskRule } from "../engine/rules.js";
import { LEVEL_IDS, type LevelId, type Status, TASK_IDS, type TaskId } from "../engine/types.js";
import { type GitHubTeam, type OrgRepo, TREND_WEEKS, type TrendPoint, weekOf } from "../store/dashboard.js";

export const PAGE_SIZE = 100;

export const SORT_KEYS = ["name", "score", "level", "updated", ...TASK_IDS] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export interface OrgFilters {
  level?: LevelId;
  /** repositories with room to grow in this task (it applies and scores below 100) */
  task?: TaskId;
  /** a team slug, from CODEOWNERS or GitHub */
  team?: string;
  topic?: string;
  /** repositories lacking this milestone */
  milestone?: string;
  /** part of the repository name */
  q?: string;
  /** default: the task's score when filtering by task, else the name */
  sort?: SortKey;
  /** default: ascending for names and a task filter's default sort, descending for other sorts */
  dir?: "asc" | "desc";
  page: number;
}

export interface RepoRow {
  repo: string;
  name: string;
  private: boolean;
  archived: boolean;
  description: string | null;
  /** absent until the first scan of the default branch */
  level?: LevelId;
  score?: number;
  tasks: { id: TaskId; score: number | null }[];
  /** one point per week, oldest first, the last known score carried forward to this week */
  trend: TrendPoint[];
  teams: string[];
  topics: string[];
  scannedAt?: number;
  headSha?: string;
  /** milestone id → status in the latest report; empty before the first report */
  milestones: Record<string, Status>;
  /** the milestones of its next level that it lacks */
  missing: string[];
}

export interface TeamRollup {
  slug: string;
  name: string;
  sources: ("codeowners" | "github")[];
  repos: number;
  averageScore: number | null;
  levels: Record<LevelId, number>;
  /** the task with the lowest mean score across the team's repositories */
  weakestTask?: { id: TaskId; averageScore: number };
}

export interface MissingMilestone {
  id: string;
  title: string;
  level: LevelId;
  /** repositories where it applies and fails */
  lacking: number;
  /** of those, the ones for which it is the last milestone missing to reach the next level */
  lastStep: number;
}

export interface OrgView {
  org: string;
  filters: OrgFilters;
  /** over the filtered repositories */
  totals: { repos: number; scanned: number; levels: Record<LevelId, number>; averageScore: number | null };
  /** the filtered repositories' mean score per week (weeks with no data are left out) */
  trend: { week: number; score: number; repos: number }[];
  rows: RepoRow[];
  matched: number;
  page: number;
  pages: number;
  /** every team of the visible repositories, largest first */
  teams: TeamRollup[];
  /** the milestones the filtered repositories lack, most lacked first */
  next: MissingMilestone[];
  /** the values the filters can take among the visible repositories */
  options: { teams: { slug: string; name: string }[]; topics: string[] };
}

export interface OrgViewInput {
  org: string;
  repos: readonly OrgRepo[];
  /** GitHub teams the viewer may see (secret ones already removed) */
  githubTeams: readonly GitHubTeam[];
  tasks: readonly TaskRule[];
  levels: readonly LevelRule[];
  filters: OrgFilters;
  now: number;
}

const LEVEL_RANK: Record<LevelId, number> = { junior: 0, senior: 1, lead: 2 };

export function buildOrgView(input: OrgViewInput): OrgView {
  const { org, filters, levels } = input;
  const currentWeek = weekOf(input.now);
  const teamsOf = teamIndex(org, input.repos, input.githubTeams);
  const all = input.repos.map((r) => toRow(r, teamsOf.get(r.repo.toLowerCase()) ?? [], levels, currentWeek));
  const names = teamsOf.names;

  const matching = all.filter((row) => matches(row, filters));
  matching.sort(comparator(filters));
  const pages = Math.max(1, Math.ceil(matching.length / PAGE_SIZE));
  const page = Math.min(filters.page, pages);

  return {
    org,
    filters: { ...filters, page },
    totals: totals(matching),
    trend: orgTrend(matching, currentWeek),
    rows: matching.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE),
    matched: matching.length,
    page,
    pages,
    teams: teamRollups(all, teamsOf.sources, names),
    next: missingMilestones(matching, levels),
    options: {
      teams: [...names.entries()].map(([slug, name]) => ({ slug, name })).sort((a, b) => a.name.localeCompare(b.name)),
      topics: [...new Set(all.flatMap((r) => r.topics))].sort(),
    },
  };
}

// ─── rows ─────────────────────────────────────────────────────────────────────────────────────────

function toRow(repo: OrgRepo, teams: string[], levels: readonly LevelRule[], currentWeek: number): RepoRow {
  const row: RepoRow = {
    repo: repo.repo,
    name: repo.repo.slice(repo.repo.indexOf("/") + 1),
    private: repo.private,
    archived: repo.archived,
    description: repo.description,
    tasks: TASK_IDS.map((id) => ({ id, score: repo.scan?.tasks[id] ?? null })),
    trend: filledTrend(repo.trend, currentWeek),
    teams,
    topics: repo.topics,
    milestones: repo.milestones,
    missing: [],
  };
  if (repo.scan) {
    row.level = repo.scan.level;
    row.score = repo.scan.score;
    row.scannedAt = repo.scan.scannedAt;
    row.headSha = repo.scan.headSha;
    const next = levels.find((l) => LEVEL_RANK[l.id] === LEVEL_RANK[repo.scan!.level] + 1);
    if (next) row.missing = next.milestones.filter((m) => repo.milestones[m.id] === "fail").map((m) => m.id);
  }
  return row;
}

/** Weekly points from the first known week (at most a year back) to now, each the last known score. */
export function filledTrend(points: readonly TrendPoint[], currentWeek: number): TrendPoint[] {
  if (points.length === 0) return [];
  const first = Math.max(points[0]!.week, currentWeek - TREND_WEEKS + 1);
  const out: TrendPoint[] = [];
  let i = 0;
  let last: number | undefined;
  for (let week = first; week <= currentWeek; week++) {
    while (i < points.length && points[i]!.week <= week) last = points[i++]!.score;
    if (last !== undefined) out.push({ week, score: last });
  }
  return out;
}

function matches(row: RepoRow, f: OrgFilters): boolean {
  if (f.level && row.level !== f.level) return false;
  if (f.task) {
    const score = row.tasks.find((t) => t.id === f.task)!.score;
    if (score === null || score >= 100) return false;
  }
  if (f.team && !row.teams.includes(f.team)) return false;
  if (f.topic && !row.topics.includes(f.topic)) return false;
  if (f.q && !row.name.toLowerCase().includes(f.q.toLowerCase())) return false;
  if (f.milestone && row.milestones[f.milestone] !== "fail") return false;
  return true;
}

/** The sort in effect: a task filter lists the weakest first unless another sort was asked for. */
export function sortOf(f: OrgFilters): { key: SortKey; dir: "asc" | "desc" } {
  const key = f.sort ?? f.task ?? "name";
  const dir = f.dir ?? (key === "name" || (!f.sort && f.task) ? "asc" : "desc");
  return { key, dir };
}

function comparator(f: OrgFilters): (a: RepoRow, b: RepoRow) => number {
  const { key, dir } = sortOf(f);
  const sign = dir === "desc" ? -1 : 1;
  const value = (row: RepoRow): number | string | undefined => {
    switch (key) {
      case "name":
        return row.name.toLowerCase();
      case "score":
        return row.score;
      case "level":
        return row.level === undefined ? undefined : LEVEL_RANK[row.level] * 1000 + (row.score ?? 0);
      case "updated":
        return row.scannedAt;
      default:
        return row.tasks.find((t) => t.id === key)!.score ?? undefined;
    }
  };
  return (a, b) => {
    const x = value(a);
    const y = value(b);
    // rows without a value (not scanned, not applicable) go last in either direction
    if (x === undefined || y === undefined) {
      if (x !== y) return x === undefined ? 1 : -1;
    } else if (x !== y) return (x < y ? -1 : 1) * sign;
    return a.name.toLowerCase() < b.name.toLowerCase() ? -1 : a.name.toLowerCase() > b.name.toLowerCase() ? 1 : 0;
  };
}

// ─── aggregates ───────────────────────────────────────────────────────────────────────────────────

function emptyLevels(): Record<LevelId, number> {
  return Object.fromEntries(LEVEL_IDS.map((l) => [l, 0])) as Record<LevelId, number>;
}

function mean(values: readonly number[]): number | null {
  return values.length === 0 ? null : Math.round(values.reduce((a, b) => a + b, 0) / values.length);
}

function totals(rows: readonly RepoRow[]): OrgView["totals"] {
  const levels = emptyLevels();
  const scores: number[] = [];
  for (const row of rows) {
    if (row.level) levels[row.level]++;
    if (row.score !== undefined) scores.push(row.score);
  }
  return { repos: rows.length, scanned: scores.length, levels, averageScore: mean(scores) };
}

function orgTrend(rows: readonly RepoRow[], currentWeek: number): OrgView["trend"] {
  const first = currentWeek - TREND_WEEKS + 1;
  const sums = new Array<number>(TREND_WEEKS).fill(0);
  const counts = new Array<number>(TREND_WEEKS).fill(0);
  for (const row of rows) {
    for (const p of row.trend) {
      const i = p.week - first;
      if (i < 0 || i >= TREND_WEEKS) continue;
      sums[i]! += p.score;
      counts[i]!++;
    }
  }
  const out: OrgView["trend"] = [];
  for (let i = 0; i < TREND_WEEKS; i++) {
    if (counts[i]! > 0) out.push({ week: first + i, score: Math.round(sums[i]! / counts[i]!), repos: counts[i]! });
  }
  return out;
}

interface TeamIndex extends Map<string, string[]> {
  names: Map<string, string>;
  sources: Map<string, Set<"codeowners" | "github">>;
}

/** Each repository's teams (slugs): CODEOWNERS `@org/slug` owners of this org, and GitHub teams with access. */
function teamIndex(org: string, repos: readonly OrgRepo[], githubTeams: readonly GitHubTeam[]): TeamIndex {
  const index = new Map<string, string[]>() as TeamIndex;
  index.names = new Map();
  index.sources = new Map();
  const visible = new Set(repos.map((r) => r.repo.toLowerCase()));
  const add = (repo: string, slug: string, name: string, source: "codeowners" | "github") => {
    const key = repo.toLowerCase();
    if (!visible.has(key)) return;
    const list = index.get(key) ?? [];
    if (!list.includes(slug)) list.push(slug);
    index.set(key, list);
    if (source === "github" || !index.names.has(slug)) index.names.set(slug, name);
    const sources = index.sources.get(slug) ?? new Set();
    sources.add(source);
    index.sources.set(slug, sources);
  };
  const prefix = `@${org.toLowerCase()}/`;
  for (const repo of repos) {
    for (const owner of repo.codeownerTeams) {
      if (!owner.toLowerCase().startsWith(prefix)) continue;
      const slug = owner.slice(prefix.length).toLowerCase();
      add(repo.repo, slug, slug, "codeowners");
    }
  }
  for (const team of githubTeams) {
    if (team.secret) continue;
    for (const repo of team.repos) add(repo, team.slug.toLowerCase(), team.name, "github");
  }
  for (const list of index.values()) list.sort();
  return index;
}

function teamRollups(
  rows: readonly RepoRow[],
  sources: Map<string, Set<"codeowners" | "github">>,
  names: Map<string, string>,
): TeamRollup[] {
  const byTeam = new Map<string, RepoRow[]>();
  for (const row of rows) for (const team of row.teams) byTeam.set(team, [...(byTeam.get(team) ?? []), row]);
  const out: TeamRollup[] = [];
  for (const [slug, members] of byTeam) {
    const stats = totals(members);
    const rollup: TeamRollup = {
      slug,
      name: names.get(slug) ?? slug,
      sources: [...(sources.get(slug) ?? [])].sort(),
      repos: members.length,
      averageScore: stats.averageScore,
      levels: stats.levels,
    };
    let weakest: TeamRollup["weakestTask"];
    for (const id of TASK_IDS) {
      const scores = members.map((m) => m.tasks.find((t) => t.id === id)!.score).filter((s): s is number => s !== null);
      const average = mean(scores);
      if (average !== null && (!weakest || average < weakest.averageScore)) weakest = { id, averageScore: average };
    }
    if (weakest) rollup.weakestTask = weakest;
    out.push(rollup);
  }
  return out.sort((a, b) => b.repos - a.repos || a.name.localeCompare(b.name));
}

function missingMilestones(rows: readonly RepoRow[], levels: readonly LevelRule[]): MissingMilestone[] {
  const out: MissingMilestone[] = [];
  for (const level of levels) {
    for (const m of level.milestones) {
      let lacking = 0;
      let lastStep = 0;
      for (const row of rows) {
        if (row.archived || row.milestones[m.id] !== "fail") continue;
        lacking++;
        if (row.missing.length === 1 && row.missing[0] === m.id) lastStep++;
      }
      if (lacking > 0) out.push({ id: m.id, title: m.title, level: level.id, lacking, lastStep });
    }
  }
  // most lacked first; between equals, the lower level first (it is the nearer step), then rubric order
  return out
    .map((m, order) => ({ m, order }))
    .sort((a, b) => b.m.lacking - a.m.lacking || LEVEL_RANK[a.m.level] - LEVEL_RANK[b.m.level] || a.order - b.order)
    .map(({ m }) => m);
}
