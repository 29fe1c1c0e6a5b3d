import { describe, expect, it } from "vitest";
import { compareRepo, formatText, impliedLevel, MILESTONES, summarize } from "../../bench/corpus-summary.js";

// A hand-made report in the shape of the JSON report, and a judgement in the shape of field/repos/*.yml.
function report(passing: string[], extra: { evidence?: Record<string, string[]>; level?: string } = {}) {
  const signal = (id: string) => ({
    id: `x/${id}`,
    status: passing.includes(id) ? "pass" : "fail",
    evidence: (extra.evidence?.[id] ?? []).map((path) => ({ path })),
  });
  return {
    level: extra.level ?? "junior",
    score: 10,
    milestones: MILESTONES.map((id) => ({
      id,
      status: id === "db_backups" ? "na" : passing.includes(id) ? "pass" : "fail",
      signals: [`x/${id}`],
      evidence: [],
    })),
    tasks: [
      { id: "deploy", score: 40, signals: MILESTONES.slice(0, 4).map(signal) },
      { id: "backups", score: 0, signals: MILESTONES.slice(4).map(signal) },
    ],
    findings: [
      { severity: "error", rule: "k8s/parse-error", path: "a.yaml" },
      { severity: "error", rule: "k8s/parse-error", path: "b.yaml" },
      { severity: "warning", rule: "ci/unpinned-action", path: "c.yml" },
    ],
  };
}

function judgement(expected: Record<string, string>, evidence: Record<string, string[]> = {}) {
  return {
    repo: "acme/ops",
    commit: "0".repeat(40),
    level: "senior",
    milestones: Object.fromEntries(
      MILESTONES.map((id) => [id, { expected: expected[id] ?? "fail", evidence: evidence[id] ?? [] }]),
    ),
    tasks: { deploy: { present: true }, backups: { present: true }, docker: { present: false } },
    errors: [{ rule: "k8s/parse-error", count: 2, verdict: "false-positive" }],
  };
}

describe("corpus comparison", () => {
  it("marks misses, false passes and fail-vs-n/a, counts errors and cited evidence", () => {
    const row = compareRepo(
      report(["deploy_script", "alerts"], { evidence: { deploy_script: ["clusters/prod/apps.yaml"] } }),
      judgement(
        { deploy_script: "pass", deploy_docs: "pass", alerts: "fail", db_backups: "fail" },
        { deploy_script: ["clusters/prod/apps.yaml", "apps/base/"], deploy_docs: ["README.md"] },
      ),
    );
    expect(row.milestones.deploy_script).toEqual({
      scanner: "pass",
      expected: "pass",
      mark: "ok",
      evidence: { judged: 2, cited: 1 },
    });
    expect(row.milestones.deploy_docs.mark).toBe("miss");
    expect(row.milestones.alerts.mark).toBe("falsePass");
    expect(row.milestones.db_backups.mark).toBe("otherMismatch");
    expect(row.milestones.iac.mark).toBe("ok");
    expect(row.errors).toBe(2);
    expect(row.errorsByRule).toEqual({ "k8s/parse-error": 2 });
    expect(row.judgedFalseErrors).toBe(2);
    expect(row.tasks.deploy).toEqual({ score: 40, present: true });
    expect(row.tasks.backups).toEqual({ score: 0, present: true });
    expect(row.tasks.docker).toEqual({ score: 0, present: false });
  });

  it("a judged folder is cited by any file under it", () => {
    const row = compareRepo(
      report(["deploy_script"], { evidence: { deploy_script: ["apps/base/x/release.yaml"] } }),
      judgement({ deploy_script: "pass" }, { deploy_script: ["apps/base/", "apps/bas"] }),
    );
    expect(row.milestones.deploy_script.evidence).toEqual({ judged: 2, cited: 1 });
  });

  it("sums the corpus: passes against judged true, false passes, levels, zero tasks, evidence recall", () => {
    const a = compareRepo(
      report(["deploy_script", "alerts"], { evidence: { deploy_script: ["deploy.sh"] } }),
      judgement(
        { deploy_script: "pass", deploy_docs: "pass", alerts: "fail" },
        { deploy_script: ["deploy.sh"], deploy_docs: ["README.md"] },
      ),
    );
    const b = compareRepo(report(["deploy_script", "deploy_docs", "alerts"], { level: "senior" }), {
      ...judgement({ deploy_script: "pass", deploy_docs: "pass", alerts: "pass", db_backups: "na" }),
      repo: "acme/b",
    });
    const s = summarize([a, b]);
    expect(s.perMilestone.deploy_script).toMatchObject({ judgedTrue: 2, truePasses: 2, falsePasses: 0 });
    expect(s.perMilestone.deploy_docs).toMatchObject({ judgedTrue: 2, truePasses: 1, misses: ["acme/ops"] });
    expect(s.perMilestone.alerts).toMatchObject({
      judgedTrue: 1,
      truePasses: 1,
      falsePasses: 1,
      falsePassRepos: ["acme/ops"],
    });
    // judged met: 2 + 2 + 1 = 5, passed 4; judged unmet (expected fail): a has 6 (alerts + 5 lead), b has 4
    expect(s.totals).toEqual({
      judgedMet: 5,
      passedMet: 4,
      passedMetPct: 80,
      judgedUnmet: 10,
      falsePasses: 1,
      levelMatches: 1,
    });
    expect(s.levels).toEqual({
      junior: { scanner: 1, judged: 0 },
      senior: { scanner: 1, judged: 2 },
      lead: { scanner: 0, judged: 0 },
    });
    expect(s.tasksPresentScoringZero).toEqual({
      count: 2,
      of: 4,
      list: [
        { repo: "acme/ops", task: "backups" },
        { repo: "acme/b", task: "backups" },
      ],
    });
    expect(s.evidenceRecall).toEqual({ cited: 1, judged: 2, pct: 50 });
    expect(s.errors[0]).toEqual({ repo: "acme/ops", count: 2, byRule: { "k8s/parse-error": 2 }, judgedFalse: 2 });

    const text = formatText([a, b], s);
    expect(text).toContain("F/P*");
    expect(text).toContain("P/F!");
    expect(text).toContain("Milestones judged met: 5; the scanner passes 4 (80 %).");
  });

  it("derives the level the judged milestones imply (cumulative, N/A does not hold back)", () => {
    expect(impliedLevel(judgement({ deploy_script: "pass", deploy_docs: "pass" }))).toBe("junior");
    expect(impliedLevel(judgement({ deploy_script: "pass", deploy_docs: "pass", alerts: "pass" }))).toBe("senior");
    const all = Object.fromEntries(MILESTONES.map((id) => [id, "pass"]));
    expect(impliedLevel(judgement({ ...all, db_backups: "na" }))).toBe("lead");
  });
});
