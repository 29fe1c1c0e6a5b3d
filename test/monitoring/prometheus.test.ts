import { describe, expect, test } from "vitest";
import { detect } from "../helpers.js";
import { analyzed, fixture } from "./fixture.js";

describe("Prometheus config", () => {
  test("scrape jobs, rule files and alertmanagers", async () => {
    const { facts, findings } = await analyzed({ "monitoring/prometheus.yml": fixture("prometheus/prometheus.yml") });
    expect(facts.all("scrape")).toEqual([
      {
        path: "monitoring/prometheus.yml",
        line: 9,
        tool: "prometheus",
        jobs: ["api", "node"],
        ruleFiles: ["alerts/*.rules.yml"],
        alertmanagers: true,
      },
    ]);
    expect(findings).toEqual([]);
    expect(
      (await detect("monitoring/metrics-collected", { "prometheus.yml": fixture("prometheus/prometheus.yml") })).status,
    ).toBe("pass");
  });

  test("a scrape job without job_name is an error; rule files without alertmanager a note", async () => {
    const { rules } = await analyzed({
      "prometheus.yml": "rule_files: [a.yml]\nscrape_configs:\n  - static_configs: [{targets: [x]}]\n",
    });
    expect(rules).toEqual(["monitoring/scrape-job-without-name", "monitoring/alerts-not-sent"]);
  });
});

describe("Prometheus rule files", () => {
  test("alerts with name, expr, severity and line; recording rules are not alerts", async () => {
    const { facts } = await analyzed({ "monitoring/api.rules.yml": fixture("prometheus/api.rules.yml") });
    const alerts = facts.all("alert");
    expect(alerts.map((a) => [a.name, a.line, a.severity, a.group])).toEqual([
      ["HighErrorRate", 7, "critical", "api"],
      ["InstanceDown", 14, undefined, "api"],
    ]);
    expect(alerts[0]!.expr).toContain("http_requests_total");
  });

  test("an alert without severity gets a note", async () => {
    const { findings } = await analyzed({ "monitoring/api.rules.yml": fixture("prometheus/api.rules.yml") });
    expect(findings.map((f) => [f.rule, f.line])).toEqual([["monitoring/alert-without-severity", 14]]);
  });

  test("a file of recording rules only has no alert", async () => {
    const result = await detect("monitoring/alert-rules", {
      "prometheus/recording.rules.yml": fixture("prometheus/recording-only.rules.yml"),
    });
    expect(result).toMatchObject({ status: "fail", reasonId: "no-alert-rules" });
  });

  test("a commented-out rule file has no alert and no finding", async () => {
    const files = { "prometheus/alerts.rules.yml": fixture("prometheus/commented-out.rules.yml") };
    expect(await detect("monitoring/alert-rules", files)).toMatchObject({ status: "fail", reasonId: "no-alert-rules" });
    expect((await analyzed(files)).findings).toEqual([]);
  });

  test("an alert without expr is an error and Prometheus refuses the whole file", async () => {
    const files = { "prometheus/alerts.yml": fixture("prometheus/no-expr.rules.yml") };
    const { facts, findings } = await analyzed(files);
    expect(facts.all("alert")).toEqual([]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: "monitoring/invalid-rule", line: 4, severity: "error" });
    expect(findings[0]!.message).toContain("HighErrorRate");
  });

  test("malformed YAML is a parse-error finding with its line, not a crash", async () => {
    const { facts, findings } = await analyzed({ "prometheus/alerts.yml": fixture("prometheus/broken.rules.yml") });
    expect(facts.all("alert")).toEqual([]);
    expect(findings.map((f) => f.rule)).toEqual(["monitoring/parse-error"]);
    expect(findings[0]!.line).toBeGreaterThan(1);
  });

  test("wrong types are findings, not crashes", async () => {
    const { rules } = await analyzed({
      "monitoring/a.rules.yml": "groups:\n  - name: x\n    rules: 3\n",
      "monitoring/b.rules.yml": "groups:\n  - rules:\n      - alert: [1]\n        expr: 7\n",
      "monitoring/c.rules.yml": "groups:\n  - 12\n  - name: y\n    rules: [{alert: A, expr: up, labels: 5}]\n",
      "monitoring/empty.rules.yml": "",
    });
    expect(rules).toEqual([
      "monitoring/invalid-rule",
      "monitoring/invalid-rule",
      "monitoring/invalid-rule",
      "monitoring/invalid-rule",
    ]);
  });

  test("a word in a README is not an alert", async () => {
    const result = await detect("monitoring/alert-rules", {
      "README.md": fixture("prometheus/README.md"),
      "docs/monitoring.md": fixture("prometheus/README.md"),
    });
    expect(result).toMatchObject({ status: "fail", reasonId: "no-alert-rules" });
  });

  test("a Helm template that is not YAML yet is skipped without a finding", async () => {
    const { findings } = await analyzed({
      "monitoring/alerts.yml": "groups:\n{{- range .Values.groups }}\n  - name: {{ .name }}\n{{- end }}\n",
    });
    expect(findings).toEqual([]);
  });

  test("vendored rule files are never evidence", async () => {
    const result = await detect("monitoring/alert-rules", {
      "vendor/kube-prometheus/alerts.rules.yml": fixture("prometheus/api.rules.yml"),
    });
    expect(result).toMatchObject({ status: "fail", reasonId: "no-alert-rules" });
  });

  test("files are chosen by name and folder, not every YAML", async () => {
    const { facts } = await analyzed({
      "config/settings.yml": fixture("prometheus/api.rules.yml"),
      "ops/prometheus/rules/api.yml": fixture("prometheus/api.rules.yml"),
    });
    expect(facts.all("alert").map((a) => a.path)).toEqual([
      "ops/prometheus/rules/api.yml",
      "ops/prometheus/rules/api.yml",
    ]);
  });
});
