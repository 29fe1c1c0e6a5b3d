import { describe, expect, test } from "vitest";
import { detect } from "../helpers.js";
import { analyzed, fixture } from "./fixture.js";

async function shipping(path: string, fixtureName: string) {
  const { facts, findings } = await analyzed({ [path]: fixture(`logs/${fixtureName}`) });
  return { facts: facts.all("logShipping"), rules: findings.map((f) => f.rule), findings };
}

describe("log shippers with a remote output", () => {
  test.each([
    ["promtail/promtail.yml", "promtail.yml", "promtail", ["loki"], 6],
    ["fluent-bit/fluent-bit.conf", "fluent-bit.conf", "fluent-bit", ["es"], 10],
    ["fluent-bit.yaml", "fluent-bit.yaml", "fluent-bit", ["loki"], 6],
    ["fluentd/fluent.conf", "fluent.conf", "fluentd", ["elasticsearch"], 12],
    ["vector.toml", "vector.toml", "vector", ["loki"], 9],
    ["filebeat.yml", "filebeat.yml", "filebeat", ["logstash"], 7],
    ["logstash/pipeline/logstash.conf", "logstash.conf", "logstash", ["elasticsearch"], 11],
    ["otel/otel-collector.yaml", "otel-collector.yaml", "otel-collector", ["otlphttp"], 19],
  ])("%s ships to %j", async (path, name, tool, sinks, line) => {
    const { facts, rules } = await shipping(path, name);
    expect(facts).toMatchObject([{ path, tool, sinks, line, role: "shipper" }]);
    expect(rules).toEqual([]);
  });

  test("the OTel metrics pipeline counts as metrics collection", async () => {
    const { facts } = await analyzed({ "otel/otel-collector.yaml": fixture("logs/otel-collector.yaml") });
    expect(facts.all("scrape")).toMatchObject([{ tool: "otel-collector", jobs: ["otlp"] }]);
  });
});

describe("log shippers that send logs nowhere", () => {
  test.each([
    ["promtail.yml", "promtail-no-clients.yml"],
    ["fluent-bit.conf", "fluent-bit-stdout.conf"],
    ["fluentd/fluent.conf", "fluent-stdout.conf"],
    ["vector.toml", "vector-console.toml"],
    ["filebeat.yml", "filebeat-console.yml"],
    ["logstash.conf", "logstash-stdout.conf"],
    ["otel-collector.yaml", "otel-debug-only.yaml"],
  ])("%s (%s) is a warning and no aggregation", async (path, name) => {
    const { facts, rules } = await shipping(path, name);
    expect(facts).toHaveLength(1);
    expect(facts[0]!.sinks).toEqual([]);
    expect(rules).toEqual(["monitoring/logs-not-shipped"]);
    const result = await detect("monitoring/log-aggregation", { [path]: fixture(`logs/${name}`) });
    expect(result).toMatchObject({ status: "fail", reasonId: "logs-shipped-nowhere" });
    expect(result.evidence).toMatchObject([{ path }]);
  });

  test("a Loki server alone is a store nothing ships to", async () => {
    const files = { "loki/loki.yaml": fixture("logs/loki.yaml") };
    const result = await detect("monitoring/log-aggregation", files);
    expect(result).toMatchObject({ status: "fail", reasonId: "no-shipper-to-store" });
    const both = await detect("monitoring/log-aggregation", {
      ...files,
      "promtail/promtail.yml": fixture("logs/promtail.yml"),
    });
    expect(both.status).toBe("pass");
    expect(both.evidence?.map((e) => e.path)).toEqual(["promtail/promtail.yml", "loki/loki.yaml"]);
  });

  test("an OTel pipeline naming an undeclared exporter is an error", async () => {
    const text =
      "receivers: {otlp: {}}\nexporters: {debug: {}}\nservice:\n  pipelines:\n    logs: {receivers: [otlp], exporters: [loki]}\n";
    const { facts, rules } = await analyzed({ "otel-collector.yaml": text });
    expect(rules).toEqual(["monitoring/invalid-pipeline"]);
    expect(facts.all("logShipping")).toEqual([]);
  });

  test("a Filebeat whose inputs are all disabled reads nothing", async () => {
    const text = "filebeat.inputs:\n  - type: log\n    enabled: false\noutput.elasticsearch:\n  hosts: [es]\n";
    const { facts, rules } = await analyzed({ "filebeat.yml": text });
    expect(facts.all("logShipping")).toEqual([]);
    expect(rules).toEqual(["monitoring/logs-not-shipped"]);
  });

  test("a Fluent Bit parsers file and an @INCLUDE-only main file say nothing", async () => {
    const { facts, findings } = await analyzed({
      "fluent-bit/parsers.conf": "[PARSER]\n    Name json\n    Format json\n",
      "fluent-bit/fluent-bit.conf": "[INPUT]\n    Name tail\n@INCLUDE outputs.conf\n",
    });
    expect(facts.all("logShipping")).toEqual([]);
    expect(findings).toEqual([]);
  });
});

describe("malformed log shipper configs", () => {
  test.each([
    ["fluentd/fluent.conf", fixture("logs/fluent-unclosed.conf"), 1],
    ["fluent-bit.conf", "Name tail\n[INPUT]\n", 1],
    ["fluent-bit.conf", "[INPUT\n    Name tail\n", 1],
    ["vector.toml", "[sinks.loki\ntype = 'loki'\n", 1],
    ["logstash.conf", "input { beats { port => 5044 }\noutput { stdout {} }\n", 2],
    ["logstash.conf", "inputs { }\n", 1],
    ["promtail.yml", "clients: [\n", 2],
  ])("%s → parse-error", async (path, text, line) => {
    const { findings } = await analyzed({ [path]: text });
    expect(findings.map((f) => f.rule)).toEqual(["monitoring/parse-error"]);
    expect(findings[0]!.line).toBeGreaterThanOrEqual(line);
  });
});

describe("promtail told from Prometheus", () => {
  test("scrape jobs with __path__ labels are promtail's even without clients or positions", async () => {
    const text =
      "scrape_configs:\n  - job_name: app\n    static_configs:\n      - labels: {__path__: /var/log/*.log}\n";
    const { facts, rules } = await analyzed({ "promtail/config.yml": text });
    expect(facts.all("scrape")).toEqual([]);
    expect(facts.all("logShipping")).toMatchObject([{ tool: "promtail", sinks: [] }]);
    expect(rules).toEqual(["monitoring/logs-not-shipped"]);
  });
});

describe("configs written with here-documents", () => {
  const promtail = [
    "server:",
    "  http_listen_port: 9080",
    "positions:",
    "  filename: /etc/promtail/positions.yaml",
    "clients:",
    "  - url: http://${LOKI_HOST}:3100/loki/api/v1/push",
    "scrape_configs:",
    "  - job_name: containers",
    "    static_configs:",
    "      - labels:",
    "          __path__: /var/lib/docker/containers/*/*.log",
  ];
  const workflow = (run: string[]) =>
    [
      "on:",
      "  push:",
      "    branches: [main]",
      "jobs:",
      "  deploy:",
      "    runs-on: ubuntu-latest",
      "    steps:",
      "      - name: Startup script",
      "        run: |",
      ...run.map((l) => (l ? `          ${l}` : "")),
    ].join("\n");

  test("a CI step writes a VM startup script that writes promtail.yaml: promtail ships to Loki", async () => {
    const files = {
      ".github/workflows/deploy.yml": workflow([
        "cat <<EOF > startup.sh",
        "#!/bin/bash",
        "mkdir -p /opt/promtail",
        "NAME=\\$(hostname)",
        "cat > /opt/promtail/promtail.yaml <<EOC",
        ...promtail,
        "EOC",
        "docker run -d --name promtail -v /opt/promtail:/etc/promtail grafana/promtail:2.9.4",
        "EOF",
      ]),
    };
    const r = await detect("monitoring/log-aggregation", files);
    expect(r.evidence?.map((e) => `${e.path}:${e.line} ${e.note}`)).toEqual([
      ".github/workflows/deploy.yml:15 promtail → loki",
    ]);
  });

  test("a script writes an Alloy config with a quoted delimiter", async () => {
    const alloy = [
      'local.file_match "logs" {',
      '  path_targets = [{"__path__" = "/var/log/*.log"}]',
      "}",
      'loki.source.file "logs" {',
      "  targets    = local.file_match.logs.targets",
      "  forward_to = [loki.write.central.receiver]",
      "}",
      'loki.write "central" {',
      '  endpoint { url = "https://logs.example.org/loki/api/v1/push" }',
      "}",
    ];
    const script = [
      "#!/usr/bin/env bash",
      "set -euo pipefail",
      "cat > /etc/alloy/config.alloy <<'EOF'",
      ...alloy,
      "EOF",
    ];
    const r = await detect("monitoring/log-aggregation", { "scripts/install-alloy.sh": script.join("\n") });
    expect(r.status).toBe("pass");
    expect(r.evidence?.[0]).toMatchObject({ path: "scripts/install-alloy.sh", line: 4 });
  });

  test("not shipping: a heredoc printed to stdout, a config with no clients, a heredoc to a non-config file", async () => {
    const noClients = promtail.filter((l) => !/clients:|- url:/.test(l));
    for (const run of [
      ["cat <<EOF", ...promtail, "EOF"],
      ["cat > /opt/promtail/promtail.yaml <<EOC", ...noClients, "EOC"],
      ["cat > /opt/notes.txt <<EOC", ...promtail, "EOC"],
    ]) {
      const r = await detect("monitoring/log-aggregation", { ".github/workflows/deploy.yml": workflow(run) });
      expect(r.status, run[0]).toBe("fail");
    }
  });
});
