// The org page as data: filters, sorting, paging, team rollups, the milestones most lacked, the org's trend.
import { describe, expect, it } from "vitest";
import { defaultRules } from "../../src/engine/index.js";
import type { LevelId, Status } from "../../src/engine/types.js";
import { type GitHubTeam, type OrgRepo, weekOf } from "../../src/store/dashboard.js";
import { buildOrgView, filledTrend, type OrgFilters, PAGE_SIZE } from "../../src/web/org-view.js";

const NOW = Date.UTC(2025, 5, 4);
const WEEK = weekOf(NOW);
const rules = defaultRules();

function repo(name: string, level: LevelId | undefined, score: number, extra: Partial<OrgRepo> = {}): OrgRepo {
  const base: OrgRepo = {
    repo: `acme/${name}`,
    private: false,
    archived: false,
    description: null,
    topics: [],
    codeownerTeams: [],
    milestones: {},
    trend: [],
    ...extra,
  };
  if (level) {
    base.scan = {
      score,
      level,
      tasks: {
        deploy: score,
        cicd: 100,
        monitoring: null,
        docker: 50,
        architecture: 0,
        coordination: 80,
        backups: null,
      },
      headSha: "a".repeat(40),
      scannedAt: NOW,
    };
  }
  return base;
}

const SENIOR_MISSING_ALERTS: Record<string, Status> = { deploy_script: "pass", deploy_docs: "pass", alerts: "fail" };

function view(repos: OrgRepo[], filters: Partial<OrgFilters> = {}, githubTeams: GitHubTeam[] = []) {
  return buildOrgView({
    org: "acme",
    repos,
    githubTeams,
    tasks: rules.tasks,
    levels: rules.levels,
    filters: { page: 1, ...filters },
    now: NOW,
  });
}

describe("rows", () => {
  const repos = [
    repo("zeta", "lead", 90, { topics: ["payments"], codeownerTeams: ["@acme/sre", "@other/x"] }),
    repo("alpha", "junior", 20, { milestones: SENIOR_MISSING_ALERTS }),
    repo("mid", "senior", 60),
    repo("new", undefined, 0),
  ];

  it("lists by name by default; unscanned repositories have no level or score", () => {
    const v = view(repos);
    expect(v.rows.map((r) => r.name)).toEqual(["alpha", "mid", "new", "zeta"]);
    expect(v.rows[2]!.name).toBe("new");
    expect(v.rows[2]!.level).toBeUndefined();
    expect(v.rows[2]!.score).toBeUndefined();
    expect(v.totals).toEqual({ repos: 4, scanned: 3, levels: { junior: 1, senior: 1, lead: 1 }, averageScore: 57 });
  });

  it("sorts by score, level or a task, with rows that have no value last either way", () => {
    expect(view(repos, { sort: "score" }).rows.map((r) => r.name)).toEqual(["zeta", "mid", "alpha", "new"]);
    expect(view(repos, { sort: "score", dir: "asc" }).rows.map((r) => r.name)).toEqual(["alpha", "mid", "zeta", "new"]);
    expect(view(repos, { sort: "level" }).rows.map((r) => r.name)).toEqual(["zeta", "mid", "alpha", "new"]);
    expect(view(repos, { sort: "deploy", dir: "asc" }).rows.map((r) => r.name)).toEqual([
      "alpha",
      "mid",
      "zeta",
      "new",
    ]);
  });

  it("filters by level, team (CODEOWNERS of this org only), topic, name and lacking milestone", () => {
    expect(view(repos, { level: "senior" }).rows.map((r) => r.name)).toEqual(["mid"]);
    expect(view(repos, { team: "sre" }).rows.map((r) => r.name)).toEqual(["zeta"]);
    expect(view(repos, { team: "x" }).rows).toEqual([]);
    expect(view(repos, { topic: "payments" }).rows.map((r) => r.name)).toEqual(["zeta"]);
    expect(view(repos, { q: "AL" }).rows.map((r) => r.name)).toEqual(["alpha"]);
    expect(view(repos, { milestone: "alerts" }).rows.map((r) => r.name)).toEqual(["alpha"]);
  });

  it("a task filter keeps the repositories with room in it, weakest first", () => {
    // deploy scores: zeta 90, alpha 20, mid 60; unscanned and complete ones are out
    const v = view([...repos, repo("done", "lead", 100)], { task: "deploy" });
    expect(v.rows.map((r) => r.name)).toEqual(["alpha", "mid", "zeta"]);
    // a task that does not apply is no room to grow
    expect(view(repos, { task: "monitoring" }).rows).toEqual([]);
  });

  it("pages by PAGE_SIZE and clamps a page past the end", () => {
    const many = Array.from({ length: PAGE_SIZE + 5 }, (_, i) =>
      repo(`r${String(i).padStart(3, "0")}`, "junior", i % 100),
    );
    const first = view(many);
    expect(first.rows).toHaveLength(PAGE_SIZE);
    expect(first.pages).toBe(2);
    const last = view(many, { page: 9 });
    expect(last.page).toBe(2);
    expect(last.rows.map((r) => r.name)).toEqual(["r100", "r101", "r102", "r103", "r104"]);
  });
});

describe("teams", () => {
  it("merges CODEOWNERS teams and GitHub teams by slug, never shows secret ones, and rolls each up", () => {
    const repos = [
      repo("api", "lead", 90, { codeownerTeams: ["@acme/platform"] }),
      repo("web", "junior", 30, { codeownerTeams: ["@ACME/Web"] }),
      repo("db", "senior", 60),
    ];
    const teams: GitHubTeam[] = [
      { slug: "platform", name: "Platform", secret: false, repos: ["acme/db", "acme/hidden"] },
      { slug: "red-team", name: "Red team", secret: true, repos: ["acme/api"] },
    ];
    const v = view(repos, {}, teams);
    expect(v.teams).toEqual([
      {
        slug: "platform",
        name: "Platform",
        sources: ["codeowners", "github"],
        repos: 2,
        averageScore: 75,
        levels: { junior: 0, senior: 1, lead: 1 },
        weakestTask: { id: "architecture", averageScore: 0 },
      },
      {
        slug: "web",
        name: "web",
        sources: ["codeowners"],
        repos: 1,
        averageScore: 30,
        levels: { junior: 1, senior: 0, lead: 0 },
        weakestTask: { id: "architecture", averageScore: 0 },
      },
    ]);
    expect(v.options.teams.map((t) => t.slug)).toEqual(["platform", "web"]);
    expect(v.rows.find((r) => r.name === "api")!.teams).toEqual(["platform"]);
  });
});

describe("what to add next", () => {
  it("ranks the milestones by how many repositories lack them, and counts where it is the last step", () => {
    const repos = [
      repo("a", "junior", 10, { milestones: { deploy_script: "fail", deploy_docs: "fail", alerts: "fail" } }),
      repo("b", "junior", 10, { milestones: { deploy_script: "pass", deploy_docs: "pass", alerts: "fail" } }),
      repo("c", "junior", 10, { milestones: { deploy_script: "pass", deploy_docs: "fail", alerts: "na" } }),
      repo("d", "senior", 50, { milestones: { iac: "fail", db_backups: "na" } }),
      repo("old", "junior", 10, { archived: true, milestones: { alerts: "fail" } }),
    ];
    expect(view(repos).next).toEqual([
      { id: "deploy_docs", title: "Written deploy instructions", level: "senior", lacking: 2, lastStep: 1 },
      { id: "alerts", title: "Alerting", level: "senior", lacking: 2, lastStep: 1 },
      { id: "deploy_script", title: "Automated deployment", level: "senior", lacking: 1, lastStep: 0 },
      { id: "iac", title: "Infrastructure as code", level: "lead", lacking: 1, lastStep: 1 },
    ]);
  });
});

describe("trends", () => {
  it("carries a repository's last score forward to this week, for at most a year", () => {
    expect(filledTrend([], WEEK)).toEqual([]);
    expect(
      filledTrend(
        [
          { week: WEEK - 3, score: 10 },
          { week: WEEK - 1, score: 30 },
        ],
        WEEK,
      ),
    ).toEqual([
      { week: WEEK - 3, score: 10 },
      { week: WEEK - 2, score: 10 },
      { week: WEEK - 1, score: 30 },
      { week: WEEK, score: 30 },
    ]);
    expect(filledTrend([{ week: WEEK - 200, score: 5 }], WEEK)).toHaveLength(53);
  });

  it("averages the repositories that have a score each week", () => {
    const repos = [
      repo("a", "junior", 10, { trend: [{ week: WEEK - 1, score: 10 }] }),
      repo("b", "junior", 30, { trend: [{ week: WEEK, score: 30 }] }),
    ];
    expect(view(repos).trend).toEqual([
      { week: WEEK - 1, score: 10, repos: 1 },
      { week: WEEK, score: 20, repos: 2 },
    ]);
  });
});
