// Metrics, dashboards, alerts, logs and health checks.

export interface ScrapeConfigFact {
  path: string;
  line: number;
  /** prometheus | servicemonitor | podmonitor | otel-collector | datadog … */
  tool: string;
  jobs: string[];
}

export interface AlertRuleFact {
  path: string;
  line: number;
  name: string;
  /** prometheus | prometheus-operator | alertmanager | grafana | cloudwatch | datadog … */
  tool: string;
  expr?: string;
  severity?: string;
}

export interface AlertRoutingFact {
  path: string;
  line: number;
  tool: string;
  receivers: string[];
}

export interface DashboardFact {
  path: string;
  line: number;
  tool: string;
  title?: string;
  panels: number;
}

export interface LogShippingFact {
  path: string;
  line: number;
  /** promtail | fluent-bit | fluentd | vector | filebeat | logstash | otel-collector | loki … */
  tool: string;
  /** where logs go (loki, elasticsearch, s3, …) */
  sinks: string[];
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
