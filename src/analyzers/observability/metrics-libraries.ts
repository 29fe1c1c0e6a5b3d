// Metrics instrumentation declared as a dependency (read from the manifest facts of every ecosystem).

import type { MetricsLibraryFact } from "../../facts/observability.js";
import type { DeclaredDependency, PackageManifestFact } from "../../facts/scripts.js";

/** Exact names (lower case, `_` as `-`), or prefixes ending in `*`. Maven/Gradle names are `group:artifact`. */
const LIBRARIES = [
  // Prometheus clients
  "prom-client",
  "express-prom-bundle",
  "prometheus-api-metrics",
  "@promster/*",
  "prometheus-client",
  "prometheus-flask-exporter",
  "django-prometheus",
  "prometheus-fastapi-instrumentator",
  "starlette-exporter",
  "github.com/prometheus/client-golang",
  "io.prometheus:*",
  "prometheus-net*",
  "promphp/prometheus-client-php",
  "prometheus",
  "metrics-exporter-prometheus",
  "yabeda-prometheus",
  "prometheus-exporter",
  // OpenTelemetry SDKs
  "@opentelemetry/sdk-node",
  "@opentelemetry/sdk-metrics",
  "@opentelemetry/auto-instrumentations-node",
  "@opentelemetry/sdk-trace-node",
  "@opentelemetry/sdk-trace-web",
  "@elysiajs/opentelemetry",
  "@azure/monitor-opentelemetry",
  "azure-monitor-opentelemetry",
  "opentelemetry-sdk",
  "opentelemetry-distro",
  "go.opentelemetry.io/otel/sdk*",
  "io.opentelemetry:opentelemetry-sdk*",
  "io.opentelemetry.javaagent:*",
  "opentelemetry.exporter.*",
  "opentelemetry-otlp",
  "opentelemetry",
  // Micrometer and Spring Boot Actuator
  "io.micrometer:micrometer-registry-*",
  "org.springframework.boot:spring-boot-starter-actuator",
  // APM agents
  "dd-trace",
  "ddtrace",
  "gopkg.in/datadog/dd-trace-go.v1",
  "github.com/datadog/dd-trace-go*",
  "newrelic",
  "newrelic-rpm",
  "github.com/newrelic/go-agent*",
  "elastic-apm-node",
  "elastic-apm",
  "applicationinsights",
  "microsoft.applicationinsights*",
  // StatsD
  "hot-shots",
  "statsd",
  "datadog",
  "github.com/datadog/datadog-go*",
];

const normalise = (name: string) => name.toLowerCase().replace(/_/g, "-");

export function isMetricsLibrary(name: string): boolean {
  const n = normalise(name);
  return LIBRARIES.some((lib) => (lib.endsWith("*") ? n.startsWith(lib.slice(0, -1)) : n === lib));
}

export function metricsLibraries(manifest: PackageManifestFact): MetricsLibraryFact[] {
  const declared: DeclaredDependency[] = manifest.declared ?? manifest.dependencies.map((name) => ({ name, line: 1 }));
  return declared
    .filter((d) => !d.dev && isMetricsLibrary(d.name))
    .map((d) => ({ path: manifest.path, line: d.line, library: d.name }));
}
