// Helm: Chart.yaml (the chart, its dependencies) and values files (replicas, autoscaling, environment).
// Templates are read by helm-templates.ts.

import type { Analyzer } from "../../engine/analyzer.js";
import { dirOf } from "../../engine/paths.js";
import { asString, isRecord, parseYaml, type YamlDocument } from "../../engine/yaml.js";
import { environmentOf, folders, yamlSyntaxErrors } from "./common.js";

export const helmChartAnalyzer: Analyzer = {
  id: "helm-chart",
  extensions: [".yml", ".yaml"],
  match: (_path, name) => name === "Chart.yaml" || name === "Chart.yml",
  analyze(file, out) {
    const parsed = parseYaml(file.text);
    yamlSyntaxErrors(
      file,
      out,
      parsed.errors,
      "helm/parse-error",
      "Fix the YAML so that `helm lint` accepts the chart.",
    );
    const doc = parsed.docs[0];
    if (!doc || !isRecord(doc.value)) return;
    const chart = doc.value;
    const name = asString(chart.name);
    if (!name) return; // not a chart: Chart.yaml always names one
    const dependencies = Array.isArray(chart.dependencies) ? chart.dependencies : [];
    out.fact("helm", {
      path: file.path,
      line: doc.lineAt(["name"]),
      dir: dirOf(file.path),
      name,
      type: asString(chart.type) ?? "application",
      dependencies: dependencies.flatMap((dep, i) => {
        if (!isRecord(dep) || !asString(dep.name)) return [];
        const version = asString(dep.version);
        const repository = asString(dep.repository);
        const alias = asString(dep.alias);
        const condition = asString(dep.condition);
        return [
          {
            name: asString(dep.name)!,
            line: doc.lineAt(["dependencies", i]),
            ...(version !== undefined ? { version } : {}),
            ...(repository !== undefined ? { repository } : {}),
            ...(alias !== undefined ? { alias } : {}),
            ...(condition !== undefined ? { condition } : {}),
          },
        ];
      }),
    });
  },
};

/** values.yaml, values-prod.yaml, values.staging.yml, values_dev.yaml — not inside templates/. */
const VALUES_NAME = /^values([-._][a-z0-9._-]+)?\.ya?ml$/;

export const helmValuesAnalyzer: Analyzer = {
  id: "helm-values",
  extensions: [".yml", ".yaml"],
  match: (_path, name, lowerPath) => VALUES_NAME.test(name.toLowerCase()) && !folders(lowerPath).includes("templates"),
  analyze(file, out) {
    const parsed = parseYaml(file.text);
    yamlSyntaxErrors(
      file,
      out,
      parsed.errors,
      "helm/parse-error",
      "Fix the YAML so that `helm lint -f <values>` accepts it.",
    );
    const doc = parsed.docs[0];
    const stem = file.name.replace(/\.ya?ml$/i, "").slice("values".length);
    const environment = stem ? environmentOf(stem) : undefined;
    const replicas: { value: number; line: number }[] = [];
    const autoscaling: { enabled: boolean; line: number }[] = [];
    const keyLines: Record<string, number> = {};
    if (doc && isRecord(doc.value)) {
      walkValues(doc, doc.value, [], replicas, autoscaling);
      // the lines of the top keys and of their children (`velero.schedules`), for evidence about a subchart's values
      for (const [key, value] of Object.entries(doc.value)) {
        keyLines[key] = doc.lineAt([key]);
        if (isRecord(value))
          for (const sub of Object.keys(value).slice(0, 200)) keyLines[`${key}.${sub}`] = doc.lineAt([key, sub]);
      }
    }
    out.fact("helmValues", {
      path: file.path,
      dir: dirOf(file.path),
      replicas,
      autoscaling,
      keyLines,
      ...(environment !== undefined ? { environment } : {}),
      ...(doc && isRecord(doc.value) ? { values: doc.value } : {}),
    });
  },
};

const MAX_DEPTH = 4;

/** Finds the scaling knobs of the chart and of its subcharts (`web.replicaCount`, `api.autoscaling`). */
function walkValues(
  doc: YamlDocument,
  node: Record<string, unknown>,
  at: string[],
  replicas: { value: number; line: number }[],
  autoscaling: { enabled: boolean; line: number }[],
): void {
  for (const [key, value] of Object.entries(node)) {
    const path = [...at, key];
    if ((key === "replicaCount" || key === "replicas") && typeof value === "number") {
      replicas.push({ value, line: doc.lineAt(path) });
    } else if (key === "autoscaling" && isRecord(value)) {
      autoscaling.push({ enabled: value.enabled === true, line: doc.lineAt(path) });
    } else if (isRecord(value) && at.length < MAX_DEPTH) {
      walkValues(doc, value, path, replicas, autoscaling);
    }
  }
}
