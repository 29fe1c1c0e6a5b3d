// Infrastructure architecture: IaC, architecture docs and decision records, scalability, environments,
// and Terraform hygiene. Every detector reads facts; none parses a file.
import { posix } from "node:path";
import {
  type DetectContext,
  type Detector,
  dedupeEvidence,
  fail,
  notApplicable,
  pass,
  passIfAny,
} from "../engine/detector.js";
import type { Evidence, Finding } from "../engine/types.js";
import { isRecord } from "../engine/yaml.js";
import type { IacFact, K8sObjectFact, TerraformBlock, TerraformFact } from "../facts/infra.js";

export const architectureDetectors: Record<string, Detector> = {
  "architecture/iac": iacPresent,
  "architecture/architecture-docs": architectureDocs,
  "architecture/decision-records": decisionRecords,
  "architecture/scalability": scalability,
  "architecture/resource-limits": resourceLimits,
  "architecture/environments": environments,
  "architecture/remote-state": remoteState,
  "architecture/pinned-iac-versions": pinnedVersions,
};

// ─── IaC ────────────────────────────────────────────────────────────────────────────────────────────

/** kubeconfig files share the apiVersion/kind shape but describe no infrastructure */
const isClusterObject = (o: K8sObjectFact) => !(o.kind === "Config" && o.apiVersion === "v1");

function iacPresent(ctx: DetectContext): ReturnType<Detector> {
  const evidence: Evidence[] = [];
  const tools = new Set<string>();
  const found = (tool: string, e: Evidence) => {
    tools.add(tool);
    evidence.push(e);
  };
  for (const tf of terraformConfigs(ctx)) {
    const first = [...tf.resources, ...tf.modules].sort((a, b) => a.line - b.line)[0];
    if (first)
      found("Terraform", {
        path: tf.path,
        line: first.line,
        note: `${tf.resources.length} resources, ${tf.modules.length} modules`,
      });
  }
  for (const iac of ctx.facts.all("iac")) {
    const counts =
      iac.tool === "pulumi" ? iac.environment === undefined : iac.tool === "cdk" || iac.resources.length > 0;
    if (counts)
      found(IAC_TOOL_NAMES[iac.tool] ?? iac.tool, {
        path: iac.path,
        line: iac.resources[0]?.line ?? iac.line,
        note: iacNote(iac),
      });
  }
  for (const o of ctx.derived.kubernetes) {
    if (!isClusterObject(o) || o.chart !== undefined) continue; // a chart counts once, as Helm
    const tool = o.apiVersion.includes("crossplane.io") ? "Crossplane" : "Kubernetes";
    found(tool, { path: o.path, line: o.line, note: `${o.kind} ${o.name ?? ""}`.trim() });
  }
  for (const chart of ctx.facts.all("helm")) {
    if (chart.type !== "library") found("Helm", { path: chart.path, line: chart.line, note: `chart ${chart.name}` });
  }
  for (const k of ctx.facts.all("kustomization")) {
    if (k.resources.length + k.bases.length + k.components.length > 0)
      found("Kustomize", { path: k.path, line: k.line });
  }
  if (evidence.length > 0)
    return pass(dedupeEvidence(evidence), `infrastructure as code: ${[...tools].sort().join(", ")}`);
  const nearMiss = ctx.facts
    .all("terraform")
    .map((tf) => ({ path: tf.path, note: tf.tfvars ? "variables only (tfvars)" : "no resources or modules" }));
  return fail(
    "no infrastructure as code: no Terraform resources or modules, Kubernetes manifests, Helm " +
      "chart, Kustomize, Pulumi, CloudFormation/CDK, Bicep/ARM, Nomad job or Ansible playbook " +
      "for your hosts",
    nearMiss.slice(0, 5),
    "no-iac",
  );
}

const IAC_TOOL_NAMES: Partial<Record<IacFact["tool"], string>> = {
  ansible: "Ansible",
  pulumi: "Pulumi",
  cloudformation: "CloudFormation",
  cdk: "CDK",
  bicep: "Bicep",
  arm: "ARM",
  nomad: "Nomad",
};

function iacNote(iac: IacFact): string {
  if (iac.tool === "ansible") {
    const plays = iac.resources.length === 1 ? "1 play" : `${iac.resources.length} plays`;
    return `Ansible: ${plays} on ${iac.resources[0]!.name}`;
  }
  if (iac.resources.length > 0) return `${IAC_TOOL_NAMES[iac.tool] ?? iac.tool}: ${iac.resources.length} resources`;
  return `${IAC_TOOL_NAMES[iac.tool] ?? iac.tool} ${iac.name ?? ""}`.trim();
}

// ─── Documentation ─────────────────────────────────────────────────────────────────────────────────

/** Diagrams as code, and pictures that say what they show. */
const DIAGRAM_SOURCE =
  /\.(drawio|dio|puml|plantuml|iuml|mmd|mermaid|excalidraw|d2)$|\.drawio\.(svg|png)$|(^|\/)workspace\.dsl$/;
const DIAGRAM_PICTURE = /(architecture|diagram|topology)[^/]*\.(png|svg|jpe?g|gif|webp)$/;

function architectureDocs(ctx: DetectContext): ReturnType<Detector> {
  const evidence: Evidence[] = [];
  for (const doc of ctx.facts.all("doc")) {
    for (const topic of doc.topics)
      if (topic.topic === "architecture")
        evidence.push({ path: doc.path, line: topic.line, note: "architecture document" });
  }
  for (const path of ctx.paths) {
    const lower = path.toLowerCase();
    if (DIAGRAM_SOURCE.test(lower) || DIAGRAM_PICTURE.test(lower)) evidence.push({ path, note: "diagram" });
  }
  return passIfAny(
    evidence,
    "no architecture document or diagram (docs/architecture.md, a C4/PlantUML/Mermaid/draw.io diagram)",
    "no-architecture-docs",
  );
}

const ADR_FOLDERS = new Set([
  "adr",
  "adrs",
  "decisions",
  "decision-records",
  "architecture-decisions",
  "architecture-decision-records",
]);
const ADR_FILE = /^(adr[-_]?)?\d{1,5}[-_.][^/]+\.(md|markdown|rst|adoc|txt)$/;

function decisionRecords(ctx: DetectContext): ReturnType<Detector> {
  const evidence: Evidence[] = [];
  for (const doc of ctx.facts.all("doc")) {
    for (const topic of doc.topics)
      if (topic.topic === "adr") evidence.push({ path: doc.path, line: topic.line, note: "decision record" });
  }
  for (const path of ctx.paths) {
    const slash = path.lastIndexOf("/");
    if (slash < 0) continue; // a decision record lives in a folder
    const name = path.slice(slash + 1).toLowerCase();
    if (!ADR_FILE.test(name) || name.includes("template")) continue; // the cheap test first: most paths fail it
    if (
      path
        .slice(0, slash)
        .toLowerCase()
        .split("/")
        .some((p) => ADR_FOLDERS.has(p))
    ) {
      evidence.push({ path, line: 1, note: "decision record" });
    }
  }
  return passIfAny(
    evidence,
    "no architecture decision records (e.g. docs/adr/0001-record-architecture-decisions.md)",
    "no-decision-records",
  );
}

// ─── Scalability ───────────────────────────────────────────────────────────────────────────────────

const REPLICATED_KINDS = new Set(["Deployment", "StatefulSet", "ReplicaSet", "Rollout", "DeploymentConfig"]);

function scalability(ctx: DetectContext): ReturnType<Detector> {
  const evidence: Evidence[] = [];
  for (const o of ctx.derived.kubernetes) {
    const spec = isRecord(o.doc.spec) ? o.doc.spec : {};
    if (o.kind === "HorizontalPodAutoscaler" && o.apiVersion.startsWith("autoscaling/")) {
      if (typeof spec.maxReplicas === "number" && spec.maxReplicas > 1)
        evidence.push({
          path: o.path,
          line: o.line,
          note: `HPA ${o.name ? `${o.name} ` : ""}up to ${spec.maxReplicas} replicas`,
        });
    } else if ((o.kind === "ScaledObject" || o.kind === "ScaledJob") && o.apiVersion.startsWith("keda.sh/")) {
      evidence.push({ path: o.path, line: o.line, note: `KEDA ${o.kind} ${o.name ?? ""}`.trim() });
    } else if (REPLICATED_KINDS.has(o.kind) && (o.replicas ?? 0) > 1) {
      evidence.push({ path: o.path, line: o.line, note: `${o.kind} ${o.name ?? ""} with ${o.replicas} replicas` });
    }
  }
  for (const k of ctx.facts.all("kustomization")) {
    for (const r of k.replicas)
      if (r.count > 1) evidence.push({ path: k.path, line: r.line, note: `${r.name}: ${r.count} replicas` });
  }
  for (const v of ctx.facts.all("helmValues")) {
    for (const a of v.autoscaling)
      if (a.enabled) evidence.push({ path: v.path, line: a.line, note: "Helm autoscaling enabled" });
    for (const r of v.replicas)
      if (r.value > 1) evidence.push({ path: v.path, line: r.line, note: `${r.value} replicas` });
  }
  for (const tf of terraformConfigs(ctx)) {
    for (const r of tf.resources) {
      const note = terraformScaling(r);
      if (note) evidence.push({ path: tf.path, line: r.line, note });
    }
  }
  for (const iac of ctx.facts.all("iac")) {
    for (const r of iac.resources) {
      const note = templateScaling(iac.tool, r);
      if (note) evidence.push({ path: iac.path, line: r.line, note });
    }
  }
  return passIfAny(
    evidence,
    "nothing scales out: no autoscaler (HPA, KEDA, autoscaling group) and no workload with more than one replica",
    "no-scale-out",
  );
}

/** Terraform resources that scale out by nature, or that run more than one instance. */
function terraformScaling(r: TerraformBlock): string | undefined {
  const num = (v: unknown) => (typeof v === "number" ? v : undefined);
  const nested = (key: string) => first(r.attrs[key]);
  switch (r.type) {
    case "aws_appautoscaling_target":
    case "aws_appautoscaling_policy":
    case "aws_autoscaling_policy":
    case "google_compute_autoscaler":
    case "google_compute_region_autoscaler":
    case "azurerm_monitor_autoscale_setting":
    case "kubernetes_horizontal_pod_autoscaler":
    case "kubernetes_horizontal_pod_autoscaler_v2":
      return `${r.type}.${r.name}`;
    case "aws_autoscaling_group": {
      const max = num(r.attrs.max_size);
      return max === undefined || max > 1 ? `${r.type}.${r.name}` : undefined;
    }
    case "aws_eks_node_group": {
      const max = num(nested("scaling_config")?.max_size);
      return max !== undefined && max > 1 ? `${r.type}.${r.name} scales to ${max} nodes` : undefined;
    }
    case "google_container_node_pool":
      return nested("autoscaling") ? `${r.type}.${r.name} autoscaling` : undefined;
    case "aws_ecs_service": {
      const count = num(r.attrs.desired_count);
      return count !== undefined && count > 1 ? `${r.type}.${r.name} runs ${count} tasks` : undefined;
    }
    case "kubernetes_deployment":
    case "kubernetes_deployment_v1": {
      const replicas = num(first(r.attrs.spec)?.replicas);
      return replicas !== undefined && replicas > 1 ? `${r.type}.${r.name} with ${replicas} replicas` : undefined;
    }
    default:
      return undefined;
  }
}

/** hcl2json gives nested blocks as lists of maps */
function first(value: unknown): Record<string, unknown> | undefined {
  const item = Array.isArray(value) ? value[0] : value;
  return isRecord(item) ? item : undefined;
}

function templateScaling(tool: IacFact["tool"], r: IacFact["resources"][number]): string | undefined {
  const attrs = r.attrs ?? {};
  switch (tool) {
    case "cloudformation":
      if (/^AWS::(AutoScaling::AutoScalingGroup|ApplicationAutoScaling::Scal(ableTarget|ingPolicy))$/.test(r.type))
        return `${r.type} ${r.name}`;
      if (r.type === "AWS::ECS::Service" && typeof attrs.DesiredCount === "number" && attrs.DesiredCount > 1)
        return `${r.name} runs ${attrs.DesiredCount} tasks`;
      return undefined;
    case "arm":
    case "bicep":
      return /^Microsoft\.(Insights\/autoscalesettings|Compute\/virtualMachineScaleSets)$/i.test(r.type)
        ? `${r.type} ${r.name}`
        : undefined;
    case "nomad":
      if (r.type !== "group") return undefined;
      if (attrs.scaling === true) return `group ${r.name} scaling policy`;
      return typeof attrs.count === "number" && attrs.count > 1
        ? `group ${r.name} runs ${attrs.count} allocations`
        : undefined;
    default:
      return undefined;
  }
}

/**
 * Workload manifests in effect with containers (never Kustomize patches: a patch is a partial object, merged over
 * a base). Chart templates are left to the chart's own values (resources usually come from them).
 */
export function workloads(ctx: DetectContext): K8sObjectFact[] {
  return ctx.derived.kubernetes.filter((o) => o.chart === undefined && (o.containers ?? []).some((c) => !c.init));
}

function resourceLimits(ctx: DetectContext): ReturnType<Detector> {
  const missing: Evidence[] = [];
  const ok: Evidence[] = [];
  const findings: Finding[] = [];
  for (const o of workloads(ctx)) {
    const bare = (o.containers ?? []).filter((c) => !c.init && !(c.requests && c.limits));
    if (bare.length === 0) ok.push({ path: o.path, line: o.line, note: `${o.kind} ${o.name ?? ""}`.trim() });
    for (const c of bare) {
      const what = `container "${c.name ?? "?"}" of ${o.kind} ${o.name ?? ""}`.trim();
      const lacks =
        !c.requests && !c.limits
          ? "resource requests or limits"
          : !c.requests
            ? "resource requests"
            : "resource limits";
      missing.push({ path: o.path, line: c.line, note: what });
      findings.push({
        path: o.path,
        line: c.line,
        severity: "note",
        rule: "k8s/no-resources",
        message: `${what} has no ${lacks}`,
        remediation:
          "Set `resources.requests` (what the scheduler reserves) and `resources.limits` (the " +
          "ceiling), e.g. requests: {cpu: 100m, memory: 128Mi}, limits: {memory: 256Mi}.",
      });
    }
  }
  if (missing.length > 0) {
    return {
      ...fail(
        `${missing.length} container(s) without both resource requests and limits`,
        dedupeEvidence(missing),
        "container-without-resources",
      ),
      findings,
    };
  }
  return pass(dedupeEvidence(ok), "every workload container declares resource requests and limits");
}

// ─── Environments ──────────────────────────────────────────────────────────────────────────────────

function environments(ctx: DetectContext): ReturnType<Detector> {
  const byEnv = new Map<string, Evidence>();
  const add = (env: string | undefined, e: Evidence) => {
    if (env && !byEnv.has(env)) byEnv.set(env, { ...e, note: `${env}: ${e.note}` });
  };
  for (const k of ctx.facts.all("kustomization"))
    if (k.overlay) add(k.environment, { path: k.path, line: k.line, note: "Kustomize overlay" });
  for (const tf of ctx.facts.all("terraform"))
    if (tf.tfvars) add(tf.environment, { path: tf.path, line: 1, note: "Terraform variables" });
  for (const m of terraformModules(ctx)) {
    const tf = m.root ? m.files.find((f) => f.environment && f.resources.length + f.modules.length > 0) : undefined;
    if (tf)
      add(tf.environment, {
        path: tf.path,
        line: [...tf.resources, ...tf.modules][0]!.line,
        note: "Terraform root module",
      });
  }
  for (const v of ctx.facts.all("helmValues")) add(v.environment, { path: v.path, line: 1, note: "Helm values" });
  for (const iac of ctx.facts.all("iac"))
    add(iac.environment, { path: iac.path, line: iac.line, note: `${IAC_TOOL_NAMES[iac.tool] ?? iac.tool} stack` });
  const evidence = [...byEnv.values()];
  if (byEnv.size >= 2) return pass(evidence, `environments: ${[...byEnv.keys()].sort().join(", ")}`);
  if (byEnv.size === 1)
    return fail(`only one environment is described (${[...byEnv.keys()][0]})`, evidence, "single-environment");
  return fail(
    "no per-environment configuration (overlays, tfvars, values files or stacks per environment)",
    evidence,
    "no-environments",
  );
}

// ─── Terraform hygiene ─────────────────────────────────────────────────────────────────────────────

/** Terraform configuration files (not .tfvars) that parsed. */
export function terraformConfigs(ctx: DetectContext): TerraformFact[] {
  return ctx.facts.all("terraform").filter((f) => !f.tfvars && !f.parseError);
}

interface TerraformModule {
  dir: string;
  files: TerraformFact[];
  /** applied by itself: has resources or module calls, is nobody's child module, and is not an example */
  root: boolean;
}

const NOT_ROOT_FOLDERS = new Set(["modules", "examples", "example", "test", "tests"]);

export function terraformModules(ctx: DetectContext): TerraformModule[] {
  const byDir = new Map<string, TerraformFact[]>();
  for (const f of terraformConfigs(ctx)) byDir.set(f.dir, [...(byDir.get(f.dir) ?? []), f]);
  const children = new Set<string>();
  for (const [dir, files] of byDir) {
    for (const f of files)
      for (const m of f.modules)
        if (m.origin === "local" && m.source) children.add(posix.normalize(posix.join(dir || ".", m.source)));
  }
  return [...byDir].map(([dir, files]) => ({
    dir,
    files,
    root:
      files.some((f) => f.resources.length + f.modules.length > 0) &&
      !children.has(dir || ".") &&
      !dir
        .toLowerCase()
        .split("/")
        .some((p) => NOT_ROOT_FOLDERS.has(p)),
  }));
}

const label = (dir: string) => dir || "the repository root";

function remoteState(ctx: DetectContext): ReturnType<Detector> {
  const roots = terraformModules(ctx).filter((m) => m.root);
  if (roots.length === 0) return notApplicable("no Terraform root module with resources", "no-root-module");
  const remote: Evidence[] = [];
  const local: Evidence[] = [];
  const findings: Finding[] = [];
  for (const m of roots) {
    const withBackend = m.files.find((f) => f.backend);
    if (withBackend?.backend && withBackend.backend.type !== "local") {
      remote.push({
        path: withBackend.path,
        line: withBackend.backend.line,
        note: `${label(m.dir)}: backend ${withBackend.backend.type}`,
      });
    } else if (withBackend?.backend) {
      local.push({ path: withBackend.path, line: withBackend.backend.line, note: `${label(m.dir)}: local backend` });
    } else {
      const f = m.files.find((x) => x.resources.length + x.modules.length > 0)!;
      const line = [...f.resources, ...f.modules][0]!.line;
      local.push({ path: f.path, line, note: `${label(m.dir)}: no backend` });
      findings.push({
        path: f.path,
        line,
        severity: "note",
        rule: "terraform/local-state",
        message: `the root module in ${label(m.dir)} has no backend: its state stays on the disk of whoever runs terraform`,
        remediation:
          'Add a remote backend with locking to the module, e.g. terraform { backend "s3" { bucket = ' +
          '"acme-tfstate", key = "prod/terraform.tfstate", use_lockfile = true } }.',
      });
    }
  }
  if (local.length > 0)
    return {
      ...fail(
        `${local.length} of ${roots.length} Terraform root module(s) keep their state locally`,
        dedupeEvidence(local),
        "local-state",
      ),
      findings,
    };
  return pass(dedupeEvidence(remote), "every Terraform root module keeps its state in a remote backend");
}

function pinnedVersions(ctx: DetectContext): ReturnType<Detector> {
  const pinned: Evidence[] = [];
  const unpinned: Evidence[] = [];
  const findings: Finding[] = [];
  for (const m of terraformModules(ctx)) {
    // a committed lock file pins every provider of the module to an exact version and checksum
    const lockFile = m.dir ? `${m.dir}/.terraform.lock.hcl` : ".terraform.lock.hcl";
    const locked = ctx.hasPath(lockFile);
    if (locked) pinned.push({ path: lockFile, note: "provider lock file" });
    const constrained = new Set<string>();
    for (const f of m.files) {
      for (const p of f.requiredProviders) {
        if (p.version) {
          constrained.add(p.name);
          pinned.push({ path: f.path, line: p.line, note: `provider ${p.name} ${p.version}` });
        } else if (!locked) unpinned.push({ path: f.path, line: p.line, note: `provider ${p.name} without a version` });
      }
      for (const mod of f.modules) {
        if (mod.origin === "local") continue;
        if (mod.pinned) pinned.push({ path: f.path, line: mod.line, note: `module ${mod.name}` });
        else
          unpinned.push({ path: f.path, line: mod.line, note: `module ${mod.name} (${mod.source ?? "?"}) unpinned` });
      }
    }
    if (locked) continue;
    // a provider block with no constraint anywhere in its module: `terraform init` takes the newest release
    for (const f of m.files) {
      for (const p of f.providers) {
        if (
          p.version ||
          constrained.has(p.name) ||
          m.files.some((x) => x.requiredProviders.some((r) => r.name === p.name))
        )
          continue;
        constrained.add(p.name);
        unpinned.push({ path: f.path, line: p.line, note: `provider ${p.name} without a version` });
        findings.push({
          path: f.path,
          line: p.line,
          severity: "warning",
          rule: "terraform/unpinned-provider",
          message: `provider "${p.name}" is configured but no required_providers entry of ${label(m.dir)} constrains its version`,
          remediation:
            `Declare it with a constraint: terraform { required_providers { ${p.name} = { source = ` +
            `"hashicorp/${p.name}", version = "~> 5.0" } } }, and commit .terraform.lock.hcl.`,
        });
      }
    }
  }
  if (unpinned.length > 0)
    return {
      ...fail(
        `${unpinned.length} Terraform provider(s) or module(s) without a version pin`,
        dedupeEvidence(unpinned),
        "unpinned-iac-version",
      ),
      findings,
    };
  if (pinned.length === 0) return notApplicable("no Terraform provider or module to pin", "nothing-to-pin");
  return pass(dedupeEvidence(pinned), "Terraform providers and modules are pinned");
}
