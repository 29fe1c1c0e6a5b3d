import { describe, expect, test } from "vitest";
import { scanFiles, signalOf } from "../helpers.js";
import { fixture } from "./fixture.js";

describe("monitoring task end to end (scanFiles)", () => {
  const repo = {
    "monitoring/prometheus/prometheus.yml": fixture("prometheus/prometheus.yml"),
    "monitoring/prometheus/alerts/api.rules.yml": fixture("prometheus/api.rules.yml"),
    "monitoring/alertmanager/alertmanager.yml": fixture("alertmanager/alertmanager.yml"),
    "monitoring/promtail/promtail.yml": fixture("logs/promtail.yml"),
    "monitoring/grafana/dashboards/api.json": fixture("grafana/api.json"),
    ".github/dependabot.yml": fixture("security/dependabot.yml"),
    ".github/workflows/codeql.yml": fixture("security/codeql.yml"),
    ".github/workflows/scans.yml": fixture("security/scans-run.yml"),
    "SECURITY.md": fixture("security/SECURITY.md"),
    Dockerfile: "FROM node:20-alpine\nUSER node\nHEALTHCHECK CMD wget -qO- http://localhost:3000/healthz || exit 1\n",
    "package.json": JSON.stringify({ name: "api", dependencies: { "prom-client": "^15" } }, null, 2),
  };

  test("alert-rules and log-aggregation pass with path and line", async () => {
    const report = await scanFiles(repo);
    expect(signalOf(report, "monitoring/alert-rules")).toMatchObject({
      status: "pass",
      evidence: [
        { path: "monitoring/prometheus/alerts/api.rules.yml", line: 7 },
        { path: "monitoring/prometheus/alerts/api.rules.yml", line: 14 },
      ],
    });
    expect(signalOf(report, "monitoring/log-aggregation")).toMatchObject({
      status: "pass",
      evidence: [{ path: "monitoring/promtail/promtail.yml", line: 6, note: "promtail → loki" }],
    });
  });

  test("every monitoring signal passes on a well-equipped repository", async () => {
    const report = await scanFiles(repo);
    const task = report.tasks.find((t) => t.id === "monitoring")!;
    expect(task.signals.filter((s) => s.status !== "pass").map((s) => `${s.id}: ${s.reason}`)).toEqual([]);
    expect(task.score).toBe(100);
    for (const s of task.signals) for (const e of s.evidence) expect(e.line).toBeGreaterThan(0);
    const milestone = report.milestones.find((m) => m.id === "alerts")!;
    expect(milestone.status).toBe("pass");
  });

  test("the same files in vendored and fixture folders, and prose, score nothing", async () => {
    const report = await scanFiles({
      "node_modules/kube-prometheus/alerts.rules.yml": fixture("prometheus/api.rules.yml"),
      "test/fixtures/promtail.yml": fixture("logs/promtail.yml"),
      "README.md": fixture("prometheus/README.md"),
    });
    expect(signalOf(report, "monitoring/alert-rules")).toMatchObject({ status: "fail", reasonId: "no-alert-rules" });
    expect(signalOf(report, "monitoring/log-aggregation")).toMatchObject({
      status: "fail",
      reasonId: "no-log-shipping",
    });
    expect(report.milestones.find((m) => m.id === "alerts")!.status).toBe("fail");
  });

  test("malformed monitoring files are findings and the scan finishes", async () => {
    const report = await scanFiles({
      "prometheus/alerts.rules.yml": fixture("prometheus/broken.rules.yml"),
      "fluentd/fluent.conf": fixture("logs/fluent-unclosed.conf"),
      ".github/dependabot.yml": "\u0000\u0001binary",
      "renovate.json5": "{ extends: [",
      "grafana/dashboards/x.json": "",
      "vector.toml": "x = ",
    });
    const rules = report.findings.map((f) => `${f.path}:${f.rule}`);
    expect(rules).toEqual(
      expect.arrayContaining([
        "prometheus/alerts.rules.yml:monitoring/parse-error",
        "fluentd/fluent.conf:monitoring/parse-error",
        "renovate.json5:monitoring/parse-error",
        "vector.toml:monitoring/parse-error",
      ]),
    );
    expect(report.findings.some((f) => f.rule === "scan/analyzer-error")).toBe(false);
    expect(signalOf(report, "monitoring/alert-rules")).toMatchObject({ status: "fail", reasonId: "no-alert-rules" });
  });

  test("a finding can be suppressed in place", async () => {
    const text = fixture("prometheus/api.rules.yml").replace(
      "      - alert: InstanceDown",
      "      # devops-ladder-ignore monitoring/alert-without-severity\n      - alert: InstanceDown",
    );
    const report = await scanFiles({ "prometheus/api.rules.yml": text });
    expect(report.findings.filter((f) => f.rule === "monitoring/alert-without-severity")).toEqual([]);
  });
});
