// The Kubernetes objects in effect: plain manifests and the objects Helm chart templates render with the chart's
// default values. Left out: Kustomize patches (partial objects), manifests a Kustomize/Flux tree does not apply
// (commented out of an overlay), examples, tests and archives, templates whose `if` the values switch off.
// Detectors read these (ctx.derived.kubernetes) rather than the raw k8s facts.
import { evaluateExpression, gateHolds, isPlaceholder, UNKNOWN } from "../analyzers/infra/go-template.js";
import { containersOf, isWorkloadKind, podSpecOf } from "../analyzers/infra/k8s-workloads.js";
import type { FactStore } from "../engine/facts.js";
import { asString, isRecord } from "../engine/yaml.js";
import type { HelmTemplateFact, K8sObjectFact } from "../facts/infra.js";
import { leftOutManifests } from "./kustomize-tree.js";

/** Folders whose manifests show how something could be set up, not what this repository runs. */
const NOT_IN_EFFECT = new Set([
  "example",
  "examples",
  "sample",
  "samples",
  "test",
  "tests",
  "e2e",
  "__tests__",
  "archive",
  ".archive",
  "archived",
  "deprecated",
  "unused",
  "disabled",
  "docs",
  "doc",
  // optional add-ons a person applies by hand (`extras/prometheus/`), community contributions
  "extras",
  "contrib",
]);
/** Folders that hold one subfolder per environment: `clusters/test` is a test cluster, not a test. */
const ENVIRONMENT_PARENTS = new Set(["clusters", "cluster", "overlays", "environments", "envs", "env", "stages"]);

/** A path in an example, test, docs or archive folder (`charts/x/test/`, `examples/`, `.archive/`). */
export function isExampleOrTestPath(path: string): boolean {
  const parts = path.toLowerCase().split("/");
  parts.pop();
  return parts.some((p, i) => NOT_IN_EFFECT.has(p) && !(i > 0 && ENVIRONMENT_PARENTS.has(parts[i - 1]!)));
}

export function kubernetesObjects(facts: FactStore, paths: readonly string[]): K8sObjectFact[] {
  const kustomizations = facts.all("kustomization");
  const patchFiles = new Set(kustomizations.flatMap((k) => k.patches));
  const manifests = facts.all("k8s").filter((o) => !o.patch && !patchFiles.has(o.path) && !isExampleOrTestPath(o.path));
  // every folder of the tree (a folder already seen has its parents in the set too: stop there)
  const dirs = new Set<string>();
  if (manifests.length > 0)
    for (const p of paths)
      for (let d = p; d.includes("/"); ) {
        d = d.slice(0, d.lastIndexOf("/"));
        if (dirs.has(d)) break;
        dirs.add(d);
      }
  const leftOut = leftOutManifests(manifests, kustomizations, dirs);
  return [...manifests.filter((o) => !leftOut.has(o.path)), ...renderedTemplates(facts)];
}

/** Template objects of real charts (a Chart.yaml beside `templates/`) that render with the chart's default values. */
function renderedTemplates(facts: FactStore): K8sObjectFact[] {
  const templates = facts.all("helmTemplate");
  if (templates.length === 0) return [];
  const charts = new Set(
    facts
      .all("helm")
      .filter((c) => c.type !== "library")
      .map((c) => c.dir),
  );
  const defaults = new Map<string, Record<string, unknown>>();
  for (const v of facts.all("helmValues")) {
    const name = v.path.slice(v.path.lastIndexOf("/") + 1);
    if ((name === "values.yaml" || name === "values.yml") && v.values) defaults.set(v.dir, v.values);
  }
  const out: K8sObjectFact[] = [];
  for (const t of templates) {
    if (!charts.has(t.chart) || isExampleOrTestPath(t.path)) continue;
    const values = defaults.get(t.chart) ?? {};
    if (!t.gates.every((g) => gateHolds(g, values))) continue;
    out.push(resolved(t, values));
  }
  return out;
}

/** The object with its placeholders replaced by what the values say, or by the action's text when they cannot. */
function resolved(t: HelmTemplateFact, values: Record<string, unknown>): K8sObjectFact {
  const resolve = (name: string): unknown => {
    const expr = t.placeholders[name];
    if (expr === undefined) return name;
    const v = evaluateExpression(expr, values);
    return v === UNKNOWN || v === undefined || v === null ? "…" : v; // what only a render would say
  };
  const walk = (node: unknown, depth: number): unknown => {
    if (typeof node === "string") {
      if (isPlaceholder(node)) return resolve(node);
      if (!node.includes("__tpl_")) return node;
      return node.replace(/__tpl_\d+__/g, (name) => {
        const v = resolve(name);
        return typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? String(v) : name;
      });
    }
    if (depth > 40) return node;
    if (Array.isArray(node)) return node.map((n) => walk(n, depth + 1));
    if (isRecord(node)) return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v, depth + 1)]));
    return node;
  };
  const doc = walk(t.object.doc, 0) as Record<string, unknown>;
  const metadata = isRecord(doc.metadata) ? doc.metadata : {};
  const spec = isRecord(doc.spec) ? doc.spec : {};
  const written = asString(metadata.name);
  const name = written === "…" ? undefined : written; // named by a helper only a render knows
  const images = new Map<number, string | undefined>();
  const pod = isWorkloadKind(t.object.kind) ? podSpecOf(t.object.kind, doc) : undefined;
  (pod ? containersOf(pod) : []).forEach((c, i) => images.set(i, asString(c.value.image)));
  const { name: _name, replicas: _replicas, containers, ...rest } = t.object;
  return {
    ...rest,
    chart: t.chart,
    doc,
    ...(name !== undefined ? { name } : {}),
    ...(typeof spec.replicas === "number" ? { replicas: spec.replicas } : {}),
    ...(containers
      ? {
          containers: containers.map((c, i) => {
            const image = images.get(i);
            return { ...c, ...(image !== undefined ? { image } : {}) };
          }),
        }
      : {}),
  };
}
