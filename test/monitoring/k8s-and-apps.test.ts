import { describe, expect, test } from "vitest";
import { monitoringDetectors } from "../../src/detectors/monitoring.js";
import { FactStore } from "../../src/engine/facts.js";
import { detectContext } from "../../src/engine/scan.js";
import { condition, detect } from "../helpers.js";
import { fixture } from "./fixture.js";

describe("Kubernetes monitoring objects (from the infra analyzer's k8s facts)", () => {
  const files = { "deploy/k8s/monitoring.yaml": fixture("k8s/prometheusrule.yaml") };

  test("a PrometheusRule alert passes alert-rules at the object", async () => {
    const result = await detect("monitoring/alert-rules", files);
    expect(result).toMatchObject({
      status: "pass",
      evidence: [{ path: "deploy/k8s/monitoring.yaml", line: 1, note: "prometheus-operator alert ApiDown (critical)" }],
    });
  });

  test("a ServiceMonitor collects metrics; an AlertmanagerConfig routes to Slack", async () => {
    expect(await detect("monitoring/metrics-collected", files)).toMatchObject({
      status: "pass",
      evidence: [{ note: "servicemonitor: api" }],
    });
    expect(await detect("monitoring/alert-routing", files)).toMatchObject({
      status: "pass",
      evidence: [{ note: "alertmanager-operator routes to slack" }],
    });
  });

  test("a PrometheusRule of recording rules only is no alert", async () => {
    expect(
      await detect("monitoring/alert-rules", { "k8s/rules.yaml": fixture("k8s/recording-only-rule.yaml") }),
    ).toMatchObject({ status: "fail", reasonId: "no-alert-rules" });
  });

  test('the prometheus.io/scrape annotation on a pod template counts; "false" does not', async () => {
    const deployment = (scrape: string) =>
      `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n  template:\n` +
      `    metadata:\n      annotations: {prometheus.io/scrape: "${scrape}"}\n    spec:\n` +
      `      containers: [{name: api, image: "api:1"}]\n`;
    expect((await detect("monitoring/metrics-collected", { "k8s/api.yaml": deployment("true") })).status).toBe("pass");
    expect(await detect("monitoring/metrics-collected", { "k8s/api.yaml": deployment("false") })).toMatchObject({
      status: "fail",
      reasonId: "no-metrics-collection",
    });
  });

  test("a Grafana dashboard ConfigMap for the sidecar is a dashboard", () => {
    const facts = new FactStore();
    facts.add("k8s", {
      path: "k8s/dash.yaml",
      line: 1,
      apiVersion: "v1",
      kind: "ConfigMap",
      name: "dash",
      doc: {
        metadata: { name: "dash", labels: { grafana_dashboard: "1" } },
        data: { "api.json": JSON.stringify({ title: "API", panels: [{ type: "stat" }, { type: "graph" }] }) },
      },
    });
    facts.add("k8s", {
      path: "k8s/other.yaml",
      line: 1,
      apiVersion: "v1",
      kind: "ConfigMap",
      doc: { data: { "x.json": '{"panels": [1]}' } },
    });
    const result = monitoringDetectors["monitoring/dashboards"]!(detectContext({ paths: [], facts }), {});
    expect(result).toMatchObject({
      status: "pass",
      evidence: [{ path: "k8s/dash.yaml", line: 1, note: 'grafana dashboard "API"' }],
    });
  });
});

describe("metrics libraries (from manifest facts)", () => {
  test("prom-client in package.json dependencies passes at its line", async () => {
    const pkg = JSON.stringify({ name: "api", dependencies: { express: "^4", "prom-client": "^15" } }, null, 2);
    const result = await detect("monitoring/metrics-instrumented", { "package.json": pkg });
    expect(result).toMatchObject({
      status: "pass",
      evidence: [{ path: "package.json", line: 5, note: "metrics library prom-client" }],
    });
  });

  test("a dev-only dependency, or none, does not count", async () => {
    const dev = JSON.stringify(
      { name: "api", dependencies: { express: "^4" }, devDependencies: { "prom-client": "^15" } },
      null,
      2,
    );
    expect(await detect("monitoring/metrics-instrumented", { "package.json": dev })).toMatchObject({
      status: "fail",
      reasonId: "no-metrics-library",
    });
  });

  test("OpenTelemetry SDKs: the Node trace SDK, a framework's plugin, Azure Monitor's distro; an API-only package is not", () => {
    const facts = new FactStore();
    const manifest = (path: string, ecosystem: "npm" | "python", name: string) =>
      facts.add("manifest", { path, ecosystem, dependencies: [name], declared: [{ name, line: 3 }], scripts: {} });
    manifest("api/package.json", "npm", "@opentelemetry/sdk-trace-node");
    manifest("bun/package.json", "npm", "@elysiajs/opentelemetry");
    manifest("src/requirements.txt", "python", "azure-monitor-opentelemetry");
    manifest("web/package.json", "npm", "@opentelemetry/api");
    const result = monitoringDetectors["monitoring/metrics-instrumented"]!(detectContext({ paths: [], facts }), {});
    expect(result.evidence?.map((e) => e.path)).toEqual([
      "api/package.json",
      "bun/package.json",
      "src/requirements.txt",
    ]);
  });

  test("hand-built manifest facts: Go, Maven and Python names", () => {
    const facts = new FactStore();
    const manifest = (path: string, ecosystem: "go" | "maven" | "python", name: string) =>
      facts.add("manifest", { path, ecosystem, dependencies: [name], declared: [{ name, line: 7 }], scripts: {} });
    manifest("go.mod", "go", "github.com/prometheus/client_golang");
    manifest("pom.xml", "maven", "io.micrometer:micrometer-registry-prometheus");
    manifest("requirements.txt", "python", "prometheus_client");
    manifest("other/requirements.txt", "python", "prometheus-api-client-extra");
    const result = monitoringDetectors["monitoring/metrics-instrumented"]!(detectContext({ paths: [], facts }), {});
    expect(result.evidence?.map((e) => e.path)).toEqual(["go.mod", "pom.xml", "requirements.txt"]);
  });
});

describe("health checks and whether they apply", () => {
  test("a Dockerfile HEALTHCHECK passes; HEALTHCHECK NONE does not", async () => {
    const ok = await detect("monitoring/health-checks", {
      Dockerfile: "FROM node:20\nHEALTHCHECK CMD curl -f http://localhost/ || exit 1\n",
    });
    expect(ok).toMatchObject({ status: "pass", evidence: [{ path: "Dockerfile", line: 2 }] });
    const none = await detect("monitoring/health-checks", { Dockerfile: "FROM node:20\nHEALTHCHECK NONE\n" });
    expect(none).toMatchObject({ status: "fail", reasonId: "no-health-checks" });
  });

  test("a repository without services is not applicable, with one it is", async () => {
    expect((await condition("runs-services", { "src/index.ts": "export {}" })).holds).toBe(false);
    expect((await condition("runs-services", { Dockerfile: "FROM node:20\n" })).holds).toBe(true);
  });
});

describe("configs embedded in ConfigMaps", () => {
  const configMap = (name: string, data: Record<string, string>) =>
    `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}}\ndata:\n` +
    Object.entries(data)
      .map(
        ([k, v]) =>
          `  ${k}: |\n${v
            .split("\n")
            .map((l) => `    ${l}`)
            .join("\n")}\n`,
      )
      .join("");

  test("a Fluent Bit ConfigMap with an included output file ships logs", async () => {
    const text = configMap("fluent-bit-config", {
      "fluent-bit.conf":
        "[INPUT]\n    Name tail\n    Path /var/log/containers/*.log\n@INCLUDE output-elasticsearch.conf",
      "output-elasticsearch.conf": "[OUTPUT]\n    Name es\n    Match *\n    Host elasticsearch",
    });
    const result = await detect("monitoring/log-aggregation", { "k8s/logging/fluent-bit-configmap.yaml": text });
    expect(result).toMatchObject({
      status: "pass",
      evidence: [{ path: "k8s/logging/fluent-bit-configmap.yaml", line: 1, note: "fluent-bit → es" }],
    });
  });

  test("Prometheus rules and config inside a ConfigMap", async () => {
    const text = configMap("prometheus", {
      "prometheus.yml": "scrape_configs:\n  - job_name: api\n    static_configs: [{targets: ['api:9100']}]",
      "alerting_rules.yml": fixture("prometheus/api.rules.yml"),
    });
    const files = { "k8s/prometheus-configmap.yaml": text };
    expect(await detect("monitoring/alert-rules", files)).toMatchObject({
      status: "pass",
      evidence: [{ path: "k8s/prometheus-configmap.yaml", line: 1 }],
    });
    expect((await detect("monitoring/metrics-collected", files)).status).toBe("pass");
  });

  test("a ConfigMap of stdout-only Fluent Bit, or of unrelated data, is no aggregation", async () => {
    const stdout = configMap("fb", {
      "fluent-bit.conf": "[INPUT]\n    Name tail\n[OUTPUT]\n    Name stdout\n    Match *",
    });
    expect(await detect("monitoring/log-aggregation", { "k8s/fb.yaml": stdout })).toMatchObject({
      status: "fail",
      reasonId: "logs-shipped-nowhere",
    });
    const other = configMap("app", {
      "settings.yml": "log_level: info\nloki: enabled",
      "broken.yml": "a: [",
      "x.conf": "[OUTPUT",
    });
    expect(await detect("monitoring/log-aggregation", { "k8s/app.yaml": other })).toMatchObject({
      status: "fail",
      reasonId: "no-log-shipping",
    });
  });
});

describe("Kubernetes monitoring objects kept with the monitoring configs", () => {
  test("a PrometheusRule under prometheus/ (a folder the infra analyzer leaves alone) is read here, with the alert's line", async () => {
    const files = { "monitoring/prometheus/api-rules.yaml": fixture("k8s/prometheusrule.yaml") };
    expect(await detect("monitoring/alert-rules", files)).toMatchObject({
      status: "pass",
      evidence: [
        { path: "monitoring/prometheus/api-rules.yaml", line: 9, note: "prometheus-operator alert ApiDown (critical)" },
      ],
    });
    expect((await detect("monitoring/metrics-collected", files)).status).toBe("pass");
    expect((await detect("monitoring/alert-routing", files)).status).toBe("pass");
  });

  test("a manifest the infra analyzer reads is not counted twice", async () => {
    const result = await detect("monitoring/alert-rules", {
      "k8s/prometheusrule.yaml": fixture("k8s/prometheusrule.yaml"),
    });
    expect(result.evidence).toHaveLength(1);
  });
});

describe("cloud alerting resources (from Terraform facts)", () => {
  const alarm = (extra: string) =>
    `resource "aws_sns_topic" "alerts" {\n  name = "alerts"\n}\n\n` +
    `resource "aws_cloudwatch_metric_alarm" "api_5xx" {\n  alarm_name          = "api-5xx"\n` +
    `  comparison_operator = "GreaterThanThreshold"\n  evaluation_periods  = 2\n` +
    `  metric_name         = "HTTPCode_Target_5XX_Count"\n` +
    `  namespace           = "AWS/ApplicationELB"\n  period              = 60\n` +
    `  statistic           = "Sum"\n  threshold           = 10\n${extra}}\n`;

  test("a CloudWatch alarm with alarm actions is an alert that is routed", async () => {
    const files = { "infra/alarms.tf": alarm("  alarm_actions = [aws_sns_topic.alerts.arn]\n") };
    expect(await detect("monitoring/alert-rules", files)).toMatchObject({
      status: "pass",
      evidence: [{ path: "infra/alarms.tf", line: 5, note: "cloudwatch alert api_5xx" }],
    });
    expect((await detect("monitoring/alert-routing", files)).status).toBe("pass");
  });

  test("an alarm without actions is not routed; `count = 0` switches it off", async () => {
    expect(await detect("monitoring/alert-routing", { "infra/alarms.tf": alarm("") })).toMatchObject({
      status: "fail",
      reasonId: "no-alert-routing",
    });
    expect(await detect("monitoring/alert-rules", { "infra/alarms.tf": alarm("  count = 0\n") })).toMatchObject({
      status: "fail",
      reasonId: "no-alert-rules",
    });
  });
});
