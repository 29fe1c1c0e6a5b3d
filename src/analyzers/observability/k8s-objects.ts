// Monitoring read from Kubernetes objects (the infra analyzer's k8s facts): Prometheus Operator and
// VictoriaMetrics CRDs, Google managed Prometheus, Grafana dashboards in ConfigMaps, `prometheus.io/scrape`.
// Positions inside an object are not kept by the k8s facts, so evidence points at the object.
import { asArray, asString, isRecord } from "../../engine/yaml.js";
import type { K8sObjectFact } from "../../facts/infra.js";
import type { AlertRoutingFact, AlertRuleFact, DashboardFact, ScrapeConfigFact } from "../../facts/observability.js";
import { pick, readRouting } from "./alertmanager.js";
import { countPanels, dashboardModel } from "./grafana.js";
import { type LineAt, readRuleGroups } from "./rule-groups.js";

const group = (o: K8sObjectFact) => o.apiVersion.split("/")[0]!;
const spec = (o: K8sObjectFact) => (isRecord(o.doc.spec) ? o.doc.spec : {});

const RULE_KINDS: Record<string, string> = {
  "monitoring.coreos.com/PrometheusRule": "prometheus-operator",
  "operator.victoriametrics.com/VMRule": "victoriametrics",
  "monitoring.googleapis.com/Rules": "gcp-managed-prometheus",
  "monitoring.googleapis.com/ClusterRules": "gcp-managed-prometheus",
};

const SCRAPE_KINDS: Record<string, string> = {
  "monitoring.coreos.com/ServiceMonitor": "servicemonitor",
  "monitoring.coreos.com/PodMonitor": "podmonitor",
  "monitoring.coreos.com/ScrapeConfig": "scrapeconfig",
  "monitoring.coreos.com/Probe": "probe",
  "operator.victoriametrics.com/VMServiceScrape": "vmservicescrape",
  "operator.victoriametrics.com/VMPodScrape": "vmpodscrape",
  "monitoring.googleapis.com/PodMonitoring": "gcp-podmonitoring",
  "monitoring.googleapis.com/ClusterPodMonitoring": "gcp-podmonitoring",
};

const key = (o: K8sObjectFact) => `${group(o)}/${o.kind}`;

/** Alert rules of rule CRDs; an object with an invalid rule is rejected by the operator's webhook, so yields none. */
export function alertsOf(o: K8sObjectFact, lineAt: LineAt = () => o.line): AlertRuleFact[] {
  const tool = RULE_KINDS[key(o)];
  if (!tool) return [];
  const { alerts } = readRuleGroups(spec(o).groups, lineAt, ["spec", "groups"]);
  return alerts.map((a) => ({ ...a, path: o.path, tool }));
}

const WORKLOADS = new Set(["Deployment", "StatefulSet", "DaemonSet", "Pod", "Service", "ReplicaSet"]);

export function scrapeOf(o: K8sObjectFact): ScrapeConfigFact | undefined {
  const tool = SCRAPE_KINDS[key(o)];
  const s = spec(o);
  if (tool) {
    // monitors scrape their `endpoints`; without one (or a valid spec) the operator scrapes nothing
    const needsEndpoints = !["scrapeconfig", "probe"].includes(tool);
    if (needsEndpoints && asArray(s.endpoints ?? s.podMetricsEndpoints).length === 0) return undefined;
    return { path: o.path, line: o.line, tool, jobs: [o.name ?? o.kind] };
  }
  // the `prometheus.io/scrape: "true"` convention, honoured by the usual kubernetes_sd relabelling
  if (!WORKLOADS.has(o.kind)) return undefined;
  const template = isRecord(s.template) && isRecord(s.template.metadata) ? s.template.metadata : undefined;
  const metadata = o.kind === "Pod" || o.kind === "Service" ? o.doc.metadata : template;
  const annotations = isRecord(metadata) && isRecord(metadata.annotations) ? metadata.annotations : {};
  if (String(annotations["prometheus.io/scrape"]) !== "true") return undefined;
  return { path: o.path, line: o.line, tool: "k8s-annotation", jobs: [o.name ?? o.kind] };
}

export function routingOf(o: K8sObjectFact): AlertRoutingFact | undefined {
  if (key(o) !== "monitoring.coreos.com/AlertmanagerConfig") return undefined;
  const routing = readRouting(spec(o).route, spec(o).receivers);
  if (routing.unknown.length > 0) return undefined;
  return { path: o.path, line: o.line, tool: "alertmanager-operator", ...pick(routing) };
}

/** Dashboards in ConfigMaps picked up by the Grafana sidecar (label `grafana_dashboard`), and grafana-operator CRDs. */
export function dashboardsOf(o: K8sObjectFact): DashboardFact[] {
  const models: unknown[] = [];
  if (o.kind === "ConfigMap") {
    const metadata = isRecord(o.doc.metadata) ? o.doc.metadata : {};
    const labels = isRecord(metadata.labels) ? metadata.labels : {};
    if (!("grafana_dashboard" in labels)) return [];
    for (const text of Object.values(isRecord(o.doc.data) ? o.doc.data : {})) models.push(parseJson(text));
  } else if (o.kind === "GrafanaDashboard" && group(o).startsWith("grafana")) {
    const s = spec(o);
    models.push(isRecord(s.json) ? s.json : parseJson(s.json));
  }
  return models.flatMap((m) => {
    const model = dashboardModel(m);
    const panels = model ? countPanels(model) : 0;
    return model && panels > 0
      ? [{ path: o.path, line: o.line, tool: "grafana", title: asString(model.title), panels }]
      : [];
  });
}

function parseJson(text: unknown): unknown {
  if (typeof text !== "string") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
