// Who the progression issue is for. In order: the `assignees` of the repo config; else the CODEOWNERS owners
// of the DevOps files (users are assigned, teams mentioned); else the top contributors by commits, bots
// excluded. Every login is checked as assignable first (GitHub would silently drop the others, or refuse).
// Also: who owns the files each unmet milestone touches, so the checklist can name them.
import { codeownersAnalyzer } from "../analyzers/repo/codeowners.js";
import { decode } from "../engine/decode.js";
import type { Report } from "../engine/report.js";
import type { Snapshot } from "../engine/snapshot.js";
import type { CodeownersRule } from "../facts/repo.js";
import { type RepoRef, repoParams } from "../sources/github-api.js";
import { CODEOWNERS_LOCATIONS, ownershipOf } from "../vocabulary/codeowners.js";

/** The REST calls made here and in progression.ts (Probot's Octokit has this shape). */
export interface RestApi {
  // biome-ignore lint/suspicious/noExplicitAny: the callers read route-specific fields of the answer
  request(route: string, params?: Record<string, unknown>): Promise<{ status: number; data: any }>;
}

export type AssigneeSource = "config" | "codeowners" | "contributors" | "none";

export interface Assignment {
  /** logins, without `@` */
  assignees: string[];
  source: AssigneeSource;
}

export interface AssigneeInput {
  repo: RepoRef;
  /** config `assignees`; `[]` means nobody */
  configured?: readonly string[];
  /** CODEOWNERS owners of the DevOps files, most files first (`@user`, `@org/team`, e-mails) */
  owners: readonly string[];
  /** how many top contributors to assign; default 2 */
  contributors?: number;
}

/** GitHub takes at most 10 assignees; a few people who own the work are better than a crowd. */
const MAX_ASSIGNEES = 5;

export async function chooseAssignees(api: RestApi, input: AssigneeInput): Promise<Assignment> {
  if (input.configured) {
    const ok = await assignable(api, input.repo, input.configured.map(stripAt), MAX_ASSIGNEES);
    if (ok.length > 0 || input.configured.length === 0) return { assignees: ok, source: "config" };
  }
  const users = input.owners.filter(isUser).map(stripAt);
  const owning = await assignable(api, input.repo, users, MAX_ASSIGNEES);
  if (owning.length > 0) return { assignees: owning, source: "codeowners" };
  const top = await assignable(api, input.repo, await topContributors(api, input.repo), input.contributors ?? 2);
  return { assignees: top, source: top.length > 0 ? "contributors" : "none" };
}

/** The first `max` of `logins` GitHub accepts as assignees (204 yes, 404 no). */
async function assignable(api: RestApi, repo: RepoRef, logins: readonly string[], max: number): Promise<string[]> {
  const out: string[] = [];
  for (const login of new Set(logins)) {
    if (out.length >= max) break;
    try {
      await api.request("GET /repos/{owner}/{repo}/assignees/{assignee}", { ...repoParams(repo), assignee: login });
      out.push(login);
    } catch (err) {
      if ((err as { status?: number }).status !== 404) throw err;
    }
  }
  return out;
}

/** Contributors by commits (GitHub's order), people only. */
async function topContributors(api: RestApi, repo: RepoRef): Promise<string[]> {
  const { data } = await api.request("GET /repos/{owner}/{repo}/contributors", { ...repoParams(repo), per_page: 20 });
  if (!Array.isArray(data)) return []; // 204: an empty repository
  return data
    .filter(
      (c: { login?: string; type?: string }) =>
        typeof c.login === "string" && c.type !== "Bot" && !c.login.endsWith("[bot]"),
    )
    .map((c: { login: string }) => c.login);
}

// ─── CODEOWNERS ────────────────────────────────────────────────────────────────────────────────────

/** The CODEOWNERS rules in effect (GitHub reads .github/, then the root, then docs/), read from the scanned commit. */
export async function readCodeowners(snapshot: Snapshot): Promise<CodeownersRule[]> {
  const present = new Set((await snapshot.list()).map((e) => e.path));
  const path = CODEOWNERS_LOCATIONS.find((p) => p !== ".gitlab/CODEOWNERS" && present.has(p));
  if (!path) return [];
  const read = (await snapshot.read([path], 1024 * 1024)).get(path);
  if (!read || "failure" in read) return [];
  const decoded = decode(read.content);
  if ("binary" in decoded) return [];
  const rules: CodeownersRule[] = [];
  await codeownersAnalyzer.analyze(
    { path, name: "CODEOWNERS", text: decoded.text },
    {
      fact: (kind, fact) => {
        if (kind === "codeowners") rules.push(...(fact as { rules: CodeownersRule[] }).rules);
      },
      finding: () => undefined,
    },
  );
  return rules;
}

/** Where each milestone's files usually go: whose they would be while the repository has none yet. */
const USUAL_PATHS: Record<string, string> = {
  deploy_script: "scripts/deploy.sh",
  deploy_docs: "docs/deploy.md",
  alerts: "monitoring/alerts.yml",
  iac: "infra/main.tf",
  log_aggregation: "monitoring/promtail.yml",
  security_hardening: ".github/dependabot.yml",
  auto_rollback: ".github/workflows/deploy.yml",
  db_backups: ".github/workflows/backup.yml",
};

export interface Ownership {
  /** owners of the DevOps files, most files first */
  owners: string[];
  /** owners of the files each unmet milestone of the next level touches */
  byMilestone: Map<string, string[]>;
}

/**
 * The DevOps files are the files the report cites as evidence, outside coordination. A milestone
 * touches the files its signals cite, passing or not; when they cite none, the file it would usually add.
 */
export function ownershipFromReport(report: Report, rules: readonly CodeownersRule[]): Ownership {
  if (rules.length === 0) return { owners: [], byMilestone: new Map() };
  const ownerOf = ownershipOf(rules);
  const own = (paths: Iterable<string>) => rankOwners([...paths].flatMap((p) => ownerOf(p).owners));
  // coordination cites process documents (templates, CONTRIBUTING, CHANGELOG), not DevOps files
  const signals = report.tasks.filter((t) => t.id !== "coordination").flatMap((t) => t.signals);
  const filesOf = (pick: (s: (typeof signals)[number]) => boolean) =>
    new Set(signals.filter(pick).flatMap((s) => s.evidence.map((e) => e.path)));

  const all = filesOf(() => true);
  const owners = own(all.size > 0 ? all : Object.values(USUAL_PATHS));
  const byMilestone = new Map<string, string[]>();
  const due = report.next ? report.milestones.filter((m) => m.level === report.next!.level && m.status === "fail") : [];
  for (const m of due) {
    const ids = new Set(m.signals);
    const touched = filesOf((s) => ids.has(s.id));
    for (const e of m.evidence) touched.add(e.path);
    const found = own(touched.size > 0 ? touched : [USUAL_PATHS[m.id] ?? m.id]);
    if (found.length > 0) byMilestone.set(m.id, found);
  }
  return { owners, byMilestone };
}

/** Owners by how many files they own, then first seen. */
function rankOwners(owners: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const o of owners) counts.set(o, (counts.get(o) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([o]) => o);
}

/** `@org/team`: teams are mentioned, not assigned. */
export const isTeam = (owner: string) => /^@[^/@\s]+\/[^\s]+$/.test(owner);
const isUser = (owner: string) => /^@[A-Za-z0-9-]+$/.test(owner);
const stripAt = (login: string) => login.replace(/^@/, "");
