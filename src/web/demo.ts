// A made-up org for trying the dashboard without installing the app, and for its benchmark and browser tests:
// repositories that grow more mature week by week (with setbacks), a year of default-branch scans, CODEOWNERS
// teams and topics. Reports are built from the real rubric and scored by the engine's own arithmetic, so
// every number on the pages is one the app could show. Deterministic for a given seed.
import type { MilestoneReport, Report, SignalReport, TaskReport } from "../engine/report.js";
import type { Rules } from "../engine/rules.js";
import { milestoneStatus, nextStep, overallScore, reachedLevel, taskScore } from "../engine/score.js";
import type { Status } from "../engine/types.js";
import type { ScanInput, Store, TaskScores } from "../store/store.js";
import type { CreditRowLike, CreditSource } from "./people-view.js";

export interface DemoOptions {
  org: string;
  repos: number;
  /** weeks of history, the newest ending at `now` */
  weeks: number;
  scansPerWeek: number;
  /** every n-th repository is private (0: none) */
  privateEvery: number;
  now: number;
  seed?: number;
  /** the installation the org's repositories belong to; default 1 */
  installationId?: number;
}

export type DemoStores = Pick<Store, "scans" | "dashboard">;

const WORDS = ["payments", "checkout", "search", "catalog", "billing", "identity", "orders", "inventory", "shipping"];
const KINDS = ["api", "web", "worker", "gateway", "service", "jobs", "cli", "sdk", "infra", "docs", "ml", "etl"];
const TEAMS = ["platform", "payments", "data", "web", "mobile", "sre", "security"];
const TOPICS = ["api", "frontend", "backend", "ml", "infra", "payments", "internal", "go", "typescript", "python"];

/** Where each task's evidence usually lives, for believable links. */
const EVIDENCE: Record<string, string[]> = {
  deploy: ["scripts/deploy.sh", "Makefile", "fly.toml", "docs/deploy.md"],
  cicd: [".github/workflows/ci.yml", ".github/workflows/deploy.yml"],
  monitoring: ["monitoring/alerts.yml", "monitoring/prometheus.yml", ".github/dependabot.yml", "SECURITY.md"],
  docker: ["Dockerfile", ".dockerignore", "compose.yaml"],
  architecture: ["infra/main.tf", "infra/k8s/deployment.yaml", "docs/architecture.md"],
  coordination: [".github/CODEOWNERS", ".github/pull_request_template.md", "CONTRIBUTING.md", "CHANGELOG.md"],
  backups: [".github/workflows/backup.yml", "scripts/rollback.sh", "docs/runbook.md"],
};

/** mulberry32: a tiny seeded generator, enough for made-up data. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return (h >>> 0) / 4294967296;
}

export function demoRepoName(i: number): string {
  const name = `${WORDS[i % WORDS.length]}-${KINDS[Math.floor(i / WORDS.length) % KINDS.length]}`;
  const round = Math.floor(i / (WORDS.length * KINDS.length));
  return round === 0 ? name : `${name}-${round + 1}`;
}

/** How hard each signal is for one repository (0–1): the rubric's order of difficulty, a little shuffled. */
export function demoDifficulty(rules: Rules, repo: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const task of rules.tasks) {
    for (const s of task.signals) out.set(s.id, 0.15 + 0.8 * hash(s.id) * (0.7 + 0.3 * hash(repo + s.id)));
  }
  return out;
}

/** A report in which each signal passes when the repository's maturity is past the signal's difficulty. */
export function demoReport(
  rules: Rules,
  repo: string,
  maturity: number,
  difficulty: ReadonlyMap<string, number>,
  notApplicable: ReadonlySet<string>,
  sha: string,
): Report {
  const byId = new Map<string, SignalReport>();
  const tasks: TaskReport[] = rules.tasks.map((task) => {
    const signals = task.signals.map((rule, i) => {
      const status: Status = notApplicable.has(rule.id) ? "na" : maturity > difficulty.get(rule.id)! ? "pass" : "fail";
      const paths = EVIDENCE[task.id] ?? ["README.md"];
      const signal: SignalReport = {
        id: rule.id,
        title: rule.title,
        status,
        weight: rule.weight,
        evidence: status === "pass" ? [{ path: paths[i % paths.length]!, line: 1 + ((i * 7) % 40) }] : [],
        remediation: rule.remediation,
        docs: rule.docs,
      };
      if (status === "na") signal.reason = "does not apply to this repository";
      byId.set(rule.id, signal);
      return signal;
    });
    return { id: task.id, title: task.title, score: taskScore(signals), signals };
  });
  const milestones: MilestoneReport[] = rules.levels.flatMap((level) =>
    level.milestones.map((m) => ({
      id: m.id,
      level: m.level,
      title: m.title,
      description: m.description,
      mode: m.mode,
      signals: m.signals,
      ...milestoneStatus(m, byId),
    })),
  );
  const level = reachedLevel(rules.levels, milestones);
  return {
    schemaVersion: "1.0.0",
    tool: { name: "devops-ladder", version: "demo" },
    target: { kind: "github", root: repo, sha },
    score: overallScore(tasks),
    level,
    tasks,
    milestones,
    next: nextStep(rules.levels, level, milestones, byId),
    findings: [],
    config: { valid: true },
    stats: { files: 0, candidates: 0, read: 0, skipped: 0, durationMs: 0 },
  };
}

/** Made-up people; a few commit from addresses only (no GitHub login). */
const PEOPLE = [
  { login: "ada", name: "Ada Lovelace" },
  { login: "grace", name: "Grace Hopper" },
  { login: "linus", name: "Linus T." },
  { login: "margaret", name: "Margaret Hamilton" },
  { login: "ken", name: "Ken Thompson" },
  { login: "barbara", name: "Barbara Liskov" },
  { login: "dennis", name: "Dennis R." },
  { login: "frances", name: "Frances Allen" },
  { name: "Ops Contractor", email: "ops@contractor.example" },
];

export interface DemoOrg {
  /** `owner/name`, in creation order */
  repos: string[];
  /** who earned what, as the credits part would store it: each signal and milestone that went to passing */
  credits: CreditRowLike[];
}

/** Writes the demo org into the stores: scans for the badges and history, reports for the dashboard. */
export async function seedDemo(stores: DemoStores, rules: Rules, options: DemoOptions): Promise<DemoOrg> {
  const names: string[] = [];
  const credits: CreditRowLike[] = [];
  let pr = 100;
  const rand = random(options.seed ?? 42);
  const installationId = options.installationId ?? 1;
  const weekMs = 7 * 86_400_000;
  const start = options.now - options.weeks * weekMs;
  for (let i = 0; i < options.repos; i++) {
    const repo = `${options.org}/${demoRepoName(i)}`;
    names.push(repo);
    const isPrivate = options.privateEvery > 0 && i % options.privateEvery === 0;
    const stateless = rand() < 0.3;
    const notApplicable = new Set(
      rules.tasks
        .flatMap((t) => t.signals)
        .filter(
          (s) =>
            (stateless && s.task === "backups" && s.id !== "backups/auto-rollback") ||
            (rand() < 0.03 && s.task !== "deploy"),
        )
        .map((s) => s.id),
    );
    const teams = [TEAMS[i % TEAMS.length]!, ...(rand() < 0.3 ? [TEAMS[(i + 3) % TEAMS.length]!] : [])];
    const topics = TOPICS.filter(() => rand() < 0.2);
    await stores.dashboard.saveMeta({
      repo,
      private: isPrivate,
      installationId,
      topics,
      description: `The ${demoRepoName(i).replace(/-/g, " ")} of ${options.org}`,
    });
    const difficulty = demoDifficulty(rules, repo);
    let maturity = 0.05 + rand() * 0.5;
    const growth = rand() * 0.012;
    const scans: ScanInput[] = [];
    const weekly: { at: number; report: Report }[] = [];
    const passing = new Set<string>();
    const total = options.weeks * options.scansPerWeek;
    for (let s = 0; s < total; s++) {
      const at = start + Math.round(((s + 1) * weekMs) / options.scansPerWeek);
      // most weeks add a little; now and then a change takes something away
      maturity = Math.min(1, Math.max(0, maturity + growth / options.scansPerWeek + (rand() < 0.01 ? -0.08 : 0)));
      const sha = Math.floor(rand() * 2 ** 52)
        .toString(16)
        .padStart(13, "0")
        .repeat(4)
        .slice(0, 40);
      const report = demoReport(rules, repo, maturity, difficulty, notApplicable, sha);
      // the first scan is what the repository already had; later ones credit what went to passing
      const change = s === 0 ? undefined : { at: new Date(at).toISOString(), sha, pr: ++pr };
      for (const item of [
        ...report.milestones.map((m) => ({
          kind: "milestone" as const,
          id: m.id,
          level: m.level,
          status: m.status,
          evidence: m.evidence,
        })),
        ...report.tasks.flatMap((t) =>
          t.signals.map((sig) => ({
            kind: "signal" as const,
            id: sig.id,
            task: t.id,
            status: sig.status,
            evidence: sig.evidence,
          })),
        ),
      ]) {
        const key = `${item.kind}:${item.id}`;
        if (item.status !== "pass") {
          passing.delete(key);
          continue;
        }
        if (passing.has(key)) continue;
        passing.add(key);
        if (!change) continue;
        const person = PEOPLE[Math.floor(hash(`${repo}${item.id}${change.pr}`) * PEOPLE.length)]!;
        credits.push({
          repo,
          private: isPrivate,
          personKey: person.login ? `login:${person.login}` : `email:${person.email}`,
          name: person.name,
          ...(person.login ? { login: person.login } : { email: person.email }),
          kind: item.kind,
          item: item.id,
          ...("level" in item ? { level: item.level } : { task: item.task }),
          commit: sha,
          at: change.at,
          pr: change.pr,
          evidence: item.evidence.slice(0, 3),
          backfilled: false,
        });
      }
      const tasks: TaskScores = {};
      for (const t of report.tasks) tasks[t.id] = t.score;
      scans.push({
        repo,
        ref: "main",
        headSha: sha,
        private: isPrivate,
        score: report.score,
        level: report.level,
        tasks,
        defaultBranch: "main",
        scannedAt: at,
      });
      if ((s + 1) % options.scansPerWeek === 0 || s === total - 1) weekly.push({ at, report });
    }
    await stores.scans.recordMany(scans);
    // the app stores a report after every default-branch scan; one a week gives the same trend, and only
    // the newest is kept whole (the others are overwritten: they need only their score and milestones)
    await stores.dashboard.saveReports(
      weekly.map(({ at, report }, w) => ({
        repo,
        private: isPrivate,
        installationId,
        headSha: report.target.sha!,
        scannedAt: at,
        report: w === weekly.length - 1 ? report : { ...report, tasks: [], findings: [] },
        codeownerTeams: teams.map((t) => `@${options.org}/${t}`),
      })),
    );
  }
  await stores.dashboard.setInstallation(options.org, installationId);
  credits.sort((a, b) => a.at.localeCompare(b.at));
  return { repos: names, credits };
}

/** Credits held in memory, answering as the store's credits part does. */
export function memoryCredits(credits: readonly CreditRowLike[]): CreditSource {
  return {
    ofOwner: async (owner) => credits.filter((c) => c.repo.toLowerCase().startsWith(`${owner.toLowerCase()}/`)),
  };
}
