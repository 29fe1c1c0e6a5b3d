// Grafana Alloy (River) configs: log sources whose forward_to chain reaches a remote writer ship logs.
import { describe, expect, it } from "vitest";
import { readAlloy } from "../../src/analyzers/observability/alloy.js";
import { analyze, detect } from "../helpers.js";

const SHIPPING = [
  "// logs from the app, labelled, to Loki",
  'local.file "endpoints" {',
  '  filename = "/etc/endpoints.json"',
  "}",
  "",
  'loki.source.api "app" {',
  "  http {",
  '    listen_address = "0.0.0.0"',
  "  }",
  "  forward_to = [loki.process.app.receiver]",
  "}",
  "",
  'loki.process "app" {',
  '  stage.static_labels { values = { "service" = "app" } }',
  "  forward_to = [loki.write.central.receiver]",
  "}",
  "",
  'loki.write "central" {',
  "  endpoint {",
  '    url = "http://loki:3100/loki/api/v1/push" // the Loki gateway',
  "  }",
  "}",
  "",
  'prometheus.scrape "app" {',
  '  targets    = [{"__address__" = "app:8080"}]',
  "  forward_to = [prometheus.remote_write.mimir.receiver]",
  "}",
].join("\n");

describe("the River reader", () => {
  it("finds top-level components with their labels and lines, comments out", () => {
    const components = readAlloy(SHIPPING);
    expect(components.map((c) => [c.name, c.label, c.line])).toEqual([
      ["local.file", "endpoints", 2],
      ["loki.source.api", "app", 6],
      ["loki.process", "app", 13],
      ["loki.write", "central", 18],
      ["prometheus.scrape", "app", 24],
    ]);
  });
});

describe("Alloy log shipping", () => {
  it("a source forwarded through loki.process to a loki.write with an endpoint ships logs", async () => {
    const result = await detect("monitoring/log-aggregation", { "alloy/config.alloy": SHIPPING });
    expect(result.status).toBe("pass");
    expect(result.evidence![0]).toMatchObject({ path: "alloy/config.alloy", line: 18 });
    expect((await detect("monitoring/metrics-collected", { "alloy/config.alloy": SHIPPING })).status).toBe("pass");
  });

  it("a Jinja template whose labels and references are templated is read through its tags", async () => {
    const template = [
      'loki.write "local" {',
      "  endpoint {",
      "    url = {{ alloy_loki_push_url | to_json }}",
      "  }",
      "}",
      "{% for source in alloy_file_sources %}",
      "loki.source.file {{ source.name | to_json }} {",
      '  targets = [{"__path__" = {{ source.path | to_json }}}]',
      "{% if source.pipeline %}",
      "  forward_to = [loki.process.{{ source.name }}_pipeline.receiver]",
      "{% else %}",
      "  forward_to = [loki.write.local.receiver]",
      "{% endif %}",
      "}",
      "{% endfor %}",
    ].join("\n");
    const result = await detect("monitoring/log-aggregation", { "roles/alloy/templates/config.alloy.j2": template });
    expect(result.status).toBe("pass");
  });

  it("logs that only reach loki.echo, or a chain that is commented out, are not aggregated", async () => {
    const echo = SHIPPING.replace(
      "forward_to = [loki.write.central.receiver]",
      "forward_to = [loki.echo.out.receiver]",
    ).concat('\nloki.echo "out" { }\n');
    const commented = SHIPPING.replace(
      "  forward_to = [loki.process.app.receiver]",
      "  // forward_to = [loki.process.app.receiver]",
    );
    for (const text of [echo, commented]) {
      const result = await detect("monitoring/log-aggregation", { "config.alloy": text });
      expect(result).toMatchObject({ status: "fail", reasonId: "logs-shipped-nowhere" });
    }
    const analysis = await analyze({ "config.alloy": echo });
    expect(analysis.findings.map((f) => f.rule)).toContain("monitoring/logs-not-shipped");
  });

  it("a traces-only OTLP receiver is not a log source", async () => {
    const traces = [
      'otelcol.receiver.otlp "default" {',
      "  grpc { }",
      "  output {",
      "    traces = [otelcol.exporter.otlp.tempo.input]",
      "  }",
      "}",
      'otelcol.exporter.otlp "tempo" {',
      '  client { endpoint = "tempo:4317" }',
      "}",
    ].join("\n");
    const analysis = await analyze({ "config.alloy": traces });
    expect(analysis.facts.all("logShipping")).toEqual([]);
    const logs = traces.replace("traces = [", "logs = [");
    expect((await detect("monitoring/log-aggregation", { "config.alloy": logs })).status).toBe("pass");
  });

  it("the alloy chart's configMap.content in a HelmRelease is read as River", async () => {
    const release = [
      "apiVersion: helm.toolkit.fluxcd.io/v2",
      "kind: HelmRelease",
      "metadata:",
      "  name: alloy",
      "spec:",
      "  chart:",
      "    spec:",
      "      chart: alloy",
      "      sourceRef: {kind: HelmRepository, name: grafana}",
      "  values:",
      "    alloy:",
      "      configMap:",
      "        content: |",
      ...SHIPPING.split("\n").map((l) => `          ${l}`),
    ].join("\n");
    const result = await detect("monitoring/log-aggregation", {
      "kubernetes/apps/o11y/alloy/helmrelease.yaml": release,
    });
    expect(result.status).toBe("pass");
  });
});
