// SARIF for code scanning: a result per failing signal and per finding, described rules, stable fingerprints
// and category, valid against the SARIF 2.1.0 schema.
import { describe, expect, it } from "vitest";
import { defaultRules } from "../../src/engine/index.js";
import type { Report } from "../../src/engine/report.js";
import { describeRule, sarifLog } from "../../src/report/sarif.js";
import { scanFiles } from "../helpers.js";
import { sarifErrors } from "../sarif-schema.js";

const rules = defaultRules();
const WORKFLOW =
  "on: [push]\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: npm test\n";
const files = { Dockerfile: "FROM node:latest\nCMD node s.js\n", ".github/workflows/ci.yml": WORKFLOW };

/** The fix is in the application's code, anywhere; a failing down-migrations always has its migration as evidence. */
const WITHOUT_FIX_FILE = new Set(["monitoring/metrics-instrumented", "backups/down-migrations"]);

function run(report: Report, options = {}) {
  return sarifLog(report, rules, options).runs[0]!;
}

describe("SARIF", () => {
  it("validates against the SARIF 2.1.0 schema, with rules and results", async () => {
    const log = sarifLog(await scanFiles(files, "ignore: [x]\nbogus: 1\n"), rules);
    expect(sarifErrors(JSON.parse(JSON.stringify(log)))).toEqual([]);
  });

  it("has one result per failing signal: at its evidence, or at the file the fix goes in", async () => {
    const report = await scanFiles(files);
    const failing = report.tasks.flatMap((t) => t.signals).filter((s) => s.status === "fail");
    const results = run(report).results.filter((r) => failing.some((s) => s.id === r.ruleId));
    expect(results).toHaveLength(failing.length);
    const nonRoot = results.find((r) => r.ruleId === "docker/non-root-user")!;
    expect(nonRoot.locations[0]!.physicalLocation).toEqual({
      artifactLocation: { uri: "Dockerfile", uriBaseId: "%SRCROOT%" },
      region: { startLine: 1 },
    });
    const dependabot = results.find((r) => r.ruleId === "monitoring/dependency-updates")!;
    expect(dependabot.locations[0]!.physicalLocation.artifactLocation.uri).toBe(".github/dependabot.yml");
    expect(dependabot.message.text).toContain("Add it in .github/dependabot.yml.");
    // passing and not-applicable signals have no result
    const passing = report.tasks.flatMap((t) => t.signals).filter((s) => s.status !== "fail");
    for (const s of passing) expect(run(report).results.some((r) => r.ruleId === s.id)).toBe(false);
  });

  it("describes every rule: short and full description, help, helpUri and a level", async () => {
    const r = run(await scanFiles(files));
    expect(r.tool.driver.rules.length).toBe(
      rules.tasks.flatMap((t) => t.signals).length + new Set((await scanFiles(files)).findings.map((f) => f.rule)).size,
    );
    for (const rule of r.tool.driver.rules) {
      expect(rule.shortDescription.text.length, rule.id).toBeGreaterThan(3);
      expect(rule.fullDescription.text.length, rule.id).toBeGreaterThan(rule.shortDescription.text.length);
      expect(rule.help.text.length, rule.id).toBeGreaterThan(10);
      expect(rule.helpUri, rule.id).toMatch(
        /^https:\/\/github\.com\/devops-ladder\/devops-ladder\/blob\/v[\d.]+\/docs\//,
      );
      expect(["error", "warning", "note"]).toContain(rule.defaultConfiguration.level);
    }
    const alerts = r.tool.driver.rules.find((x) => x.id === "monitoring/alert-rules")!;
    expect(alerts.helpUri).toMatch(/docs\/rules\/monitoring\.md#alert-rules$/);
    expect(alerts.defaultConfiguration.level).toBe("warning"); // a Senior milestone needs it
    expect(r.tool.driver.rules.find((x) => x.id === "docker/healthcheck")!.defaultConfiguration.level).toBe("note");
    expect(describeRule("ci/unpinned-action")).toBe("CI: unpinned action");
    expect(describeRule("dockerfile/sudo_usage")).toBe("Dockerfile: sudo usage");
  });

  it("gives security rules a security-severity and the security tag, and only them", async () => {
    const r = run(await scanFiles(files));
    const byId = new Map(r.tool.driver.rules.map((x) => [x.id, x]));
    expect(byId.get("cicd/token-permissions")!.properties).toMatchObject({ "security-severity": "7.0" });
    expect(byId.get("cicd/token-permissions")!.properties.tags).toContain("security");
    expect(byId.get("ci/unpinned-action")!.properties["security-severity"]).toBe("5.0");
    expect(byId.get("docs" in byId ? "x" : "coordination/changelog")!.properties).not.toHaveProperty(
      "security-severity",
    );
    expect(byId.get("coordination/changelog")!.properties.tags).not.toContain("security");
  });

  it("keeps fingerprints when lines move, and tells identical findings apart by occurrence", async () => {
    const before = run(await scanFiles(files));
    const shifted = run(
      await scanFiles({ ...files, Dockerfile: "# syntax=docker/dockerfile:1\n\nFROM node:latest\nCMD node s.js\n" }),
    );
    const print = (r: typeof before, id: string) =>
      r.results.filter((x) => x.ruleId === id).map((x) => x.partialFingerprints);
    expect(print(shifted, "docker/unpinned-base-image")).toEqual(print(before, "docker/unpinned-base-image"));
    expect(print(shifted, "docker/non-root-user")).toEqual(print(before, "docker/non-root-user"));
    const lines = shifted.results.find((x) => x.ruleId === "docker/unpinned-base-image")!.locations[0]!;
    expect(lines.physicalLocation.region.startLine).toBe(3);

    const report = await scanFiles(files);
    const twice = { ...report, findings: [...report.findings, ...report.findings] };
    const prints = run(twice)
      .results.filter((x) => x.ruleId === "ci/unpinned-action")
      .map((x) => Object.values(x.partialFingerprints)[0]);
    expect(new Set(prints).size).toBe(prints.length);
    expect(prints.map((p) => p!.split(":")[1]).sort()).toEqual(["1", "2"]);
  });

  it("has a category that does not depend on the path typed, and locations relative to the repository", async () => {
    const report = await scanFiles(files);
    const ids = ["./", ".", "", undefined].map(
      (p) => run({ ...report, target: { kind: "local", root: p ?? "x" } }).automationDetails.id,
    );
    expect(new Set(ids)).toEqual(new Set(["devops-ladder/"]));
    for (const prefix of ["services/api", "./services/api/", "services//api"]) {
      const r = run(report, { pathPrefix: prefix });
      expect(r.automationDetails.id).toBe("devops-ladder/services/api/");
      const uris = r.results.map((x) => x.locations[0]!.physicalLocation.artifactLocation.uri);
      expect(uris.every((u) => u.startsWith("services/api/"))).toBe(true);
    }
  });

  it("names a file for every signal of the rubric, for when a failing signal has no evidence", () => {
    for (const s of rules.tasks.flatMap((t) => t.signals)) {
      if (WITHOUT_FIX_FILE.has(s.id)) continue;
      expect(s.fixFile, s.id).toMatch(/^[^/].*[^/]$/);
    }
  });
});
