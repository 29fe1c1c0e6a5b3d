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

/**
 * What a repository's row needs that does not depend on the viewer, computed once per stored row: the store
 * hands out the same frozen objects until its data changes, so most pages derive nothing.
 */
interface Derived {
  repo: OrgRepo;
  name: string;
  lowerName: string;
  /** task scores in TASK_IDS order; null where the task does not apply or the repo is not scanned */
  scores: (number | null)[];
  /** the milestones of its next level that it lacks */
  missing: string[];
  /** CODEOWNERS team slugs of this org */
  codeownerSlugs: string[];
  /** the last known score of each of the TREND_WEEKS weeks up to `week` (NaN before the first), when asked */
  weekly?: { week: number; values: Float64Array };
}

const derivedCache = new WeakMap<OrgRepo, { org: string; levels: readonly LevelRule[]; value: Derived }>();

function derive(org: string, repo: OrgRepo, levels: readonly LevelRule[]): Derived {
  const hit = derivedCache.get(repo);
  if (hit && hit.org === org && hit.levels === levels) return hit.value;
  const name = repo.repo.slice(repo.repo.indexOf("/") + 1);
  const prefix = `@${org.toLowerCase()}/`;
  let missing: string[] = [];
  if (repo.scan) {
    const next = levels.find((l) => LEVEL_RANK[l.id] === LEVEL_RANK[repo.scan!.level] + 1);
    if (next) missing = next.milestones.filter((m) => repo.milestones[m.id] === "fail").map((m) => m.id);
  }
  const value: Derived = {
    repo,
    name,
    lowerName: name.toLowerCase(),
    scores: TASK_IDS.map((id) => repo.scan?.tasks[id] ?? null),
    missing,
    codeownerSlugs: [
      ...new Set(
        repo.codeownerTeams
          .filter((o) => o.toLowerCase().startsWith(prefix))
          .map((o) => o.slice(prefix.length).toLowerCase()),
      ),
    ],
  };
  derivedCache.set(repo, { org, levels, value });
  return value;
}

/** A visible repository on this page view: its derived data and its teams (CODEOWNERS and GitHub). */
interface Item {
  d: Derived;
  teams: string[];
}

export function buildOrgView(input: OrgViewInput): OrgView {
  const { org, filters, levels } = input;
  const currentWeek = weekOf(input.now);
  const github = githubTeamsByRepo(input.githubTeams);
  const names = new Map<string, string>();
  const sources = new Map<string, Set<"codeowners" | "github">>();
  const all: Item[] = input.repos.map((repo) => {
    const d = derive(org, repo, levels);
    const fromGitHub = github.byRepo.get(repo.repo.toLowerCase());
    let teams = d.codeownerSlugs;
    for (const slug of teams) noteTeam(names, sources, slug, slug, "codeowners");
    if (fromGitHub) {
      teams = [...new Set([...teams, ...fromGitHub])];
      for (const slug of fromGitHub) noteTeam(names, sources, slug, github.names.get(slug)!, "github");
    }
    return { d, teams: teams.length > 1 ? [...teams].sort() : teams };
  });

  const matching = all.filter((item) => matches(item, filters));
  matching.sort(comparator(filters));
  const pages = Math.max(1, Math.ceil(matching.length / PAGE_SIZE));
  const page = Math.min(filters.page, pages);
  const rows = matching.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map((item) => toRow(item, currentWeek));

  return {
    org,
    filters: { ...filters, page },
    totals: totals(matching),
    trend: orgTrend(matching, currentWeek),
    rows,
    matched: matching.length,
    page,
    pages,
    teams: teamRollups(all, sources, names),
    next: missingMilestones(matching, levels),
    options: {
      teams: [...names.entries()].map(([slug, name]) => ({ slug, name })).sort((a, b) => a.name.localeCompare(b.name)),
      topics: [...new Set(all.flatMap((item) => item.d.repo.topics))].sort(),
    },
  };
}

// ─── rows ─────────────────────────────────────────────────────────────────────────────────────────

function toRow(item: Item, currentWeek: number): RepoRow {
  const { d } = item;
  const repo = d.repo;
  const row: RepoRow = {
    repo: repo.repo,
    name: d.name,
    private: repo.private,
    archived: repo.archived,
    description: repo.description,
    tasks: TASK_IDS.map((id, i) => ({ id, score: d.scores[i]! })),
    trend: filledTrend(repo.trend, currentWeek),
    teams: item.teams,
    topics: repo.topics,
    milestones: repo.milestones,
    missing: d.missing,
  };
  if (repo.scan) {
    row.level = repo.scan.level;
    row.score = repo.scan.score;
    row.scannedAt = repo.scan.scannedAt;
    row.headSha = repo.scan.headSha;
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

function matches(item: Item, f: OrgFilters): boolean {
  const { d } = item;
  const repo = d.repo;
  if (f.level && repo.scan?.level !== f.level) return false;
  if (f.task) {
    const score = d.scores[TASK_IDS.indexOf(f.task)];
    if (score === null || score === undefined || score >= 100) return false;
  }
  if (f.team && !item.teams.includes(f.team)) return false;
  if (f.topic && !repo.topics.includes(f.topic)) return false;
  if (f.q && !d.lowerName.includes(f.q.toLowerCase())) return false;
  if (f.milestone && repo.milestones[f.milestone] !== "fail") return false;
  return true;
}

/** The sort in effect: a task filter lists the weakest first unless another sort was asked for. */
export function sortOf(f: OrgFilters): { key: SortKey; dir: "asc" | "desc" } {
  const key = f.sort ?? f.task ?? "name";
  const dir = f.dir ?? (key === "name" || (!f.sort && f.task) ? "asc" : "desc");
  return { key, dir };
}

function comparator(f: OrgFilters): (a: Item, b: Item) => number {
  const { key, dir } = sortOf(f);
  const sign = dir === "desc" ? -1 : 1;
  const task = TASK_IDS.indexOf(key as TaskId);
  const value = (item: Item): number | string | undefined => {
    const scan = item.d.repo.scan;
    switch (key) {
      case "name":
        return item.d.lowerName;
      case "score":
        return scan?.score;
      case "level":
        return scan ? LEVEL_RANK[scan.level] * 1000 + scan.score : undefined;
      case "updated":
        return scan?.scannedAt;
      default:
        return item.d.scores[task] ?? undefined;
    }
  };
  return (a, b) => {
    const x = value(a);
    const y = value(b);
    // rows without a value (not scanned, not applicable) go last in either direction
    if (x === undefined || y === undefined) {
      if (x !== y) return x === undefined ? 1 : -1;
    } else if (x !== y) return (x < y ? -1 : 1) * sign;
    return a.d.lowerName < b.d.lowerName ? -1 : a.d.lowerName > b.d.lowerName ? 1 : 0;
  };
}

// ─── aggregates ───────────────────────────────────────────────────────────────────────────────────

function emptyLevels(): Record<LevelId, number> {
  return Object.fromEntries(LEVEL_IDS.map((l) => [l, 0])) as Record<LevelId, number>;
}

function totals(items: readonly Item[]): OrgView["totals"] {
  const levels = emptyLevels();
  let sum = 0;
  let scanned = 0;
  for (const { d } of items) {
    const scan = d.repo.scan;
    if (!scan) continue;
    levels[scan.level]++;
    sum += scan.score;
    scanned++;
  }
  return { repos: items.length, scanned, levels, averageScore: scanned === 0 ? null : Math.round(sum / scanned) };
}

/** A repository's score at the end of each of the last TREND_WEEKS weeks (carried forward), kept per week. */
function weeklyScores(d: Derived, currentWeek: number): Float64Array {
  if (d.weekly?.week === currentWeek) return d.weekly.values;
  const values = new Float64Array(TREND_WEEKS).fill(Number.NaN);
  const first = currentWeek - TREND_WEEKS + 1;
  const points = d.repo.trend;
  let i = 0;
  let last = Number.NaN;
  for (let w = first; w <= currentWeek; w++) {
    while (i < points.length && points[i]!.week <= w) last = points[i++]!.score;
    values[w - first] = last;
  }
  d.weekly = { week: currentWeek, values };
  return values;
}

/** Each week's mean of the repositories' last known scores, over the repositories that had one. */
function orgTrend(items: readonly Item[], currentWeek: number): OrgView["trend"] {
  const sums = new Float64Array(TREND_WEEKS);
  const counts = new Uint32Array(TREND_WEEKS);
  for (const { d } of items) {
    if (d.repo.trend.length === 0) continue;
    const values = weeklyScores(d, currentWeek);
    for (let i = 0; i < TREND_WEEKS; i++) {
      const v = values[i]!;
      if (!Number.isNaN(v)) {
        sums[i]! += v;
        counts[i]!++;
      }
    }
  }
  const first = currentWeek - TREND_WEEKS + 1;
  const out: OrgView["trend"] = [];
  for (let i = 0; i < TREND_WEEKS; i++) {
    if (counts[i]! > 0) out.push({ week: first + i, score: Math.round(sums[i]! / counts[i]!), repos: counts[i]! });
  }
  return out;
}

function noteTeam(
  names: Map<string, string>,
  sources: Map<string, Set<"codeowners" | "github">>,
  slug: string,
  name: string,
  source: "codeowners" | "github",
): void {
  if (source === "github" || !names.has(slug)) names.set(slug, name);
  let set = sources.get(slug);
  if (!set) sources.set(slug, (set = new Set()));
  set.add(source);
}

const githubCache = new WeakMap<readonly GitHubTeam[], { byRepo: Map<string, string[]>; names: Map<string, string> }>();

/** Each repository's GitHub teams (slugs), secret teams left out; computed once per stored list. */
function githubTeamsByRepo(teams: readonly GitHubTeam[]): {
  byRepo: Map<string, string[]>;
  names: Map<string, string>;
} {
  const hit = githubCache.get(teams);
  if (hit) return hit;
  const byRepo = new Map<string, string[]>();
  const names = new Map<string, string>();
  for (const team of teams) {
    if (team.secret) continue;
    const slug = team.slug.toLowerCase();
    names.set(slug, team.name);
    for (const repo of team.repos) {
      const key = repo.toLowerCase();
      const list = byRepo.get(key);
      if (!list) byRepo.set(key, [slug]);
      else if (!list.includes(slug)) list.push(slug);
    }
  }
  const value = { byRepo, names };
  githubCache.set(teams, value);
  return value;
}

function teamRollups(
  items: readonly Item[],
  sources: Map<string, Set<"codeowners" | "github">>,
  names: Map<string, string>,
): TeamRollup[] {
  interface Acc {
    members: Item[];
    sums: number[];
    counts: number[];
  }
  const byTeam = new Map<string, Acc>();
  for (const item of items) {
    for (const team of item.teams) {
      let acc = byTeam.get(team);
      if (!acc) byTeam.set(team, (acc = { members: [], sums: TASK_IDS.map(() => 0), counts: TASK_IDS.map(() => 0) }));
      acc.members.push(item);
      if (!item.d.repo.scan) continue;
      item.d.scores.forEach((score, i) => {
        if (score === null) return;
        acc!.sums[i]! += score;
        acc!.counts[i]!++;
      });
    }
  }
  const out: TeamRollup[] = [];
  for (const [slug, acc] of byTeam) {
    const stats = totals(acc.members);
    const rollup: TeamRollup = {
      slug,
      name: names.get(slug) ?? slug,
      sources: [...(sources.get(slug) ?? [])].sort(),
      repos: acc.members.length,
      averageScore: stats.averageScore,
      levels: stats.levels,
    };
    TASK_IDS.forEach((id, i) => {
      if (acc.counts[i] === 0) return;
      const average = Math.round(acc.sums[i]! / acc.counts[i]!);
      if (!rollup.weakestTask || average < rollup.weakestTask.averageScore)
        rollup.weakestTask = { id, averageScore: average };
    });
    out.push(rollup);
  }
  return out.sort((a, b) => b.repos - a.repos || a.name.localeCompare(b.name));
}

function missingMilestones(items: readonly Item[], levels: readonly LevelRule[]): MissingMilestone[] {
  const out: MissingMilestone[] = [];
  for (const level of levels) {
    for (const m of level.milestones) {
      let lacking = 0;
      let lastStep = 0;
      for (const { d } of items) {
        if (d.repo.archived || d.repo.milestones[m.id] !== "fail") continue;
        lacking++;
        if (d.missing.length === 1 && d.missing[0] === m.id) lastStep++;
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
