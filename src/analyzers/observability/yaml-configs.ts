// One analyzer for every observability YAML config: it parses the file once and lets the first kind that
// recognises a document's keys read it (Prometheus and Promtail both have `scrape_configs`; the keys beside it tell).
import type { Analyzer, AnalyzerOutput, SourceFile } from "../../engine/analyzer.js";
import { isRecord, type YamlDocument } from "../../engine/yaml.js";
import { isManifestPath } from "../infra/kubernetes.js";
import { loadShellParser } from "../shell-parse.js";
import { alertmanagerConfig } from "./alertmanager.js";
import { inDirs, yamlMappings } from "./common.js";
import { datadogAgent } from "./datadog.js";
import { filebeat } from "./filebeat.js";
import { fluentBitYaml } from "./fluent-bit.js";
import { grafanaAlerting } from "./grafana.js";
import { alertsOf, dashboardsOf, routingOf, scrapeOf } from "./k8s-objects.js";
import type { YamlKind } from "./kind.js";
import { isOtelConfig, otelCollector } from "./otel-collector.js";
import { prometheusConfig, prometheusRules } from "./prometheus.js";
import { grafanaAgent, loki, promtail } from "./promtail.js";
import { vectorYaml } from "./vector.js";

/** Most specific first. */
export const YAML_KINDS: readonly YamlKind[] = [
  grafanaAlerting,
  promtail,
  grafanaAgent,
  prometheusConfig,
  prometheusRules,
  alertmanagerConfig,
  loki,
  otelCollector,
  filebeat,
  fluentBitYaml,
  vectorYaml,
  datadogAgent,
];

const TOOL_NAMES = new RegExp(
  String.raw`^(prometheus|alertmanager|promtail|loki|filebeat|fluent-?bit|vector|otel|otelcol|` +
    String.raw`opentelemetry|collector|grafana-agent|datadog)([._-][\w.-]*)?\.ya?ml$`,
);
const RULE_NAMES = /(\.rules|[._-]rules|[._-]alerts?|^alerts?|^alerting|^rules)([._-][\w.-]*)?\.ya?ml$/;
const inMonitoringDir = inDirs([
  "prometheus",
  "alertmanager",
  "grafana",
  "monitoring",
  "observability",
  "o11y",
  "alerting",
  "alerts",
  "loki",
  "promtail",
  "otel",
  "otel-collector",
  "opentelemetry",
  "opentelemetry-collector",
  "fluent-bit",
  "fluentbit",
  "vector",
  "filebeat",
  "logging",
]);

export const observabilityYaml: Analyzer = {
  id: "observability-yaml",
  extensions: [".yml", ".yaml", ".rules"],
  match(_path, name, lower) {
    if (lower.startsWith(".github/")) return false;
    const n = name.toLowerCase();
    if (n.endsWith(".rules")) return inMonitoringDir(lower); // elsewhere `.rules` is often udev or another format
    if (!n.endsWith(".yml") && !n.endsWith(".yaml")) return false;
    return TOOL_NAMES.test(n) || RULE_NAMES.test(n) || inMonitoringDir(lower);
  },
  prepare: loadShellParser,
  analyze(file, out) {
    for (const doc of yamlMappings(file, out, "this YAML file")) {
      const value = doc.value as Record<string, unknown>;
      if (typeof value.kind === "string" && typeof value.apiVersion === "string") {
        // Kubernetes objects come from the infra analyzer's k8s facts, except in the folders it leaves to us
        if (!isManifestPath(file.name, file.path.toLowerCase())) readMonitoringObject(file, out, doc, value);
        continue;
      }
      YAML_KINDS.find((k) => k.recognises(value))?.read({ file, out, doc, value });
      if (isOtelConfig(value)) {
        const pipelines = isRecord(value.service) && isRecord(value.service.pipelines);
        out.fact("otelConfig", {
          path: file.path,
          line: doc.line,
          value,
          ...(pipelines ? { pipelinesLine: doc.lineAt(["service", "pipelines"]) } : {}),
        });
      }
    }
  },
};

/** A PrometheusRule, ServiceMonitor, AlertmanagerConfig or dashboard ConfigMap kept with the monitoring configs. */
function readMonitoringObject(
  file: SourceFile,
  out: AnalyzerOutput,
  doc: YamlDocument,
  value: Record<string, unknown>,
): void {
  const metadata = value.metadata as { name?: unknown } | undefined;
  const object = {
    path: file.path,
    line: doc.line,
    apiVersion: value.apiVersion as string,
    kind: value.kind as string,
    doc: value,
    ...(typeof metadata?.name === "string" ? { name: metadata.name } : {}),
  };
  for (const alert of alertsOf(object, (p) => doc.lineAt(p))) out.fact("alert", alert);
  const scrape = scrapeOf(object);
  if (scrape) out.fact("scrape", scrape);
  const routing = routingOf(object);
  if (routing) out.fact("alertRouting", routing);
  for (const dashboard of dashboardsOf(object)) out.fact("dashboard", dashboard);
}
