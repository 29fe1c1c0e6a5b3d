// GitOps deploys: what a controller in the cluster applies from Git by itself. A Flux Kustomization or HelmRelease
// reconciles on its interval unless it is suspended. An Argo CD Application (or the Applications an ApplicationSet
// generates) syncs by itself only with `syncPolicy.automated`; without it Argo CD shows the drift and waits for
// someone to press Sync, so it is a near miss, not an automated deploy. A Flux source (GitRepository,
// OCIRepository, HelmRepository) only fetches: it is never a deploy on its own.
// Read from the Kubernetes objects in effect (manifests and chart templates) and from Helm values that declare
// Applications and ApplicationSets for the argocd-apps chart.
import { environmentOf } from "../analyzers/infra/common.js";
import type { FactStore } from "../engine/facts.js";
import { asString, isRecord } from "../engine/yaml.js";
import type { GitOpsDeploy } from "../facts/derived.js";
import type { K8sObjectFact } from "../facts/infra.js";
import { isExampleOrTestPath } from "./kubernetes.js";

const FLUX_APPLIERS: Record<string, string> = {
  "kustomize.toolkit.fluxcd.io/Kustomization": "Flux Kustomization",
  "helm.toolkit.fluxcd.io/HelmRelease": "Flux HelmRelease",
};
const FLUX_SOURCES = new Set(["GitRepository", "OCIRepository", "HelmRepository", "Bucket"]);

export function gitopsDeploys(facts: FactStore, kubernetes: readonly K8sObjectFact[]): GitOpsDeploy[] {
  const out: GitOpsDeploy[] = [];
  for (const o of kubernetes) {
    const group = o.apiVersion.split("/")[0]!;
    const spec = isRecord(o.doc.spec) ? o.doc.spec : {};
    const base = { path: o.path, line: o.line, kind: o.kind, ...(o.name ? { name: o.name } : {}) };
    const environment = environmentOfPath(o.path);
    const env = environment ? { environment } : {};
    const label = FLUX_APPLIERS[`${group}/${o.kind}`];
    if (label) {
      const suspended = spec.suspend === true;
      out.push({
        ...base,
        ...env,
        tool: "flux",
        automated: !suspended,
        note: suspended ? `${label} ${o.name ?? ""} is suspended: Flux does not apply it` : fluxNote(label, o, spec),
      });
    } else if (group === "source.toolkit.fluxcd.io" && FLUX_SOURCES.has(o.kind)) {
      out.push({
        ...base,
        ...env,
        tool: "flux",
        automated: false,
        source: true,
        note: `Flux ${o.kind} ${o.name ?? ""}`,
      });
    } else if (group === "argoproj.io" && (o.kind === "Application" || o.kind === "ApplicationSet")) {
      const appSpec = o.kind === "Application" ? spec : templateSpec(spec);
      out.push({ ...base, ...env, tool: "argocd", ...argoSync(`Argo CD ${o.kind} ${o.name ?? ""}`.trim(), appSpec) });
    }
  }
  for (const v of facts.all("helmValues")) {
    if (!v.values || isExampleOrTestPath(v.path)) continue;
    out.push(...valuesApplications(v.path, v.values));
  }
  return out;
}

function fluxNote(label: string, o: K8sObjectFact, spec: Record<string, unknown>): string {
  if (o.kind === "Kustomization") {
    const path = asString(spec.path) ?? "./";
    return `${label} ${o.name ?? ""} applies ${path}${spec.prune === true ? " (prune)" : ""}`;
  }
  const chart = isRecord(spec.chart) && isRecord(spec.chart.spec) ? asString(spec.chart.spec.chart) : undefined;
  const ref = isRecord(spec.chartRef) ? asString(spec.chartRef.name) : undefined;
  return `${label} ${o.name ?? ""} installs ${chart ?? ref ?? "a chart"}`;
}

/** The Application spec an ApplicationSet generates from its template. */
function templateSpec(spec: Record<string, unknown>): Record<string, unknown> {
  const template = isRecord(spec.template) ? spec.template : {};
  return isRecord(template.spec) ? template.spec : {};
}

function argoSync(label: string, appSpec: Record<string, unknown>): Pick<GitOpsDeploy, "automated" | "note"> {
  const sync = isRecord(appSpec.syncPolicy) ? appSpec.syncPolicy : {};
  const automated = isRecord(sync.automated) && sync.automated.enabled !== false;
  if (!automated)
    return { automated: false, note: `${label} syncs only when someone syncs it (no syncPolicy.automated)` };
  const extras = ["prune", "selfHeal"].filter((k) => (sync.automated as Record<string, unknown>)[k] === true);
  return { automated: true, note: `${label} syncs automatically${extras.length > 0 ? ` (${extras.join(", ")})` : ""}` };
}

/**
 * Applications and ApplicationSets declared in Helm values for the argocd-apps chart: `applications:` /
 * `applicationsets:` maps (or lists), at the top or under the chart's key (`argocd-apps:`).
 */
function valuesApplications(path: string, values: Record<string, unknown>): GitOpsDeploy[] {
  const out: GitOpsDeploy[] = [];
  const scopes = [values, ...Object.values(values).filter(isRecord)];
  for (const scope of scopes) {
    for (const [key, kind] of [
      ["applications", "Application"],
      ["applicationsets", "ApplicationSet"],
    ] as const) {
      const declared = scope[key];
      const entries: [string, unknown][] = Array.isArray(declared)
        ? declared.map((d, i) => [asString(isRecord(d) ? d.name : undefined) ?? String(i), d])
        : isRecord(declared)
          ? Object.entries(declared)
          : [];
      for (const [name, entry] of entries) {
        if (!isRecord(entry)) continue;
        const looksLikeApp =
          kind === "Application"
            ? isRecord(entry.source) || Array.isArray(entry.sources)
            : Array.isArray(entry.generators);
        if (!looksLikeApp) continue;
        const appSpec = kind === "Application" ? entry : templateSpec({ template: entry.template });
        const environment = environmentOfPath(path);
        out.push({
          path,
          line: 1,
          kind,
          name,
          tool: "argocd",
          ...(environment ? { environment } : {}),
          ...argoSync(`Argo CD ${kind} ${name} (Helm values)`, appSpec),
        });
      }
    }
  }
  return out;
}

/** Folders that hold one folder per environment: `clusters/production/apps.yaml` deploys to production. */
const ENVIRONMENT_PARENTS = new Set([
  "clusters",
  "cluster",
  "environments",
  "envs",
  "env",
  "apps",
  "overlays",
  "applications",
  "argocd",
]);

export function environmentOfPath(path: string): string | undefined {
  const parts = path.split("/");
  parts.pop();
  for (let i = 1; i < parts.length; i++) {
    if (!ENVIRONMENT_PARENTS.has(parts[i - 1]!.toLowerCase())) continue;
    const env = environmentOf(parts[i]!);
    if (env) return env;
  }
  return undefined;
}
