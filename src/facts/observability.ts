// Metrics, dashboards, alerts, logs, health checks and the security policy.

export interface ScrapeConfigFact {
  path: string;
  line: number;
  /** prometheus | servicemonitor | podmonitor | scrapeconfig | probe | vmservicescrape | k8s-annotation | otel-collector … */
  tool: string;
  jobs: string[];
  /** Prometheus `rule_files` globs, as written */
  ruleFiles?: string[];
  /** Prometheus sends its alerts to an Alertmanager (`alerting.alertmanagers`) */
  alertmanagers?: boolean;
}

export interface AlertRuleFact {
  path: string;
  line: number;
  name: string;
  /** prometheus | prometheus-operator | victoriametrics | grafana | cloudwatch | datadog | gcp-monitoring | azure-monitor … */
  tool: string;
  expr?: string;
  severity?: string;
  group?: string;
}

export interface AlertRoutingFact {
  path: string;
  line: number;
  /** alertmanager | alertmanager-operator | grafana */
  tool: string;
  /** every receiver (contact point) declared */
  receivers: string[];
  /** receivers with at least one integration (email, Slack, PagerDuty, webhook …): a route to one of them reaches a human */
  realReceivers: string[];
  /** receivers that the routing tree actually sends to (the default one and every sub-route's) */
  routedTo: string[];
}

export interface DashboardFact {
  path: string;
  line: number;
  /** grafana | grafana-sidecar | cloudwatch | datadog … */
  tool: string;
  title?: string;
  panels: number;
}

export interface LogShippingFact {
  path: string;
  line: number;
  /** promtail | grafana-agent | fluent-bit | fluentd | vector | filebeat | logstash | otel-collector | loki … */
  tool: string;
  /** remote places logs are sent to (loki, elasticsearch, s3, forward …); empty when they go nowhere */
  sinks: string[];
  /** outputs that keep logs local (stdout, file, null …): not aggregation */
  localOutputs?: string[];
  /** `aggregator` for a store that receives logs (a Loki server config), `shipper` otherwise */
  role?: "shipper" | "aggregator";
}

export interface MetricsLibraryFact {
  path: string;
  line?: number;
  library: string;
}

export interface HealthCheckFact {
  path: string;
  line: number;
  /** dockerfile | k8s-liveness | k8s-readiness | k8s-startup | compose | platform */
  kind: string;
}

/** SECURITY.md: how to report a vulnerability privately. */
export interface SecurityPolicyFact {
  path: string;
  line: number;
  /** real reporting channels found in the text (not in comments or code blocks) */
  channels: { kind: "email" | "advisory" | "bounty" | "url"; value: string; line: number }[];
}

/**
 * An OpenTelemetry Collector config file, whole or partial: the collector merges the files given to it as
 * `--config a --config b`, so a file may hold only the pipelines and another only the exporters.
 */
export interface OtelConfigFact {
  path: string;
  line: number;
  value: Record<string, unknown>;
  /** line of `service.pipelines`, when the file has them */
  pipelinesLine?: number;
}
