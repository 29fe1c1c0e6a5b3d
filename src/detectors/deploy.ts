// The deploy task: is there an automated deploy (a script, a Makefile target, an npm script, a platform
// config), is it written down, is it safe shell, does it take an environment, is it one command.

import {
  type DetectContext,
  type Detector,
  dedupeEvidence,
  fail,
  notApplicable,
  pass,
  passIfAny,
} from "../engine/detector.js";
import { dirPrefixOf } from "../engine/paths.js";
import type { Evidence } from "../engine/types.js";
import type { ClassifiedCommand, GitOpsDeploy } from "../facts/derived.js";
import type { CommandFact } from "../facts/index.js";
import { ENVIRONMENT_VARIABLE, environmentInName } from "../vocabulary/environments.js";
import { programOf } from "../vocabulary/programs.js";

const DEPLOY_NAME = /(^|[/_.:-])deploy/i;

const where = (c: CommandFact): string =>
  c.origin === "makefile"
    ? `make ${c.unit}`
    : c.origin === "just"
      ? `just ${c.unit}`
      : c.origin === "terraform"
        ? `local-exec of ${c.unit}`
        : c.origin === "package-json"
          ? `npm script ${c.unit}`
          : c.unit
            ? `function ${c.unit}`
            : "";

const evidenceOf = ({ command, cls }: ClassifiedCommand, note = cls.summary): Evidence => ({
  path: command.path,
  line: command.line,
  note: where(command) ? `${note} (${where(command)})` : note,
});

/** GitOps objects, the cluster's entry points first: a Flux Kustomization of a cluster, then the apps it reaches. */
function gitopsEvidence(deploys: readonly GitOpsDeploy[]): Evidence[] {
  const rank = (g: GitOpsDeploy) =>
    (g.kind === "Kustomization" ? 0 : g.kind === "HelmRelease" ? 2 : 1) * 100 + g.path.split("/").length;
  return [...deploys]
    .sort((a, b) => rank(a) - rank(b) || (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line))
    .map((g) => ({ path: g.path, line: g.line, note: g.note }));
}

/** `.env` templates that each installation of a self-hosted compose stack copies and fills in */
const ENV_TEMPLATE = /^(\.env\.(example|sample|template|dist|tmpl)|example\.env|env\.example|\.env-example)$/i;

/**
 * The settings file of a compose install: a stack the install docs start, or one an install script starts, with a
 * `.env` template beside it that each installation fills in — one deploy, an environment per copy.
 */
function installSettings(ctx: DetectContext): Evidence[] {
  const dirs = new Set(ctx.derived.composeInstalls.map((c) => dirPrefixOf(c.path)));
  for (const d of ctx.derived.deploys)
    if (d.command.origin === "shell" && /^docker compose up/.test(d.cls.summary)) dirs.add(dirPrefixOf(d.command.path));
  return ctx.paths
    .filter((p) => ENV_TEMPLATE.test(p.slice(p.lastIndexOf("/") + 1)) && dirs.has(dirPrefixOf(p)))
    .map((path) => ({ path, line: 1, note: "the install's settings: each installation fills in its own copy" }));
}

export const deployScript: Detector = (ctx) => {
  const found = ctx.derived.deploys;
  const gitops = ctx.derived.gitops.filter((g) => g.automated);
  // a compose or stack file that the install docs start on a server is the deploy of a self-hosted product
  const documented = ctx.derived.composeInstalls.flatMap((c) => [
    { path: c.path, line: c.line, note: c.note },
    { path: c.doc.path, line: c.doc.line, note: "the install steps" },
  ]);
  if (found.length > 0 || gitops.length > 0 || documented.length > 0)
    return pass(dedupeEvidence([...gitopsEvidence(gitops), ...found.map((c) => evidenceOf(c)), ...documented]));
  const waiting = ctx.derived.gitops.filter((g) => !g.automated && !g.source);
  // near misses: files named like deploy scripts that deploy nothing (stubs, echo-only)
  const named = ctx.facts.all("shell").filter((s) => DEPLOY_NAME.test(s.path.slice(s.path.lastIndexOf("/"))));
  return fail(
    "no script, Makefile target or npm script runs a deploy command (kubectl apply, helm " +
      "upgrade, terraform apply, fly deploy …), and no GitOps controller applies the repository " +
      "by itself",
    [
      ...gitopsEvidence(waiting),
      ...named.map((s) => ({
        path: s.path,
        line: 1,
        note: s.parseError ? "could not be parsed" : "named like a deploy script, but runs no deploy command",
      })),
    ],
    "no-deploy-command",
  );
};

const platformConfig: Detector = (ctx) =>
  passIfAny(
    [
      ...ctx.facts.all("platform").map((p) => ({
        path: p.path,
        line: p.line,
        note: [p.platform, p.app, p.environments.length > 0 && `(${p.environments.join(", ")})`]
          .filter(Boolean)
          .join(" "),
      })),
      ...ctx.derived.terragrunt.evidence,
    ],
    "no deploy platform config (fly.toml, app.yaml, Procfile, serverless.yml, vercel.json, " +
      "netlify.toml, Kamal, skaffold, Ansible, Terragrunt …)",
    "no-platform-config",
  );

/** Sections that tell how to deploy; those whose steps run a deploy command first, shallow files before deep ones. */
const deployDocs: Detector = (ctx) => {
  const sections = ctx.facts
    .all("doc")
    .flatMap((d) => d.topics.filter((t) => t.topic === "deploy").map((t) => ({ path: d.path, topic: t })));
  const rank = (x: (typeof sections)[number]) => (x.topic.command ? 0 : 100) + x.path.split("/").length;
  sections.sort((a, b) => rank(a) - rank(b));
  return passIfAny(
    sections.map(({ path, topic }) => ({
      path,
      line: topic.line,
      note: topic.command ? `${topic.heading}: ${topic.command}` : topic.heading,
    })),
    "no document explains how to deploy (a Deployment, Install or Quickstart section whose steps run the deploy)",
    "no-deploy-docs",
  );
};

/** Shell scripts that deploy, roll back, touch infrastructure or databases, or copy to hosts must stop at the first error. */
const strictShell: Detector = (ctx) => {
  const risky = new Set(
    ctx.derived.localCommandClasses.filter((c) => c.command.origin === "shell").map((c) => c.command.path),
  );
  const scripts = ctx.facts.all("shell").filter((s) => risky.has(s.path) && !s.library);
  if (scripts.length === 0)
    return notApplicable(
      "no shell script deploys, rolls back, touches infrastructure or a database, or copies to a host",
      "no-ops-script",
    );
  const loose: Evidence[] = [];
  const strict: Evidence[] = [];
  for (const s of scripts) {
    const posix = s.shell === "sh" || s.shell === "dash" || s.shell === "ash";
    const missing = [
      !s.strict.errexit && "-e",
      !s.strict.nounset && "-u",
      !posix && !s.strict.pipefail && "-o pipefail",
    ].filter(Boolean);
    if (missing.length > 0) loose.push({ path: s.path, line: 1, note: `missing set ${missing.join(" ")}` });
    else strict.push({ path: s.path, line: s.strict.line ?? 1, note: posix ? "set -eu" : "set -euo pipefail" });
  }
  if (loose.length > 0)
    return fail(
      `${loose.length} of ${scripts.length} deploy/ops script(s) keep going after a failed command`,
      loose,
      "script-not-strict",
    );
  return pass(strict, `${scripts.length} deploy/ops script(s) stop at the first error`);
};

/** The deploy takes an environment: a script argument, env-named targets, destinations, stages, per-env files. */
const perEnvironment: Detector = (ctx) => {
  const evidence: Evidence[] = [];
  const deploys = ctx.derived.deploys;
  const deployPaths = new Set(deploys.map((d) => d.command.path));

  for (const s of ctx.facts.all("shell")) {
    if (!deployPaths.has(s.path) || (!s.environmentInput && s.environments.length === 0)) continue;
    const names = s.environments.length > 0 ? s.environments.join(", ") : s.environmentInput!.source;
    evidence.push({
      path: s.path,
      line: s.environmentInput?.line ?? 1,
      note: `the script takes an environment (${names})`,
    });
  }
  for (const p of ctx.facts.all("platform")) {
    if (p.environments.length > 0)
      evidence.push({ path: p.path, line: p.line, note: `${p.platform}: ${p.environments.join(", ")}` });
  }
  for (const d of deploys) {
    const c = d.command;
    if (c.origin !== "shell" && c.unit && environmentInName(c.unit, true)) {
      evidence.push(evidenceOf(d, `${d.cls.summary} for ${environmentInName(c.unit, true)}`));
      continue;
    }
    const { args } = programOf(c.argv);
    // an argument that names an environment (`--stage prod`, `-f values-prod.yaml`, `--var-file=prod.tfvars`), not a flag's name
    const arg = args.find(
      (a) =>
        ((!a.startsWith("-") || a.includes("=")) && environmentInName(a.replace(/^-[^=]*=/, ""), true)) ||
        /\$\{?(?:[A-Za-z0-9]+_)*(?:ENV|ENVIRONMENT|STAGE)\b/.test(a),
    );
    if (arg) evidence.push(evidenceOf(d, `${d.cls.summary} ${arg}`));
  }
  for (const m of ctx.facts.all("makefile")) {
    for (const t of m.targets) {
      if (!deploys.some((d) => d.command.path === m.path && d.command.unit === t.name)) continue;
      const ref = t.recipe.join("\n").match(/\$[({]((?:[A-Za-z0-9]+_)*(?:ENV|ENVIRONMENT|STAGE))[)}]/)?.[1];
      if (ref && ENVIRONMENT_VARIABLE.test(ref))
        evidence.push({ path: m.path, line: t.line, note: `make ${t.name} takes ${ref}=…` });
    }
  }
  for (const j of ctx.facts.all("justfile")) {
    for (const r of j.recipes) {
      if (!deploys.some((d) => d.command.origin === "just" && d.command.path === j.path && d.command.unit === r.name))
        continue;
      const param = r.parameters.map((p) => p.replace(/^[*+$]+|=.*$/g, "")).find((p) => ENVIRONMENT_VARIABLE.test(p));
      if (param) evidence.push({ path: j.path, line: r.line, note: `just ${r.name} takes ${param}` });
    }
  }
  evidence.push(...installSettings(ctx));
  // Terragrunt: one folder of units per environment
  const terragrunt = ctx.derived.terragrunt.byEnvironment;
  if (terragrunt.size >= 2) evidence.push(...terragrunt.values());
  // GitOps: one folder of parameters per environment (`clusters/staging`, `clusters/production`)
  const byEnvironment = new Map<string, GitOpsDeploy>();
  for (const g of ctx.derived.gitops)
    if (g.automated && g.environment && !byEnvironment.has(g.environment)) byEnvironment.set(g.environment, g);
  if (byEnvironment.size >= 2)
    for (const [env, g] of byEnvironment) evidence.push({ path: g.path, line: g.line, note: `${env}: ${g.note}` });
  return passIfAny(
    evidence,
    "the deploy does not take an environment (no env argument, env-named targets, destinations, stages or per-environment GitOps folders)",
    "no-environment-input",
  );
};

/**
 * One documented command deploys: `make deploy`, `just deploy`, `npm run deploy`, `bin/deploy` or
 * `scripts/deploy.sh` that reaches a deploy command.
 */
const entryPoint: Detector = (ctx) => {
  const graph = ctx.derived.deployReach;
  const evidence: Evidence[] = [];
  for (const m of ctx.facts.all("makefile")) {
    for (const t of m.targets) {
      if (/^deploy([-_:/.].*)?$/i.test(t.name) && graph.reaches({ kind: "make", path: m.path, name: t.name })) {
        evidence.push({ path: m.path, line: t.line, note: `make ${t.name}` });
      }
    }
  }
  for (const j of ctx.facts.all("justfile")) {
    for (const r of j.recipes) {
      if (/^deploy([-_:/.].*)?$/i.test(r.name) && graph.reaches({ kind: "just", path: j.path, name: r.name })) {
        evidence.push({ path: j.path, line: r.line, note: `just ${r.name}` });
      }
    }
  }
  for (const p of ctx.facts.all("manifest")) {
    for (const name of Object.keys(p.scripts)) {
      if (/^deploy([-_:].*)?$/i.test(name) && graph.reaches({ kind: "npm", path: p.path, name })) {
        evidence.push({ path: p.path, line: p.scriptLines?.[name] ?? 1, note: `npm run ${name}` });
      }
    }
  }
  for (const s of ctx.facts.all("shell")) {
    const name = s.path.slice(s.path.lastIndexOf("/") + 1);
    if (/^deploy([-_.][\w-]*)?(\.(sh|bash))?$/i.test(name) && graph.reaches({ kind: "script", path: s.path })) {
      evidence.push({ path: s.path, line: 1, note: s.path });
    }
  }
  return passIfAny(
    evidence,
    "no single named deploy command (`make deploy`, `just deploy`, `npm run deploy`, " +
      "`bin/deploy` or `scripts/deploy.sh`) that really deploys",
    "no-deploy-entry-point",
  );
};

export const deployDetectors: Record<string, Detector> = {
  "deploy/deploy-script": deployScript,
  "deploy/platform-config": platformConfig,
  "deploy/deploy-docs": deployDocs,
  "deploy/strict-shell": strictShell,
  "deploy/per-environment": perEnvironment,
  "deploy/one-command-deploy": entryPoint,
};
