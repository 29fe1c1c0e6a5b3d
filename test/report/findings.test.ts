// Findings lead with what matters: config first, then severity, task (rubric order), path; identical ones fold.
import { describe, expect, it } from "vitest";
import { taskOfFinding } from "../../src/engine/finding-task.js";
import type { Finding } from "../../src/engine/types.js";
import { foldFindings, orderFindings } from "../../src/report/findings.js";
import { readFolder, scanFiles } from "../helpers.js";

const f = (rule: string, severity: Finding["severity"], path: string, line = 1, message = "m"): Finding => ({
  rule,
  severity,
  path,
  line,
  message,
});

describe("orderFindings", () => {
  it("puts the config first, then errors before warnings before notes, then tasks in rubric order, then paths", () => {
    const findings = [
      f("ci/unpinned-action", "note", ".github/workflows/a.yml"),
      f("scan/binary-file", "error", "a.bin"),
      f("dockerfile/sudo_usage", "error", "b/Dockerfile"),
      f("shell/parse-error", "error", "z.sh"),
      f("dockerfile/sudo_usage", "error", "a/Dockerfile", 9),
      f("dockerfile/sudo_usage", "error", "a/Dockerfile", 3),
      f("k8s/privileged", "warning", "k.yaml"),
      f("config/invalid", "warning", ".github/devops-ladder.yml"),
    ];
    expect(orderFindings(findings).map((x) => `${x.rule} ${x.path}:${x.line}`)).toEqual([
      "config/invalid .github/devops-ladder.yml:1",
      "shell/parse-error z.sh:1", // deploy comes before docker in the rubric
      "dockerfile/sudo_usage a/Dockerfile:3",
      "dockerfile/sudo_usage a/Dockerfile:9",
      "dockerfile/sudo_usage b/Dockerfile:1",
      "scan/binary-file a.bin:1", // about the scan, not a task: after the tasks
      "k8s/privileged k.yaml:1",
      "ci/unpinned-action .github/workflows/a.yml:1",
    ]);
  });

  it("folds identical findings into the first, with a count; a different line or message stays apart", () => {
    const same = f("dockerfile/sudo_usage", "warning", "image/base/Dockerfile", 166, "sudo");
    const folded = foldFindings([
      same,
      { ...same },
      { ...same, line: 167 },
      { ...same },
      { ...same, message: "other" },
      { ...same },
      { ...same },
    ]);
    expect(folded.map((x) => [x.finding.line, x.finding.message, x.count])).toEqual([
      [166, "sudo", 5],
      [166, "other", 1],
      [167, "sudo", 1],
    ]);
  });

  it("knows the task of every finding the fixtures produce, except those about the scan and the config", async () => {
    const report = await scanFiles(readFolder("fixtures/repos/broken"));
    const rules = [...new Set(report.findings.map((x) => x.rule))];
    expect(rules.length).toBeGreaterThan(5);
    for (const rule of rules) {
      if (rule.startsWith("scan/") || rule.startsWith("config/")) expect(taskOfFinding(rule), rule).toBeUndefined();
      else expect(taskOfFinding(rule), rule).toBeDefined();
    }
  });
});
