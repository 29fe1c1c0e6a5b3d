// Monitoring stacks installed as Helm charts: an umbrella chart's dependency (Chart.yaml + the subchart's key in
// values.yaml), a Flux HelmRelease, an Argo CD Application of a chart, or a Terraform helm_release — each with
// the values it is installed with. What the chart does with its default values counts: kube-prometheus-stack
// creates its default alert rules unless `defaultRules.create: false`, loki-stack installs promtail unless
// `promtail.enabled: false`, a victoria-logs-collector ships nothing without a `remoteWrite` URL.
// The facts are those of the observability analyzers (alerts, routing, scrapes, log shipping), pointing at the
// file that installs the chart, or at the values file when the values say it.

import { pick, readRouting } from "../analyzers/observability/alertmanager.js";
import { readAlloyText } from "../analyzers/observability/alloy.js";
import { readClassic } from "../analyzers/observability/fluent-bit.js";
import { emitShipper, type Output } from "../analyzers/observability/log-sinks.js";
import { mergeCollectorConfigs, otelCollector } from "../analyzers/observability/otel-collector.js";
import { readRuleGroups } from "../analyzers/observability/rule-groups.js";
import { vectorYaml } from "../analyzers/observability/vector.js";
import type { AnalyzerOutput } from "../engine/analyzer.js";
import { FactStore } from "../engine/facts.js";
import { asArray, asString, isRecord, parseYaml } from "../engine/yaml.js";
import type { K8sObjectFact } from "../facts/infra.js";
import { isExampleOrTestPath } from "./kubernetes.js";
import { docAt, fileAt, type Place, recordAt } from "./recorded-read.js";

export interface ChartInstall {
  /** the chart's name (the last part of an OCI or repository URL, without a version) */
  chart: string;
  /** where it is installed: the Chart.yaml dependency, the HelmRelease, the Application, the helm_release */
  path: string;
  line: number;
  /** the values it is installed with (the subchart's key of an umbrella chart's values) */
  values: Record<string, unknown>;
  /** the file holding the values when it is not `path` (an umbrella chart's values.yaml) */
  valuesPath?: string;
  via: string;
}

const chartName = (ref: string): string =>
  ref
    .replace(/[?#].*$/, "")
    .replace(/\/+$/, "")
    .split("/")
    .pop()!
    .replace(/:[^:]*$/, "")
    .toLowerCase();

/** A dotted values path (`loki.enabled`), undefined when a part is missing. */
function valueAt(values: Record<string, unknown>, dotted: string): unknown {
  let node: unknown = values;
  for (const key of dotted.split(".")) {
    if (!isRecord(node) || !(key in node)) return undefined;
    node = node[key];
  }
  return node;
}

/** Helm's `condition:` — the first path that resolves to a boolean decides; none resolving keeps the subchart. */
function conditionHolds(condition: string | undefined, values: Record<string, unknown>): boolean {
  for (const path of (condition ?? "").split(",").map((p) => p.trim())) {
    if (!path) continue;
    const value = valueAt(values, path);
    if (typeof value === "boolean") return value;
  }
  return true;
}

function umbrellaInstalls(facts: FactStore): ChartInstall[] {
  const out: ChartInstall[] = [];
  const valuesByDir = new Map<string, { path: string; values: Record<string, unknown> }>();
  for (const v of facts.all("helmValues")) {
    if (!v.values || v.environment !== undefined || valuesByDir.has(v.dir)) continue;
    valuesByDir.set(v.dir, { path: v.path, values: v.values });
  }
  for (const chart of facts.all("helm")) {
    if (isExampleOrTestPath(chart.path)) continue;
    const parent = valuesByDir.get(chart.dir);
    for (const dep of chart.dependencies) {
      if (!conditionHolds(dep.condition, parent?.values ?? {})) continue;
      const sub = parent?.values[dep.alias ?? dep.name];
      out.push({
        chart: chartName(dep.name),
        path: chart.path,
        line: dep.line,
        values: isRecord(sub) ? sub : {},
        ...(parent && isRecord(sub) ? { valuesPath: parent.path } : {}),
        via: `umbrella chart ${chart.name}`,
      });
    }
  }
  return out;
}

const specOf = (o: K8sObjectFact) => (isRecord(o.doc.spec) ? o.doc.spec : {});

function fluxInstalls(k8s: readonly K8sObjectFact[]): ChartInstall[] {
  const byName = (kind: string, name: string) =>
    k8s.find((o) => o.kind === kind && o.name === name && o.apiVersion.startsWith("source.toolkit.fluxcd.io/"));
  const out: ChartInstall[] = [];
  for (const o of k8s) {
    if (o.kind !== "HelmRelease" || !o.apiVersion.startsWith("helm.toolkit.fluxcd.io/")) continue;
    const spec = specOf(o);
    if (spec.suspend === true) continue;
    const template = isRecord(spec.chart) && isRecord(spec.chart.spec) ? spec.chart.spec : undefined;
    let chart = asString(template?.chart);
    if (!chart && isRecord(spec.chartRef)) {
      const ref = asString(spec.chartRef.name);
      const source = ref ? byName(asString(spec.chartRef.kind) ?? "OCIRepository", ref) : undefined;
      const sourceSpec = source ? specOf(source) : {};
      chart = asString(sourceSpec.url) ?? asString(sourceSpec.chart) ?? ref;
    }
    if (!chart) continue;
    const values = isRecord(spec.values) ? spec.values : {};
    out.push({ chart: chartName(chart), path: o.path, line: o.line, values, via: `HelmRelease ${o.name ?? ""}` });
  }
  return out;
}

function parseValuesText(text: unknown): Record<string, unknown> {
  if (typeof text !== "string" || text.includes("${")) return {};
  const doc = parseYaml(text).docs[0];
  return doc && isRecord(doc.value) ? doc.value : {};
}

function argoInstalls(k8s: readonly K8sObjectFact[]): ChartInstall[] {
  const out: ChartInstall[] = [];
  for (const o of k8s) {
    if (!o.apiVersion.startsWith("argoproj.io/")) continue;
    let spec = specOf(o);
    if (o.kind === "ApplicationSet") {
      const template = isRecord(spec.template) ? spec.template : {};
      spec = isRecord(template.spec) ? template.spec : {};
    } else if (o.kind !== "Application") continue;
    for (const source of [spec.source, ...asArray(spec.sources)]) {
      const chart = isRecord(source) ? asString(source.chart) : undefined;
      if (!chart || !isRecord(source)) continue;
      const helm = isRecord(source.helm) ? source.helm : {};
      const values = isRecord(helm.valuesObject) ? helm.valuesObject : parseValuesText(helm.values);
      out.push({
        chart: chartName(chart),
        path: o.path,
        line: o.line,
        values,
        via: `Argo CD ${o.kind} ${o.name ?? ""}`,
      });
    }
  }
  return out;
}

function terraformInstalls(facts: FactStore): ChartInstall[] {
  const out: ChartInstall[] = [];
  for (const f of facts.all("terraform")) {
    for (const r of f.resources) {
      if (r.type !== "helm_release" || r.attrs.count === 0) continue;
      const chart = asString(r.attrs.chart);
      if (!chart || chart.includes("${")) continue;
      const values: Record<string, unknown> = {};
      for (const text of asArray(r.attrs.values)) Object.assign(values, parseValuesText(text));
      out.push({ chart: chartName(chart), path: f.path, line: r.line, values, via: `helm_release ${r.name}` });
    }
  }
  return out;
}

/** Every chart installed by the repository, wherever it is declared. */
export function chartInstalls(facts: FactStore, k8s: readonly K8sObjectFact[]): ChartInstall[] {
  return [
    ...umbrellaInstalls(facts),
    ...fluxInstalls(k8s),
    ...argoInstalls(k8s),
    ...terraformInstalls(facts),
    ...helmfileInstalls(facts),
  ];
}

/** helmfile releases, with their values files (merged in order, inline values last) */
function helmfileInstalls(facts: FactStore): ChartInstall[] {
  const releases = facts.all("helmfileRelease");
  if (releases.length === 0) return [];
  const files = new Map(facts.all("valuesFile").map((f) => [f.path, f.values]));
  return releases
    .filter((r) => !isExampleOrTestPath(r.path))
    .map((r) => {
      const found = r.valuesFiles.filter((f) => files.has(f));
      const values = Object.assign({}, ...found.map((f) => files.get(f)), r.values) as Record<string, unknown>;
      return {
        chart: chartName(r.chart),
        path: r.path,
        line: r.line,
        values,
        ...(found[0] ? { valuesPath: found[0] } : {}),
        via: `helmfile release${r.name ? ` ${r.name}` : ""}`,
      };
    });
}

type Reader = (install: ChartInstall, sink: Sink) => void;

class Sink {
  constructor(
    readonly store: FactStore,
    readonly install: ChartInstall,
  ) {}

  /** where a fact that the values say points: the values file, else the install */
  get valuesAt(): { path: string; line: number } {
    const { valuesPath, path, line } = this.install;
    return valuesPath ? { path: valuesPath, line: 1 } : { path, line };
  }

  /** an analyzer output that records facts (at `at`) and drops findings */
  output(at: Place): AnalyzerOutput {
    return recordAt(this.store, at);
  }

  file = fileAt;
  doc = docAt;

  shipper(tool: string, outputs: string[], at: { path: string; line: number } = this.install) {
    const list: Output[] = outputs.map((type) => ({ type, line: at.line }));
    emitShipper(this.output(at), this.file(at), tool, at.line, list, "");
  }

  logStore(tool: string) {
    const { path, line, chart } = this.install;
    this.store.add("logShipping", { path, line, tool, sinks: [chart], role: "aggregator" });
  }
}

const enabled = (values: Record<string, unknown>, key: string, byDefault: boolean): boolean => {
  const node = values[key];
  if (!isRecord(node) || typeof node.enabled !== "boolean") return byDefault;
  return node.enabled;
};

/** kube-prometheus-stack and victoria-metrics-k8s-stack: default rules, extra rules, Alertmanager routing, scraping. */
const prometheusStack: Reader = (install, sink) => {
  const { values, chart, path, line } = install;
  const defaultRules = isRecord(values.defaultRules) ? values.defaultRules : {};
  if (defaultRules.create !== false)
    sink.store.add("alert", { path, line, name: "the chart's default rules", tool: chart });
  const extra = isRecord(values.additionalPrometheusRulesMap) ? values.additionalPrometheusRulesMap : {};
  for (const [name, rules] of Object.entries(extra)) {
    if (!isRecord(rules)) continue;
    const { alerts, problems } = readRuleGroups(rules.groups, () => sink.valuesAt.line, []);
    if (problems.length > 0) continue;
    for (const a of alerts) sink.store.add("alert", { ...a, ...sink.valuesAt, tool: chart, group: a.group ?? name });
  }
  const alertmanager = isRecord(values.alertmanager) ? values.alertmanager : {};
  if (alertmanager.enabled !== false && isRecord(alertmanager.config)) {
    const routing = readRouting(alertmanager.config.route, alertmanager.config.receivers);
    if (routing.unknown.length === 0)
      sink.store.add("alertRouting", { ...sink.valuesAt, tool: `${chart} alertmanager`, ...pick(routing) });
  }
  const prometheus = chart === "kube-prometheus-stack" ? "prometheus" : "vmsingle";
  if (enabled(values, prometheus, true))
    sink.store.add("scrape", { path, line, tool: chart, jobs: ["the chart's default targets"] });
};

const alertmanagerChart: Reader = ({ values }, sink) => {
  const config = isRecord(values.config) ? values.config : undefined;
  if (!config) return;
  const routing = readRouting(config.route, config.receivers);
  if (routing.unknown.length === 0)
    sink.store.add("alertRouting", { ...sink.valuesAt, tool: "alertmanager", ...pick(routing) });
};

/** prometheus-community/prometheus: rules in serverFiles, its Alertmanager subchart, the default scrape jobs. */
const prometheusChart: Reader = (install, sink) => {
  const { values } = install;
  const files = isRecord(values.serverFiles) ? values.serverFiles : {};
  for (const key of ["alerting_rules.yml", "alerts", "rules"]) {
    const rules = files[key];
    if (!isRecord(rules)) continue;
    const { alerts, problems } = readRuleGroups(rules.groups, () => sink.valuesAt.line, []);
    if (problems.length === 0)
      for (const a of alerts) sink.store.add("alert", { ...a, ...sink.valuesAt, tool: "prometheus" });
  }
  if (enabled(values, "alertmanager", true) && isRecord(values.alertmanager))
    alertmanagerChart({ ...install, values: values.alertmanager }, sink);
  const server = isRecord(values.server) ? values.server : {};
  if (server.enabled !== false)
    sink.store.add("scrape", {
      path: install.path,
      line: install.line,
      tool: "prometheus",
      jobs: ["the chart's default jobs"],
    });
};

/** loki-stack: Loki with promtail by default (or Fluent Bit), both sending to it. */
const lokiStack: Reader = ({ values }, sink) => {
  if (enabled(values, "loki", true)) sink.logStore("loki");
  if (enabled(values, "promtail", true)) sink.shipper("promtail", ["loki"]);
  if (enabled(values, "fluent-bit", false)) sink.shipper("fluent-bit", ["loki"]);
};

/** promtail: the chart's default client is the Loki gateway; `config.clients: []` sends nowhere. */
const promtailChart: Reader = ({ values }, sink) => {
  const config = isRecord(values.config) ? values.config : {};
  const clients = config.clients === undefined ? [{ url: "default" }] : asArray(config.clients);
  const urls = clients.filter((c) => isRecord(c) && asString(c.url));
  const lokiAddress = asString(config.lokiAddress);
  sink.shipper("promtail", urls.length > 0 || lokiAddress ? ["loki"] : [], sink.valuesAt);
};

/** fluent-bit: `config.outputs` in the classic format; the chart's default outputs go to Elasticsearch. */
const fluentBitChart: Reader = ({ values }, sink) => {
  const config = isRecord(values.config) ? values.config : {};
  const text = asString(config.outputs);
  if (text === undefined) return sink.shipper("fluent-bit", ["es"]);
  const { sections, error } = readClassic(text.replace(/\{\{[^}]*\}\}/g, "x"));
  if (error) return;
  const outputs = sections.filter((s) => s.name === "OUTPUT" && s.props.name).map((s) => s.props.name!.toLowerCase());
  sink.shipper("fluent-bit", outputs, sink.valuesAt);
};

/** victoria-logs-collector (and the chart's older name): ships to each `remoteWrite` URL. */
const victoriaLogsCollector: Reader = ({ values }, sink) => {
  const urls = asArray(values.remoteWrite).filter((r) => isRecord(r) && asString(r.url));
  sink.shipper("victoria-logs-collector", urls.length > 0 ? ["victoria-logs"] : [], sink.valuesAt);
};

/** victoria-logs-single: the store, and its optional Vector agent that ships the cluster's logs to it. */
const victoriaLogsSingle: Reader = ({ values }, sink) => {
  sink.logStore("victoria-logs");
  if (enabled(values, "vector", false)) sink.shipper("vector", ["victoria-logs"], sink.valuesAt);
};

/** The chart's default collector config, under the values' `config` (maps merge, lists are replaced). */
const OTEL_DEFAULT = {
  receivers: { otlp: {} },
  exporters: { debug: {} },
  service: {
    pipelines: {
      logs: { receivers: ["otlp"], exporters: ["debug"] },
      metrics: { receivers: ["otlp"], exporters: ["debug"] },
      traces: { receivers: ["otlp"], exporters: ["debug"] },
    },
  },
};

const otelChart: Reader = ({ values }, sink) => {
  const config = mergeCollectorConfigs(OTEL_DEFAULT, values.config);
  const at = sink.valuesAt;
  otelCollector.read({ file: sink.file(at), out: sink.output(at), doc: sink.doc(config, at), value: config });
};

const vectorChart: Reader = ({ values }, sink) => {
  if (!isRecord(values.customConfig)) return;
  const at = sink.valuesAt;
  const value = values.customConfig;
  if (vectorYaml.recognises(value))
    vectorYaml.read({ file: sink.file(at), out: sink.output(at), doc: sink.doc(value, at), value });
};

/** alloy: the River config in `alloy.configMap.content`. */
const alloyChart: Reader = ({ values }, sink) => {
  const alloy = isRecord(values.alloy) ? values.alloy : {};
  const text = isRecord(alloy.configMap) ? asString(alloy.configMap.content) : undefined;
  if (!text) return;
  const at = sink.valuesAt;
  readAlloyText({ ...sink.file(at), text }, sink.output(at));
};

const aggregator =
  (tool: string): Reader =>
  (_install, sink) =>
    sink.logStore(tool);

const READERS: Record<string, Reader> = {
  "kube-prometheus-stack": prometheusStack,
  "victoria-metrics-k8s-stack": prometheusStack,
  prometheus: prometheusChart,
  alertmanager: alertmanagerChart,
  "loki-stack": lokiStack,
  loki: aggregator("loki"),
  "loki-distributed": aggregator("loki"),
  "loki-simple-scalable": aggregator("loki"),
  promtail: promtailChart,
  "fluent-bit": fluentBitChart,
  "victoria-logs-collector": victoriaLogsCollector,
  "victoria-logs-agent": victoriaLogsCollector,
  "victoria-logs-single": victoriaLogsSingle,
  "victoria-logs-cluster": aggregator("victoria-logs"),
  "opentelemetry-collector": otelChart,
  vector: vectorChart,
  alloy: alloyChart,
};

/** The monitoring facts of the monitoring charts installed (once per scan, from derived/monitoring.ts). */
export function chartMonitoring(installs: readonly ChartInstall[]): FactStore {
  const store = new FactStore();
  for (const install of installs) READERS[install.chart]?.(install, new Sink(store, install));
  return store;
}
