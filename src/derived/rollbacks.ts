// Does a failed deploy undo itself? Evidence is a mechanism that rolls back without a person:
// a deploy tool's own rollback-on-failure (helm --atomic, CodeDeploy, ECS circuit breaker, Swarm, Argo
// Rollouts/Flagger analysis, Flux HelmRelease upgrade remediation), or a rollback that a script or pipeline runs
// only when a step failed.
import { classifyCommand } from "../analyzers/command-class.js";
import type { FactStore } from "../engine/facts.js";
import type { Evidence } from "../engine/types.js";
import { asString, isRecord, parseYaml } from "../engine/yaml.js";
import type { CommandFact, FlowCommand, K8sObjectFact } from "../facts/index.js";
import { programOf } from "../vocabulary/programs.js";
import type { CommandGraph } from "./command-graph.js";

export interface RollbackEvidence {
  /** mechanisms that roll a failed deploy back without a person */
  found: Evidence[];
  /** switched off, or an undo someone must start by hand (a Rollout without analysis) */
  nearMisses: Evidence[];
  /** every command that rolls back (`helm rollback`, a redeploy of the previous version), with what it does */
  commands: { command: CommandFact; summary: string }[];
}

/** Words that name an earlier version when a deploy command redeploys it (`--set image.tag=$PREVIOUS_TAG`). */
const PREVIOUS_VERSION =
  /\b(prev(ious)?|last[_-]?(good|known[_-]?good|stable|release|successful)|old|stable|rollback)[_-]?\w*/i;

export function rollbacks(
  facts: FactStore,
  graph: CommandGraph,
  kubernetes: readonly K8sObjectFact[],
): RollbackEvidence {
  const result: RollbackEvidence = { found: [], nearMisses: [], commands: [] };
  for (const command of graph.commands) {
    const summary = rollbackSummary(command.argv);
    if (summary) result.commands.push({ command, summary });
  }
  toolFlags(graph, result);
  failureHandlers(facts, graph, result);
  ciFailureJobs(graph, result);
  progressiveDelivery(kubernetes, result);
  helmReleaseRemediation(kubernetes, result);
  cloudDeployments(facts, result);
  return result;
}

/** A rollback command: `helm rollback`, `kubectl rollout undo` … or a deploy of the previous version. */
export function rollbackSummary(argv: readonly string[]): string | undefined {
  const cls = classifyCommand(argv);
  if (cls?.kind === "rollback") return cls.summary;
  // a word of a URL names where a release comes from (`…/argo-cd/stable/manifests/install.yaml`), not an earlier version
  if (cls?.kind === "deploy" && argv.slice(1).some((a) => !a.includes("://") && PREVIOUS_VERSION.test(a)))
    return `${cls.summary} of the previous version`;
  return undefined;
}

// ─── deploy tools that roll back by themselves ──────────────────────────────────────────────────────

function toolFlags(graph: CommandGraph, result: RollbackEvidence): void {
  for (const c of graph.commands) {
    if (c.origin === "dockerfile" || c.origin === "k8s") continue;
    const { program, args } = programOf(c.argv);
    const flag = (name: string) => args.find((a) => a === name || a.startsWith(`${name}=`));
    const at = { path: c.path, line: c.line };
    if (program === "helm" && (args.includes("upgrade") || args.includes("install")) && !flag("--dry-run")) {
      const atomic = flag("--atomic") ?? flag("--rollback-on-failure");
      if (atomic && !/=false$/.test(atomic))
        result.found.push({
          ...at,
          note: `helm ${args.includes("upgrade") ? "upgrade" : "install"} ${atomic.replace(/=.*$/, "")}: a failed release rolls back`,
        });
      else if (atomic) result.nearMisses.push({ ...at, note: `${atomic} switches the rollback off` });
    } else if (
      program === "aws" &&
      args.includes("create-deployment") &&
      args.some((a) => /enabled=true/i.test(a)) &&
      flag("--auto-rollback-configuration")
    ) {
      result.found.push({ ...at, note: "aws deploy create-deployment --auto-rollback-configuration" });
    } else if (
      program === "aws" &&
      args.includes("ecs") &&
      args.some((a) => /deploymentCircuitBreaker=\{?[^}]*enable=true[^}]*rollback=true/i.test(a))
    ) {
      result.found.push({ ...at, note: "ECS deployment circuit breaker with rollback" });
    } else if (
      (program === "docker" || program === "podman") &&
      args[0] === "service" &&
      ["update", "create"].includes(args[1] ?? "")
    ) {
      const i = args.indexOf("--update-failure-action");
      if (args.includes("--update-failure-action=rollback") || (i >= 0 && args[i + 1] === "rollback")) {
        result.found.push({ ...at, note: `docker service ${args[1]} --update-failure-action rollback` });
      }
    }
  }
}

// ─── rollbacks run on failure by scripts and pipelines ──────────────────────────────────────────────

function failureHandlers(facts: FactStore, graph: CommandGraph, result: RollbackEvidence): void {
  // without a rollback command or an ERR trap anywhere, no failure branch can roll back: skip the parsing
  if (
    result.commands.length === 0 &&
    !graph.commands.some((c) => c.argv[0] === "trap" && c.argv.slice(2).some((a) => /ERR/.test(a)))
  )
    return;
  const sources: { path: string; origin: CommandFact["origin"]; flow: FlowCommand[] }[] = [];
  // only scripts that can reach a rollback (or trap errors) are read again
  const mayRollBack = (c: CommandFact) => c.argv[0] === "trap" || graph.reach(c).some((r) => rollbackSummary(r.argv));
  for (const s of facts.all("shell")) {
    if (graph.scriptCommands(s.path).some(mayRollBack))
      sources.push({ path: s.path, origin: "shell", flow: graph.scriptFlow(s.path) });
  }
  for (const { pipeline, flow } of graph.ciSteps()) sources.push({ path: pipeline.path, origin: "ci", flow });
  for (const m of facts.all("makefile")) {
    for (const t of m.targets) {
      const flow = graph.commands
        .filter((c) => c.origin === "makefile" && c.path === m.path && c.unit === t.name)
        .map((c) => graph.flowOf(c))
        .filter((f): f is FlowCommand => f !== undefined);
      sources.push({ path: m.path, origin: "makefile", flow });
    }
  }
  for (const j of facts.all("justfile")) {
    for (const r of j.recipes) {
      const flow = graph.commands
        .filter((c) => c.origin === "just" && c.path === j.path && c.unit === r.name)
        .map((c) => graph.flowOf(c))
        .filter((f): f is FlowCommand => f !== undefined);
      if (flow.length > 0) sources.push({ path: j.path, origin: "just", flow });
    }
  }
  for (const p of facts.all("manifest")) {
    const flow = graph.commands
      .filter((c) => c.origin === "package-json" && c.path === p.path)
      .map((c) => graph.flowOf(c))
      .filter((f): f is FlowCommand => f !== undefined);
    sources.push({ path: p.path, origin: "package-json", flow });
  }
  for (const { path, origin, flow } of sources) {
    const functions = new Map<string, FlowCommand[]>();
    for (const f of flow) if (f.fn) (functions.get(f.fn) ?? functions.set(f.fn, []).get(f.fn)!).push(f);
    for (const f of flow) {
      if (!f.onFailure) continue;
      const how = rollsBack(graph, path, origin, f, functions, new Set());
      if (how) result.found.push({ path, line: f.line, note: `on failure: ${how}` });
    }
  }
}

/** What rolling back the command does, following functions of the same script, scripts, make and npm targets. */
function rollsBack(
  graph: CommandGraph,
  path: string,
  origin: CommandFact["origin"],
  f: FlowCommand,
  functions: Map<string, FlowCommand[]>,
  seen: Set<string>,
): string | undefined {
  const direct = rollbackSummary(f.argv);
  if (direct) return direct;
  const name = f.argv[0]!;
  const body = functions.get(name);
  if (body && !seen.has(name)) {
    seen.add(name);
    for (const inner of body) {
      const how = rollsBack(graph, path, origin, inner, functions, seen);
      if (how) return `${name}() runs ${how} (line ${inner.line})`;
    }
    return undefined;
  }
  const pseudo: CommandFact = { path, line: f.line, argv: f.argv, origin };
  for (const reached of graph.reach(pseudo).slice(1)) {
    const how = rollbackSummary(reached.argv);
    if (how) return `${f.argv[0]} runs ${how} (${reached.path}:${reached.line})`;
  }
  return undefined;
}

/** GitHub Actions: a step or a job that runs `if: failure()` and rolls back. */
function ciFailureJobs(graph: CommandGraph, result: RollbackEvidence): void {
  for (const { pipeline, job, step, flow } of graph.ciSteps()) {
    const onFailure = /\bfailure\(\)/.test(step.condition ?? "") || /\bfailure\(\)/.test(job.condition ?? "");
    if (!onFailure) continue;
    for (const f of flow) {
      const pseudo: CommandFact = { path: pipeline.path, line: f.line, argv: f.argv, origin: "ci" };
      const how = graph
        .reach(pseudo)
        .map((c) => rollbackSummary(c.argv))
        .find(Boolean);
      if (how)
        result.found.push({
          path: pipeline.path,
          line: step.line,
          note: `job ${job.id} runs ${how} if the deploy failed`,
        });
    }
  }
}

// ─── progressive delivery controllers ───────────────────────────────────────────────────────────────

function progressiveDelivery(kubernetes: readonly K8sObjectFact[], result: RollbackEvidence): void {
  for (const o of kubernetes) {
    const spec = isRecord(o.doc.spec) ? o.doc.spec : {};
    const at = { path: o.path, line: o.line };
    if (o.apiVersion.startsWith("argoproj.io/") && o.kind === "Rollout") {
      const strategy = isRecord(spec.strategy) ? spec.strategy : {};
      const canary = isRecord(strategy.canary) ? strategy.canary : undefined;
      const blueGreen = isRecord(strategy.blueGreen) ? strategy.blueGreen : undefined;
      const analysed =
        (canary &&
          (isRecord(canary.analysis) ||
            (Array.isArray(canary.steps) && canary.steps.some((s) => isRecord(s) && isRecord(s.analysis))))) ||
        (blueGreen && (isRecord(blueGreen.prePromotionAnalysis) || isRecord(blueGreen.postPromotionAnalysis)));
      if (analysed)
        result.found.push({
          ...at,
          note: `Argo Rollout ${o.name ?? ""}: a failed analysis aborts and returns to the stable version`,
        });
      else if (spec.progressDeadlineAbort === true)
        result.found.push({
          ...at,
          note: `Argo Rollout ${o.name ?? ""}: progressDeadlineAbort returns to the stable version`,
        });
      else
        result.nearMisses.push({
          ...at,
          note: `Argo Rollout ${o.name ?? ""} has no analysis: someone must abort a bad rollout by hand`,
        });
    } else if (o.apiVersion.startsWith("flagger.app/") && o.kind === "Canary") {
      const analysis = isRecord(spec.analysis)
        ? spec.analysis
        : isRecord(spec.canaryAnalysis)
          ? spec.canaryAnalysis
          : undefined;
      if (analysis && spec.skipAnalysis !== true)
        result.found.push({ ...at, note: `Flagger Canary ${o.name ?? ""}: failed checks roll back` });
      else result.nearMisses.push({ ...at, note: `Flagger Canary ${o.name ?? ""} skips its analysis` });
    }
  }
}

// ─── Flux HelmRelease remediation ───────────────────────────────────────────────────────────────────

/**
 * A failed upgrade rolls back when `spec.upgrade.remediation` retries (rollback is the default strategy) or
 * remediates the last failure; `strategy: uninstall`, no retries and `upgrade.strategy.name: RetryOnFailure` do not.
 * Also the defaults a Flux Kustomization patches into every HelmRelease it applies (`spec.patches[].patch`, and
 * those of child Kustomizations it patches in turn).
 */
function helmReleaseRemediation(objects: readonly K8sObjectFact[], result: RollbackEvidence): void {
  const releases = objects.filter(
    (o) => o.apiVersion.startsWith("helm.toolkit.fluxcd.io/") && o.kind === "HelmRelease" && !suspended(o.doc),
  );
  if (releases.length === 0) return;
  for (const o of releases) {
    const spec = isRecord(o.doc.spec) ? o.doc.spec : {};
    const verdict = upgradeRemediation(spec);
    if (verdict === undefined) continue;
    const at = { path: o.path, line: o.line };
    if (verdict.rollsBack) result.found.push({ ...at, note: `Flux HelmRelease ${o.name ?? ""}: ${verdict.note}` });
    else result.nearMisses.push({ ...at, note: `Flux HelmRelease ${o.name ?? ""}: ${verdict.note}` });
  }
  for (const o of objects) {
    if (!o.apiVersion.startsWith("kustomize.toolkit.fluxcd.io/") || o.kind !== "Kustomization" || suspended(o.doc))
      continue;
    const verdict = patchedRemediation(o.doc, 0);
    if (!verdict) continue;
    const at = { path: o.path, line: o.line };
    const note = `Flux Kustomization ${o.name ?? ""} patches every HelmRelease: ${verdict.note}`;
    if (verdict.rollsBack) result.found.push({ ...at, note });
    else result.nearMisses.push({ ...at, note });
  }
}

const suspended = (doc: Record<string, unknown>) => isRecord(doc.spec) && doc.spec.suspend === true;

/** What a HelmRelease spec says of failed upgrades, when it says anything. */
function upgradeRemediation(spec: Record<string, unknown>): { rollsBack: boolean; note: string } | undefined {
  const upgrade = isRecord(spec.upgrade) ? spec.upgrade : undefined;
  if (!upgrade) return undefined;
  const strategy = isRecord(upgrade.strategy) ? asString(upgrade.strategy.name) : undefined;
  const remediation = isRecord(upgrade.remediation) ? upgrade.remediation : undefined;
  if (strategy === "RetryOnFailure")
    return { rollsBack: false, note: "upgrade strategy RetryOnFailure retries without rolling back" };
  if (!remediation) return undefined;
  const how = asString(remediation.strategy) ?? "rollback";
  const retries = typeof remediation.retries === "number" ? remediation.retries : Number(remediation.retries ?? 0);
  const last = remediation.remediateLastFailure === true || remediation.remediateLastFailure === "true";
  if (how !== "rollback")
    return { rollsBack: false, note: `a failed upgrade is remediated by ${how}, not rolled back` };
  if (retries === 0 && !last)
    return { rollsBack: false, note: "upgrade.remediation has no retries: a failed upgrade stays as it is" };
  const parts = [
    strategy ? `strategy ${strategy}` : undefined,
    `retries ${retries < 0 ? "unlimited" : retries}`,
    last ? "remediateLastFailure" : undefined,
  ].filter(Boolean);
  return { rollsBack: true, note: `a failed upgrade rolls back (${parts.join(", ")})` };
}

/** The remediation a Flux Kustomization's `patches` give the HelmReleases (or child Kustomizations) it applies. */
function patchedRemediation(
  doc: Record<string, unknown>,
  depth: number,
): { rollsBack: boolean; note: string } | undefined {
  const spec = isRecord(doc.spec) ? doc.spec : {};
  if (!Array.isArray(spec.patches) || depth > 3) return undefined;
  let found: { rollsBack: boolean; note: string } | undefined;
  for (const p of spec.patches) {
    if (!isRecord(p) || typeof p.patch !== "string") continue;
    const target = isRecord(p.target) ? asString(p.target.kind) : undefined;
    for (const d of parseYaml(p.patch).docs) {
      if (!isRecord(d.value)) continue;
      const kind = asString(d.value.kind) ?? target;
      const verdict =
        kind === "HelmRelease"
          ? upgradeRemediation(isRecord(d.value.spec) ? d.value.spec : {})
          : kind === "Kustomization"
            ? patchedRemediation(d.value, depth + 1)
            : undefined;
      if (verdict && (!found || verdict.rollsBack)) found = verdict;
    }
  }
  return found;
}

// ─── cloud deployment services ──────────────────────────────────────────────────────────────────────

function cloudDeployments(facts: FactStore, result: RollbackEvidence): void {
  for (const tf of facts.all("terraform")) {
    for (const r of tf.resources) {
      const at = { path: tf.path, line: r.line };
      if (r.type === "aws_codedeploy_deployment_group") {
        const auto = blocksOf(r.attrs.auto_rollback_configuration)[0];
        if (auto?.enabled === true)
          result.found.push({
            ...at,
            note:
              `aws_codedeploy_deployment_group.${r.name}: auto_rollback_configuration ` +
              `(${stringsOf(auto.events).join(", ") || "enabled"})`,
          });
        else if (auto)
          result.nearMisses.push({
            ...at,
            note: `aws_codedeploy_deployment_group.${r.name}: auto rollback is not enabled`,
          });
      } else if (r.type === "aws_ecs_service") {
        const breaker = blocksOf(r.attrs.deployment_circuit_breaker)[0];
        if (breaker?.enable === true && breaker.rollback === true)
          result.found.push({ ...at, note: `aws_ecs_service.${r.name}: deployment circuit breaker with rollback` });
        else if (breaker)
          result.nearMisses.push({
            ...at,
            note: `aws_ecs_service.${r.name}: the circuit breaker does not roll back (enable and rollback must both be true)`,
          });
      }
    }
  }
  for (const iac of facts.all("iac")) {
    for (const r of iac.resources) {
      const props = r.attrs ?? {};
      const at = { path: iac.path, line: r.line };
      if (r.type === "AWS::ECS::Service") {
        const config = isRecord(props.DeploymentConfiguration) ? props.DeploymentConfiguration : {};
        const breaker = isRecord(config.DeploymentCircuitBreaker) ? config.DeploymentCircuitBreaker : undefined;
        if (breaker && truthy(breaker.Enable) && truthy(breaker.Rollback))
          result.found.push({ ...at, note: `${r.name}: ECS deployment circuit breaker with rollback` });
      } else if (r.type === "AWS::CodeDeploy::DeploymentGroup") {
        const auto = isRecord(props.AutoRollbackConfiguration) ? props.AutoRollbackConfiguration : undefined;
        if (auto && truthy(auto.Enabled))
          result.found.push({ ...at, note: `${r.name}: CodeDeploy AutoRollbackConfiguration` });
      } else if (r.type === "AWS::Serverless::Function") {
        const preference = isRecord(props.DeploymentPreference) ? props.DeploymentPreference : undefined;
        if (
          preference &&
          preference.Enabled !== false &&
          Array.isArray(preference.Alarms) &&
          preference.Alarms.length > 0
        ) {
          result.found.push({ ...at, note: `${r.name}: SAM DeploymentPreference rolls back on its alarms` });
        }
      }
    }
  }
}

function blocksOf(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter(isRecord) : isRecord(value) ? [value] : [];
}

function stringsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.map(asString).filter((s): s is string => s !== undefined) : [];
}

function truthy(value: unknown): boolean {
  return value === true || value === "true";
}
