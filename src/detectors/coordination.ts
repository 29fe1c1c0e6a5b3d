// Coordination with other teams: who owns what (CODEOWNERS), how changes are proposed (PR and issue
// templates, CONTRIBUTING), and how releases are made and announced (changelog, release tooling).
// Also docTopicEvidence, the shared "the docs really cover X" helper other tasks use.

import {
  type DetectContext,
  type Detector,
  type DetectorResult,
  dedupeEvidence,
  fail,
  notApplicable,
  pass,
  passIfAny,
} from "../engine/detector.js";
import type { Evidence, Finding } from "../engine/types.js";
import type { CodeownersFact, DocTopic } from "../facts/repo.js";
import { CODEOWNERS_LOCATIONS, ownershipOf } from "../vocabulary/codeowners.js";
import { programOf } from "../vocabulary/programs.js";
import { templateKind } from "../vocabulary/templates.js";

export const coordinationDetectors: Record<string, Detector> = {
  "coordination/codeowners": codeowners,
  "coordination/codeowners-devops": codeownersDevops,
  "coordination/pr-template": (ctx) => templates(ctx, "pull-request"),
  "coordination/issue-templates": (ctx) => templates(ctx, "issue"),
  "coordination/contributing": contributing,
  "coordination/changelog": changelog,
  "coordination/release-automation": releaseAutomation,
};

// ─── CODEOWNERS ────────────────────────────────────────────────────────────────────────────────────

/** The CODEOWNERS file in effect: GitHub reads .github/, then the root, then docs/ (GitLab: .gitlab/ last). */
export function effectiveCodeowners(ctx: DetectContext): { fact?: CodeownersFact; path?: string; shadowed: string[] } {
  const present = CODEOWNERS_LOCATIONS.filter((p) => ctx.hasPath(p));
  const [path, ...shadowed] = present;
  const fact = path === undefined ? undefined : ctx.facts.all("codeowners").find((f) => f.path === path);
  return { fact, path, shadowed };
}

function shadowedFindings(active: string, shadowed: string[]): Finding[] {
  return shadowed.map((path) => ({
    path,
    line: 1,
    severity: "warning" as const,
    rule: "codeowners/shadowed",
    message: `GitHub reads ${active} and ignores this file`,
    remediation: `Keep a single CODEOWNERS file: merge this one into ${active} and delete it.`,
  }));
}

function codeowners(ctx: DetectContext): DetectorResult {
  const { fact, path, shadowed } = effectiveCodeowners(ctx);
  if (!path) return fail("no CODEOWNERS file in .github/, the root or docs/", [], "no-codeowners");
  const findings = shadowedFindings(path, shadowed);
  if (!fact) return { ...fail(`${path} could not be read`, [], "unreadable-codeowners"), findings };
  const owned = fact.rules.filter((r) => r.owners.length > 0);
  if (owned.length === 0) {
    return {
      ...fail(
        `${path} assigns no owner: it has only comments, blank lines, un-assignments or invalid lines`,
        [{ path, line: 1 }],
        "no-owner-assigned",
      ),
      findings,
    };
  }
  const teams = new Set(owned.flatMap((r) => r.owners));
  const evidence = owned.slice(0, 5).map((r) => ({ path, line: r.line, note: `${r.pattern} → ${r.owners.join(" ")}` }));
  return { ...pass(evidence, `${path}: ${owned.length} rule(s), ${teams.size} owner(s)`), findings };
}

/** Files whose changes can break delivery: pipelines, container builds, infrastructure, deploy configs. */
function devopsPaths(ctx: DetectContext): string[] {
  const paths = new Set<string>();
  for (const kind of [
    "ci",
    "dockerfile",
    "compose",
    "terraform",
    "iac",
    "k8s",
    "helm",
    "kustomization",
    "platform",
  ] as const) {
    for (const fact of ctx.facts.all(kind)) paths.add(fact.path);
  }
  // by name too, so that the check stands on its own when an analyzer skipped a file
  for (const p of ctx.paths) {
    const name = p.slice(p.lastIndexOf("/") + 1);
    // cheap string tests first: this loop runs over every path of the tree
    if (
      p.startsWith(".github/workflows/")
        ? /^\.github\/workflows\/[^/]+\.ya?ml$/.test(p)
        : name.endsWith(".tf") ||
          ((name.startsWith("Dockerfile") || name.startsWith("Containerfile")) &&
            /^(Dockerfile|Containerfile)([.-][\w.-]+)?$/.test(name))
    ) {
      paths.add(p);
    }
  }
  return [...paths].sort();
}

function codeownersDevops(ctx: DetectContext): DetectorResult {
  const targets = devopsPaths(ctx);
  if (targets.length === 0)
    return notApplicable("no workflows, Dockerfiles or infrastructure files to own", "no-devops-files");
  const { fact, path } = effectiveCodeowners(ctx);
  if (!fact || !path)
    return fail(
      `no CODEOWNERS file owns the ${targets.length} DevOps file(s), e.g. ${targets[0]}`,
      [],
      "no-codeowners",
    );
  const ownerOf = ownershipOf(fact.rules);
  const unowned: Evidence[] = [];
  const owning = new Map<number, { count: number; first: string; owners: string[] }>();
  for (const target of targets) {
    const { rule, owners } = ownerOf(target);
    if (!rule || owners.length === 0) {
      unowned.push({
        path: target,
        note: rule ? `un-assigned by line ${rule.line} of ${path}` : "no CODEOWNERS rule matches",
      });
      continue;
    }
    const entry = owning.get(rule.line);
    if (entry) entry.count++;
    else owning.set(rule.line, { count: 1, first: target, owners });
  }
  if (unowned.length > 0) {
    const sample = unowned
      .slice(0, 3)
      .map((e) => e.path)
      .join(", ");
    return fail(
      `${unowned.length} of ${targets.length} DevOps file(s) have no code owner in ${path}: ${sample}`,
      unowned.slice(0, 10),
      "unowned-devops-files",
    );
  }
  const evidence = [...owning.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([line, o]) => ({
      path,
      line,
      note: `${o.owners.join(" ")} own ${o.first}${o.count > 1 ? ` and ${o.count - 1} more` : ""}`,
    }));
  return pass(dedupeEvidence(evidence), `every DevOps file (${targets.length}) has a code owner in ${path}`);
}

// ─── Templates and contributing ───────────────────────────────────────────────────────────────────

function templates(ctx: DetectContext, kind: "pull-request" | "issue"): DetectorResult {
  const found = ctx.facts.all("template").filter((t) => t.kind === kind);
  const what = kind === "pull-request" ? "pull request template" : "issue template";
  if (found.length > 0)
    return pass(found.map((t) => ({ path: t.path, line: t.line, note: t.form ? "issue form" : `${t.forge} ${what}` })));
  // templates that exist but do not count (empty, or not listable): say which, the findings say why
  const rejected = ctx.paths.filter((p) => /_template/i.test(p) && templateKind(p.toLowerCase())?.kind === kind);
  if (rejected.length > 0)
    return fail(
      `${rejected.join(", ")}: empty or invalid, so no ${what} is offered`,
      rejected.slice(0, 5).map((path) => ({ path, line: 1 })),
      kind === "pull-request" ? "invalid-pr-template" : "invalid-issue-template",
    );
  return fail(
    kind === "pull-request"
      ? "no pull request template (.github/pull_request_template.md)"
      : "no issue template (.github/ISSUE_TEMPLATE/)",
    [],
    kind === "pull-request" ? "no-pr-template" : "no-issue-template",
  );
}

function contributing(ctx: DetectContext): DetectorResult {
  const guides = ctx.facts
    .all("doc")
    .flatMap((d) => d.topics.filter((t) => t.topic === "contributing").map((t) => ({ doc: d, topic: t })));
  if (guides.length === 0) {
    const bare = ctx.paths.find((p) =>
      /^(\.github\/|(docs?|documentation)\/([\w.-]+\/)*)?contributing(\.[a-z]+)?$/i.test(p),
    );
    return fail(
      bare ? `${bare} does not explain setup, tests or how to propose a change` : "no contributing guide",
      bare ? [{ path: bare, line: 1 }] : [],
      bare ? "thin-contributing-guide" : "no-contributing-guide",
    );
  }
  // a CONTRIBUTING file first, since that is what GitHub links from every new issue and PR
  guides.sort((a, b) => Number(!/contributing/i.test(a.doc.path)) - Number(!/contributing/i.test(b.doc.path)));
  const areas = guides[0]!.doc.contributingAreas;
  return pass(
    guides.slice(0, 3).map((g) => ({ path: g.doc.path, line: g.topic.line, note: g.topic.heading })),
    areas?.length ? `the contributing guide covers ${areas.join(", ")}` : undefined,
  );
}

// ─── Release process ──────────────────────────────────────────────────────────────────────────────

function changelog(ctx: DetectContext): DetectorResult {
  const logs = ctx.facts.all("releaseTooling").filter((t) => t.tool === "changelog");
  if (logs.length > 0) return pass(logs.map((t) => ({ path: t.path, line: t.line, note: "version heading" })));
  const bare = ctx.paths.find((p) =>
    /^(\.github\/|(docs?|documentation)\/([\w.-]+\/)*)?(changelog|changes|history)(\.[a-z]+)?$/i.test(p),
  );
  return fail(
    bare ? `${bare} has no version heading yet` : "no CHANGELOG with version headings",
    bare ? [{ path: bare, line: 1 }] : [],
    bare ? "no-version-heading" : "no-changelog",
  );
}

/** GitHub Actions that cut releases or draft their notes */
const RELEASE_ACTIONS: Record<string, string> = {
  "googleapis/release-please-action": "release-please",
  "google-github-actions/release-please-action": "release-please",
  "changesets/action": "changesets",
  "goreleaser/goreleaser-action": "goreleaser",
  "release-drafter/release-drafter": "release-drafter",
  "cycjimmy/semantic-release-action": "semantic-release",
  "codfish/semantic-release-action": "semantic-release",
  "softprops/action-gh-release": "GitHub release",
  "ncipollo/release-action": "GitHub release",
  "getsentry/craft": "craft",
  "getsentry/action-prepare-release": "craft",
};
/** programs that cut releases, as run from CI, scripts or package.json */
const RELEASE_PROGRAMS: Record<string, string> = {
  "semantic-release": "semantic-release",
  goreleaser: "goreleaser",
  "release-please": "release-please",
  changeset: "changesets",
  "standard-version": "standard-version",
  "commit-and-tag-version": "standard-version",
  "release-it": "release-it",
  craft: "craft",
  "@sentry/craft": "craft",
};
const RUNNERS = new Set(["npx", "pnpx", "bunx", "pnpm", "yarn", "npm"]);

export function releaseProgram(argv: readonly string[]): string | undefined {
  let { program, args } = programOf(argv);
  if (RUNNERS.has(program)) {
    const rest = args.filter((a) => !a.startsWith("-") && a !== "exec" && a !== "dlx" && a !== "run");
    program = (rest[0] ?? "").replace(/@[^/]*$/, "");
    args = rest.slice(1);
  }
  const tool = RELEASE_PROGRAMS[program];
  if (program === "goreleaser" && args[0] !== undefined && args[0] !== "release") return undefined; // check, build, healthcheck
  if (program === "changeset" && args[0] !== "version" && args[0] !== "publish") return undefined; // `changeset add` only records one
  if (tool === "craft" && args[0] !== "prepare" && args[0] !== "publish") return undefined; // craft targets, config …
  return tool;
}

/** A reusable workflow that cuts releases: `org/.github/.github/workflows/release-please.yml@v1`, `./.github/workflows/goreleaser.yml`. */
function calledReleaseTool(calls: string): string | undefined {
  const path = calls.split("@")[0]!.toLowerCase();
  const name = path.slice(path.lastIndexOf("/") + 1).replace(/\.ya?ml$/, "");
  const tools = new Set([...Object.values(RELEASE_ACTIONS), ...Object.values(RELEASE_PROGRAMS)]);
  for (const tool of tools) if (tool !== "GitHub release" && name.includes(tool)) return tool;
  return undefined;
}

function releaseAutomation(ctx: DetectContext): DetectorResult {
  const evidence: Evidence[] = [];
  for (const t of ctx.facts.all("releaseTooling")) {
    if (t.tool !== "changelog") evidence.push({ path: t.path, line: t.line, note: `${t.tool} config` });
  }
  for (const ci of ctx.facts.all("ci")) {
    for (const job of ci.jobs) {
      if (job.disabled) continue;
      const called = job.calls === undefined ? undefined : calledReleaseTool(job.calls);
      if (called) evidence.push({ path: ci.path, line: job.line, note: `${called} workflow called by job ${job.id}` });
      for (const step of job.steps) {
        const action = step.uses?.split("@")[0]?.toLowerCase();
        const tool = action === undefined ? undefined : RELEASE_ACTIONS[action];
        if (tool) evidence.push({ path: ci.path, line: step.line, note: `${tool} in job ${job.id}` });
      }
    }
  }
  for (const c of ctx.facts.all("command")) {
    if (!["ci", "package-json", "makefile", "just", "shell"].includes(c.origin)) continue;
    const tool = releaseProgram(c.argv);
    if (tool) evidence.push({ path: c.path, line: c.line, note: `${tool}${c.unit ? ` in ${c.unit}` : ""}` });
  }
  return passIfAny(
    evidence,
    "no release tooling: no release-please, semantic-release, changesets, GoReleaser, release-drafter, standard-version or release-it",
    "no-release-tooling",
  );
}

// ─── Documentation topics (shared) ────────────────────────────────────────────────────────────────

/** Where the docs really cover one of the topics: the heading that establishes it. */
export function docTopicEvidence(ctx: DetectContext, topics: readonly DocTopic[]): Evidence[] {
  const evidence: Evidence[] = [];
  for (const doc of ctx.facts.all("doc")) {
    for (const t of doc.topics) {
      if (topics.includes(t.topic)) evidence.push({ path: doc.path, line: t.line, note: `${t.topic}: ${t.heading}` });
    }
  }
  return evidence;
}
