// Monitoring facts from every source at once: the observability configs' own facts, configs embedded in
// Kubernetes ConfigMaps (read by the same analyzers), Kubernetes objects (PrometheusRule, ServiceMonitor,
// AlertmanagerConfig, dashboard ConfigMaps), cloud resources (alarms, dashboards, notification channels),
// manifests (metrics libraries), CI (security scanners run by steps, or by the repository code a step runs) and
// monitoring charts installed with their values (monitoring-charts.ts), OTel Collector configs started together
// (otel-overlays.ts), and metrics agents run as systemd services.
import { cloudLogShipping } from "../analyzers/observability/cloud-logs.js";
import { cloudAlerts } from "../analyzers/observability/cloud-resources.js";
import { embeddedFacts } from "../analyzers/observability/embedded.js";
import { heredocConfigs } from "../analyzers/observability/heredoc-configs.js";
import { alertsOf, dashboardsOf, routingOf, scrapeOf } from "../analyzers/observability/k8s-objects.js";
import { metricsLibraries } from "../analyzers/observability/metrics-libraries.js";
import { ciScans } from "../analyzers/observability/security/ci-scans.js";
import type { AnalyzerOutput } from "../engine/analyzer.js";
import { FactStore } from "../engine/facts.js";
import type { Monitoring, Schedule } from "../facts/derived.js";
import type { FactKind, FactKinds } from "../facts/index.js";
import type { K8sObjectFact } from "../facts/infra.js";
import { checkAlerts } from "./check-alerts.js";
import type { CommandGraph } from "./command-graph.js";
import { hostMetricsAgents } from "./host-agents.js";
import { chartInstalls, chartMonitoring } from "./monitoring-charts.js";
import { otelOverlays } from "./otel-overlays.js";

export function monitoring(
  facts: FactStore,
  k8s: readonly K8sObjectFact[],
  graph?: CommandGraph,
  schedules: readonly Schedule[] = [],
): Monitoring {
  const embedded = embeddedFacts(k8s);
  const cloud = cloudAlerts(facts);
  const charts = chartMonitoring(chartInstalls(facts, k8s));
  const overlays = otelOverlays(facts);
  const written = writtenByCi(facts);
  return {
    alerts: [
      ...facts.all("alert"),
      ...embedded.all("alert"),
      ...written.all("alert"),
      ...k8s.flatMap((o) => alertsOf(o)),
      ...cloud.alerts,
      ...charts.all("alert"),
      ...checkAlerts(facts, schedules),
    ],
    alertRouting: [
      ...facts.all("alertRouting"),
      ...embedded.all("alertRouting"),
      ...written.all("alertRouting"),
      ...k8s.map(routingOf).filter((r) => r !== undefined),
      ...cloud.routing,
      ...charts.all("alertRouting"),
    ],
    scrapes: [
      ...facts.all("scrape"),
      ...embedded.all("scrape"),
      ...written.all("scrape"),
      ...k8s.map(scrapeOf).filter((s) => s !== undefined),
      ...charts.all("scrape"),
      ...overlays.all("scrape"),
      ...hostMetricsAgents(facts),
    ],
    dashboards: [
      ...facts.all("dashboard"),
      ...embedded.all("dashboard"),
      ...written.all("dashboard"),
      ...k8s.flatMap(dashboardsOf),
      ...cloud.dashboards,
    ],
    logShipping: [
      ...facts.all("logShipping"),
      ...embedded.all("logShipping"),
      ...written.all("logShipping"),
      ...charts.all("logShipping"),
      ...overlays.all("logShipping"),
      ...cloudLogShipping(facts),
    ],
    metricsLibraries: [...facts.all("metricsLibrary"), ...facts.all("manifest").flatMap(metricsLibraries)],
    securityScans: ciScans(facts, graph),
  };
}

/** Configs that CI steps write with here-documents (a VM startup script that writes promtail.yaml). */
function writtenByCi(facts: FactStore): FactStore {
  const store = new FactStore();
  const out: AnalyzerOutput = {
    fact<K extends FactKind>(kind: K, fact: FactKinds[K]) {
      store.add(kind, fact);
    },
    finding() {},
  };
  for (const p of facts.all("ci"))
    for (const job of p.jobs) {
      if (job.disabled) continue;
      for (const step of job.steps)
        if (step.run?.includes("<<")) heredocConfigs(step.run, p.path, step.runLine ?? step.line, out);
    }
  return store;
}
