// Monitoring and security detectors. They read ctx.derived.monitoring: the observability analyzers' facts joined
// with what Kubernetes objects, ConfigMaps, cloud resources, manifests and CI steps say (src/derived/monitoring.ts).
import {
  type DetectContext,
  type Detector,
  type DetectorResult,
  dedupeEvidence,
  fail,
  pass,
} from "../engine/detector.js";
import type { Evidence } from "../engine/types.js";
import type { SecurityScanFact } from "../facts/index.js";

const k8s = (ctx: DetectContext) => ctx.derived.kubernetes;

/** why a signal fails: the sentence and its stable id */
type Why = readonly [reason: string, reasonId: string];

const result = (evidence: Evidence[], [reason, reasonId]: Why, nearMiss: Evidence[] = []): DetectorResult =>
  evidence.length > 0 ? pass(dedupeEvidence(evidence)) : fail(reason, dedupeEvidence(nearMiss), reasonId);

const alertRules: Detector = (ctx) =>
  result(
    ctx.derived.monitoring.alerts.map((a) => ({
      path: a.path,
      line: a.line,
      note: `${a.tool} alert ${a.name}${a.severity ? ` (${a.severity})` : ""}`,
    })),
    [
      "no alerting rule is in effect: no Prometheus/Grafana alert rule, PrometheusRule or cloud alarm was found",
      "no-alert-rules",
    ],
  );

const alertRouting: Detector = (ctx) => {
  const all = ctx.derived.monitoring.alertRouting;
  const real = all.filter((r) => r.routedTo.some((n) => r.realReceivers.includes(n)));
  return result(
    real.map((r) => ({
      path: r.path,
      line: r.line,
      note: `${r.tool} routes to ${r.routedTo.filter((n) => r.realReceivers.includes(n)).join(", ")}`,
    })),
    all.length > 0
      ? ["alert routing exists but every route ends at a receiver with no integration", "no-real-receiver"]
      : ["alerts are not routed to anyone: no Alertmanager/Grafana contact point or alarm action", "no-alert-routing"],
    all.map((r) => ({ path: r.path, line: r.line, note: `${r.tool}: no route reaches a real receiver` })),
  );
};

const metricsCollected: Detector = (ctx) =>
  result(
    ctx.derived.monitoring.scrapes
      .filter((s) => s.tool !== "prometheus" || s.jobs.length > 0)
      .map((s) => ({ path: s.path, line: s.line, note: `${s.tool}: ${s.jobs.slice(0, 5).join(", ")}` })),
    [
      "nothing collects metrics: no Prometheus scrape job, ServiceMonitor/PodMonitor, scrape annotation or OTel metrics pipeline",
      "no-metrics-collection",
    ],
  );

const metricsInstrumented: Detector = (ctx) => {
  const libraries = ctx.derived.monitoring.metricsLibraries;
  return result(
    libraries.map((l) => ({ path: l.path, ...(l.line ? { line: l.line } : {}), note: `metrics library ${l.library}` })),
    [
      "the application declares no metrics library (Prometheus client, OpenTelemetry SDK, Micrometer, an APM agent)",
      "no-metrics-library",
    ],
  );
};

const dashboardsDetector: Detector = (ctx) =>
  result(
    ctx.derived.monitoring.dashboards.map((d) => ({
      path: d.path,
      line: d.line,
      note: `${d.tool} dashboard${d.title ? ` "${d.title}"` : ""}`,
    })),
    [
      "no dashboard is kept in the repository (Grafana dashboard JSON, dashboard ConfigMap or cloud dashboard resource)",
      "no-dashboards",
    ],
  );

const healthChecks: Detector = (ctx) =>
  result(
    ctx.facts.all("healthcheck").map((h) => ({ path: h.path, line: h.line, note: `${h.kind} health check` })),
    [
      "the services have no health check: no Dockerfile HEALTHCHECK, compose healthcheck or Kubernetes probe",
      "no-health-checks",
    ],
  );

/** Whether the repository runs services: a container image, a compose service, a workload or a deploy platform. */
export function runsServices(ctx: DetectContext): boolean {
  return (
    ctx.facts.all("dockerfile").length > 0 ||
    ctx.facts.all("compose").some((c) => c.services.length > 0) ||
    k8s(ctx).some((o) => o.containers && o.containers.length > 0) ||
    ctx.facts.all("platform").length > 0
  );
}

const logAggregation: Detector = (ctx) => {
  const all = ctx.derived.monitoring.logShipping;
  const shipped = all.filter((l) => l.role !== "aggregator" && l.sinks.length > 0);
  const aggregators = all.filter((l) => l.role === "aggregator");
  const evidence = shipped.length > 0 ? [...shipped, ...aggregators] : [];
  return result(
    evidence.map((l) => ({ path: l.path, line: l.line, note: `${l.tool} → ${l.sinks.join(", ")}` })),
    aggregators.length > 0 && shipped.length === 0
      ? ["a log store is configured but no shipper sends logs to it", "no-shipper-to-store"]
      : all.length > 0
        ? [
            "log shippers are configured but send logs nowhere (stdout, a local file or no output)",
            "logs-shipped-nowhere",
          ]
        : [
            "no log shipping config: no promtail, Fluent Bit, Fluentd, Vector, Filebeat, Logstash or OTel collector logs pipeline",
            "no-log-shipping",
          ],
    all.map((l) => ({
      path: l.path,
      line: l.line,
      note: l.role === "aggregator" ? `${l.tool} store, nothing ships to it` : `${l.tool} ships nowhere`,
    })),
  );
};

/** An update config that keeps an ecosystem up to date; an allow-list of a few named dependencies does not. */
const dependencyUpdates: Detector = (ctx) => {
  const all = ctx.facts.all("dependencyUpdates");
  const full = all.filter((d) => d.ecosystems.length > 0 || !d.narrow);
  const narrow = all.flatMap((d) => (d.narrow ?? []).map((n) => ({ d, ...n })));
  const only = (n: { ecosystem: string; allow: string[] }) => `${n.allow.slice(0, 3).join(", ")} (${n.ecosystem})`;
  return result(
    full.map((d) => ({
      path: d.path,
      line: d.line,
      note: `${d.tool}: ${d.ecosystems.join(", ")}${d.narrow ? `; only ${d.narrow.map(only).join(", ")}` : ""}`,
    })),
    narrow.length > 0
      ? [
          `Dependabot updates only ${narrow.map(only).join(", ")}: an \`allow:\` list of named dependencies leaves the others out of date`,
          "narrow-allow-list",
        ]
      : [
          "dependencies are not kept up to date automatically: no enabled Dependabot or Renovate config",
          "no-dependency-updates",
        ],
    narrow.map((n) => ({ path: n.d.path, line: n.d.line, note: `dependabot: only ${only(n)}` })),
  );
};

const scanNote = (s: SecurityScanFact) => `${s.tool} (${s.scope})${s.weak ? ", weak on its own" : ""}`;

const securityScanning: Detector = (ctx, params) => {
  const scans = ctx.derived.monitoring.securityScans;
  const acceptWeak = params.accept_weak === true;
  const strong = scans.filter((s) => s.scope !== "secrets" && (acceptWeak || !s.weak));
  return result(
    strong.map((s) => ({ path: s.path, line: s.line, note: scanNote(s) })),
    scans.length > 0
      ? [
          `only ${[...new Set(scans.map((s) => s.tool))].join(", ")} runs: add a code, dependency or image scanner`,
          "only-secret-or-weak-scanners",
        ]
      : [
          "no security scanner runs in CI (CodeQL, Semgrep, Trivy, Grype, Snyk, OSV-Scanner, dependency review …)",
          "no-security-scanner",
        ],
    scans.map((s) => ({ path: s.path, line: s.line, note: scanNote(s) })),
  );
};

const secretScanning: Detector = (ctx) =>
  result(
    ctx.derived.monitoring.securityScans
      .filter((s) => s.scope === "secrets")
      .map((s) => ({ path: s.path, line: s.line, note: scanNote(s) })),
    ["no secret scanner runs in CI (gitleaks, TruffleHog, ggshield, GitLab Secret Detection)", "no-secret-scanner"],
  );

const securityPolicy: Detector = (ctx) => {
  const policies = ctx.facts.all("securityPolicy");
  const withChannel = policies.filter((p) => p.channels.length > 0);
  return result(
    withChannel.map((p) => ({
      path: p.path,
      line: p.channels[0]!.line,
      note: `report via ${p.channels[0]!.kind}: ${p.channels[0]!.value}`,
    })),
    policies.length > 0
      ? ["SECURITY.md names no private way to report a vulnerability", "no-reporting-channel"]
      : ["no SECURITY.md", "no-security-policy"],
    policies.map((p) => ({ path: p.path, line: p.line, note: "no reporting channel" })),
  );
};

export const monitoringDetectors: Record<string, Detector> = {
  "monitoring/alert-rules": alertRules,
  "monitoring/alert-routing": alertRouting,
  "monitoring/metrics-collected": metricsCollected,
  "monitoring/metrics-instrumented": metricsInstrumented,
  "monitoring/dashboards": dashboardsDetector,
  "monitoring/health-checks": healthChecks,
  "monitoring/log-aggregation": logAggregation,
  "monitoring/dependency-updates": dependencyUpdates,
  "monitoring/security-scanning": securityScanning,
  "monitoring/secret-scanning": secretScanning,
  "monitoring/security-policy": securityPolicy,
};
