import { describe, expect, test } from "vitest";
import { detect } from "../helpers.js";
import { analyzed, fixture } from "./fixture.js";

describe("Alertmanager", () => {
  test("a sub-route to a receiver with an integration is real routing", async () => {
    const files = { "alertmanager/alertmanager.yml": fixture("alertmanager/alertmanager.yml") };
    const { facts, findings } = await analyzed(files);
    expect(facts.all("alertRouting")).toEqual([
      {
        path: "alertmanager/alertmanager.yml",
        line: 1,
        tool: "alertmanager",
        receivers: ["null", "oncall"],
        realReceivers: ["oncall"],
        routedTo: ["null", "oncall"],
      },
    ]);
    expect(findings).toEqual([]);
    const result = await detect("monitoring/alert-routing", files);
    expect(result.status).toBe("pass");
    expect(result.evidence).toEqual([
      { path: "alertmanager/alertmanager.yml", line: 1, note: "alertmanager routes to oncall" },
    ]);
  });

  test("routing only to a null receiver drops alerts: a warning, and the signal fails", async () => {
    const files = { "alertmanager.yml": fixture("alertmanager/null-only.yml") };
    expect((await analyzed(files)).rules).toEqual(["monitoring/alerts-go-nowhere"]);
    const result = await detect("monitoring/alert-routing", files);
    expect(result).toMatchObject({ status: "fail", reasonId: "no-real-receiver" });
    expect(result.evidence?.[0]?.path).toBe("alertmanager.yml");
  });

  test("a route to an undeclared receiver is an error and no routing", async () => {
    const files = { "alertmanager.yml": fixture("alertmanager/unknown-receiver.yml") };
    const { facts, rules } = await analyzed(files);
    expect(rules).toEqual(["monitoring/unknown-receiver"]);
    expect(facts.all("alertRouting")).toEqual([]);
  });
});

describe("Grafana", () => {
  test("dashboards count panels, rows' collapsed panels included", async () => {
    const { facts } = await analyzed({ "grafana/dashboards/api.json": fixture("grafana/api.json") });
    expect(facts.all("dashboard")).toEqual([
      { path: "grafana/dashboards/api.json", line: 5, tool: "grafana", title: "API overview", panels: 2 },
    ]);
  });

  test("an API export (`dashboard.panels`) is a dashboard too", async () => {
    const { facts } = await analyzed({
      "dashboards/x.json": JSON.stringify({ dashboard: { title: "X", panels: [{ type: "graph" }] } }),
    });
    expect(facts.all("dashboard").map((d) => d.panels)).toEqual([1]);
  });

  test("an empty dashboard, other JSON and broken JSON are not dashboards", async () => {
    const files = {
      "grafana/dashboards/empty.json": fixture("grafana/empty.json"),
      "grafana/dashboards/package.json": '{"name": "x", "panels": "no"}',
      "grafana/dashboards/broken.json": '{"title": "x", "panels": [',
    };
    const { facts, rules } = await analyzed(files);
    expect(facts.all("dashboard")).toEqual([]);
    expect(rules.sort()).toEqual(["monitoring/empty-dashboard", "monitoring/parse-error"]);
    expect(await detect("monitoring/dashboards", files)).toMatchObject({ status: "fail", reasonId: "no-dashboards" });
  });

  test("alerting provisioning: rules are alerts (paused ones are not), contact points route", async () => {
    const files = { "grafana/provisioning/alerting/api.yml": fixture("grafana/alerting.yml") };
    const { facts, findings } = await analyzed(files);
    expect(facts.all("alert").map((a) => [a.name, a.tool, a.severity, a.line])).toEqual([
      ["High latency", "grafana", "warning", 8],
    ]);
    expect(facts.all("alertRouting")).toMatchObject([
      { tool: "grafana", realReceivers: ["team-slack"], routedTo: ["team-slack"] },
    ]);
    expect(findings).toEqual([]);
    expect((await detect("monitoring/alert-rules", files)).status).toBe("pass");
  });

  test("a Grafana rule without condition is an error, not an alert", async () => {
    const text = "apiVersion: 1\ngroups:\n  - name: g\n    folder: f\n    rules:\n      - title: T\n        data: []\n";
    const { facts, rules } = await analyzed({ "grafana/alerting.yml": text });
    expect(facts.all("alert")).toEqual([]);
    expect(rules).toEqual(["monitoring/invalid-rule"]);
  });
});
