// Through the whole engine (every domain's analyzers, the rules, the scoring), as the CLI runs it.
import { describe, expect, it } from "vitest";
import { scanFiles, signalOf } from "../helpers.js";
import { fixture } from "./run.js";

describe("coordination end to end", () => {
  it("a coordinated repository passes every coordination signal with evidence path and line", async () => {
    const report = await scanFiles(fixture("coordinated"));
    const codeowners = signalOf(report, "coordination/codeowners");
    expect(codeowners.status).toBe("pass");
    expect(codeowners.evidence[0]).toMatchObject({ path: ".github/CODEOWNERS", line: 2 });
    const task = report.tasks.find((t) => t.id === "coordination")!;
    for (const signal of task.signals) {
      expect(signal.status, signal.id).toBe("pass");
      for (const e of signal.evidence) {
        expect(e.path).toBeTruthy();
        expect(e.line, `${signal.id} ${e.path}`).toBeGreaterThan(0);
      }
    }
    expect(task.score).toBe(100);
    expect(report.findings.filter((f) => /^(codeowners|templates|release|docs)\//.test(f.rule))).toEqual([]);
  });

  it("an uncoordinated repository fails them, and its findings carry rule, line and remediation", async () => {
    const files = { ...fixture("uncoordinated"), ".github/ISSUE_TEMPLATE/form.yml": "name: x\nbody: []\n" };
    const report = await scanFiles(files);
    expect(signalOf(report, "coordination/codeowners")).toMatchObject({
      status: "fail",
      reasonId: "no-owner-assigned",
      evidence: [{ path: "CODEOWNERS", line: 1 }],
    });
    const task = report.tasks.find((t) => t.id === "coordination")!;
    expect(task.signals.map((s) => `${s.id}:${s.status}`)).toEqual([
      "coordination/codeowners:fail",
      "coordination/codeowners-devops:fail",
      "coordination/pr-template:fail",
      "coordination/issue-templates:fail",
      "coordination/contributing:fail",
      "coordination/changelog:fail",
      "coordination/release-automation:fail",
    ]);
    expect(task.score).toBe(0);
    const ours = report.findings.filter((f) => /^(codeowners|templates|release|docs)\//.test(f.rule));
    expect(ours.map((f) => `${f.path}:${f.line}:${f.rule}`)).toEqual([
      ".github/ISSUE_TEMPLATE/bug.md:1:templates/empty",
      ".github/ISSUE_TEMPLATE/form.yml:1:templates/invalid-issue-form",
      ".github/pull_request_template.md:1:templates/empty",
    ]);
    for (const f of ours) expect(f.remediation).toBeTruthy();
  });

  it("a CODEOWNERS finding can be suppressed in place, and the signal still reads the valid lines", async () => {
    const report = await scanFiles({ ".github/CODEOWNERS": "* @acme/devs\n/infra/ platform\n" });
    expect(report.findings).toMatchObject([
      { path: ".github/CODEOWNERS", line: 2, rule: "codeowners/invalid-owner", severity: "error" },
    ]);
    expect(signalOf(report, "coordination/codeowners")).toMatchObject({
      status: "pass",
      evidence: [{ path: ".github/CODEOWNERS", line: 1 }],
    });
    const silenced = await scanFiles({
      ".github/CODEOWNERS": "* @acme/devs\n# devops-ladder-ignore codeowners/invalid-owner\n/infra/ platform\n",
    });
    expect(silenced.findings).toEqual([]);
  });

  it("a CODEOWNERS file in a vendored folder is not evidence", async () => {
    const report = await scanFiles({
      "vendor/lib/.github/CODEOWNERS": "* @them\n",
      "node_modules/x/CODEOWNERS": "* @them\n",
    });
    expect(signalOf(report, "coordination/codeowners")).toMatchObject({ status: "fail", reasonId: "no-codeowners" });
  });
});
