// Helm chart templates (`<chart>/templates/*.yaml`): Go templates read by the tolerant reader, one helmTemplate
// fact per object with the conditions it renders under. Whether it renders is judged against the chart's values
// in the derived-facts step, which also checks that the folder really is a chart. A template is never a parse error.
import type { Analyzer } from "../../engine/analyzer.js";
import { isRecord } from "../../engine/yaml.js";
import { folders } from "./common.js";
import { isPlaceholder, readTemplatedYaml } from "./go-template.js";
import { containersOf, isWorkloadKind, podSpecOf } from "./k8s-workloads.js";
import { emitProbes, objectFact } from "./kubernetes.js";

/** The chart folder of a template path (`charts/api/templates/hpa.yaml` → `charts/api`), or undefined. */
export function chartOfTemplate(path: string): string | undefined {
  const at = path.lastIndexOf("/templates/");
  if (at >= 0) return path.slice(0, at);
  return path.startsWith("templates/") ? "" : undefined;
}

const FOREIGN = new Set([".github", ".gitlab", ".circleci", "roles", "ansible", "playbooks"]);

export const helmTemplateAnalyzer: Analyzer = {
  id: "helm-templates",
  extensions: [".yml", ".yaml"],
  match: (_path, name, lowerPath) => {
    if (!lowerPath.endsWith(".yaml") && !lowerPath.endsWith(".yml")) return false;
    if (name.startsWith("_")) return false; // helpers are defines, not objects
    const dirs = folders(lowerPath);
    return dirs.includes("templates") && !dirs.some((d) => FOREIGN.has(d));
  },
  analyze(file, out) {
    const chart = chartOfTemplate(file.path);
    if (chart === undefined) return;
    const read = readTemplatedYaml(file.text);
    for (const doc of read.docs) {
      const object = objectFact(file.path, doc, doc.value, [], false);
      if (!object || isPlaceholder(object.kind) || isPlaceholder(object.apiVersion)) continue;
      out.fact("helmTemplate", { path: file.path, chart, object, gates: doc.gates, placeholders: read.placeholders });
      // a probe renders whatever the values are when nothing gates the object
      if (doc.gates.length > 0 || !isWorkloadKind(object.kind)) continue;
      const pod = podSpecOf(object.kind, object.doc);
      for (const container of pod ? containersOf(pod) : []) {
        if (container.init) continue;
        const lineOf = (rel: (string | number)[]) => doc.lineAt(rel);
        emitProbes(file.path, withPlaceholderProbes(container), lineOf, out);
      }
    }
  },
};

/** `livenessProbe: {{- toYaml .Values.livenessProbe | nindent 12 }}` declares a probe whose body is in the values. */
function withPlaceholderProbes<C extends { value: Record<string, unknown> }>(container: C): C {
  const value = { ...container.value };
  for (const key of ["livenessProbe", "readinessProbe", "startupProbe"])
    if (isPlaceholder(value[key])) value[key] = { fromValues: true };
  return isRecord(value) ? { ...container, value } : container;
}
