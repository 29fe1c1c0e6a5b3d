// OpenTelemetry Collector configs started together with `--config a --config b` are read as one merged config.
import { describe, expect, it } from "vitest";
import { detect, type Files } from "../helpers.js";

const BASE = [
  "receivers:",
  "  otlp:",
  "    protocols: { grpc: {}, http: {} }",
  "  prometheus:",
  "    config: { scrape_configs: [{ job_name: api, static_configs: [{ targets: ['api:9464'] }] }] }",
  "exporters:",
  "  otlphttp/loki:",
  "    endpoint: http://loki:3100/otlp",
  "  prometheusremotewrite:",
  "    endpoint: http://mimir:9009/api/v1/push",
].join("\n");
const PIPELINES = [
  "service:",
  "  pipelines:",
  "    logs:",
  "      receivers: [otlp]",
  "      exporters: [otlphttp/loki]",
  "    metrics:",
  "      receivers: [prometheus]",
  "      exporters: [prometheusremotewrite]",
].join("\n");

const compose = (command: string) =>
  [
    "services:",
    "  otel:",
    "    image: otel/opentelemetry-collector-contrib:0.100.0",
    `    command: ${command}`,
    "    volumes: [./otel:/etc/otelcol]",
  ].join("\n");

const repo = (command: string): Files => ({
  "compose.yaml": compose(command),
  "otel/base.yaml": BASE,
  "otel/pipelines.yaml": PIPELINES,
});

describe("OTel Collector overlays", () => {
  it("a compose command giving two configs merges them: logs shipped and metrics collected from the pipelines file", async () => {
    const files = repo('["--config=/etc/otelcol/base.yaml", "--config=/etc/otelcol/pipelines.yaml"]');
    const logs = await detect("monitoring/log-aggregation", files);
    expect(logs.status).toBe("pass");
    expect(logs.evidence).toContainEqual(expect.objectContaining({ path: "otel/pipelines.yaml", line: 2 }));
    const metrics = await detect("monitoring/metrics-collected", files);
    expect(metrics.status).toBe("pass");
    expect(metrics.evidence).toEqual([{ path: "otel/pipelines.yaml", line: 2, note: "otel-collector: prometheus" }]);
  });

  it("the collector binary in a systemd unit, with `--config PATH` and file: sources, is read the same way", async () => {
    const unit = [
      "[Service]",
      "ExecStart=/usr/bin/otelcol-contrib --config file:/etc/otelcol/base.yaml --config /etc/otelcol/pipelines.yaml",
    ].join("\n");
    const files = { "hosts/otelcol.service": unit, "otel/base.yaml": BASE, "otel/pipelines.yaml": PIPELINES };
    expect((await detect("monitoring/metrics-collected", files)).status).toBe("pass");
  });

  it("the same files not started together, one config only, an env: source or a missing file are not merged", async () => {
    const apart: Files = { "otel/base.yaml": BASE, "otel/pipelines.yaml": PIPELINES };
    for (const files of [
      apart,
      repo('["--config=/etc/otelcol/pipelines.yaml"]'),
      repo('["--config=env:OTEL_BASE", "--config=/etc/otelcol/pipelines.yaml"]'),
      repo('["--config=/etc/otelcol/base.yaml", "--config=/etc/otelcol/prod.yaml"]'),
    ]) {
      expect((await detect("monitoring/log-aggregation", files)).status).toBe("fail");
      expect((await detect("monitoring/metrics-collected", files)).status).toBe("fail");
    }
  });
});
