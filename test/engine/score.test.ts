import { describe, expect, it } from "vitest";
import { capEvidence } from "../../src/engine/detector.js";
import type { MilestoneReport, SignalReport, TaskReport } from "../../src/engine/report.js";
import type { LevelRule, MilestoneRule } from "../../src/engine/rules.js";
import { milestoneStatus, nextStep, overallScore, reachedLevel, taskScore } from "../../src/engine/score.js";
import type { Status } from "../../src/engine/types.js";

const sig = (id: string, status: Status, weight = 1): SignalReport => ({
  id,
  title: id,
  status,
  weight,
  evidence: status === "pass" ? [{ path: `${id}.txt` }] : [],
  remediation: `add ${id}`,
  docs: "d",
});

describe("taskScore", () => {
  it("is the weighted share of applicable signals", () => {
    expect(taskScore([sig("a", "pass", 3), sig("b", "fail", 1)])).toBe(75);
  });
  it("ignores not-applicable and zero-weight signals", () => {
    expect(taskScore([sig("a", "pass", 1), sig("b", "na", 5), sig("c", "fail", 0)])).toBe(100);
  });
  it("is null when nothing applies", () => {
    expect(taskScore([sig("a", "na")])).toBeNull();
  });
});

describe("overallScore", () => {
  it("averages the scored tasks only", () => {
    const t = (score: number | null) => ({ id: "deploy", title: "", score, signals: [] }) as TaskReport;
    expect(overallScore([t(100), t(50), t(null)])).toBe(75);
    expect(overallScore([t(null)])).toBe(0);
  });
});

describe("milestones and levels", () => {
  const rule = (mode: "any" | "all"): MilestoneRule => ({
    id: "m",
    level: "senior",
    title: "",
    description: "",
    mode,
    signals: ["t/a", "t/b"],
  });
  const map = (a: Status, b: Status) =>
    new Map([
      ["t/a", sig("t/a", a)],
      ["t/b", sig("t/b", b)],
    ]);

  it("any: one passing signal meets it", () => {
    expect(milestoneStatus(rule("any"), map("fail", "pass"))).toEqual({
      status: "pass",
      evidence: [{ path: "t/b.txt" }],
    });
    expect(milestoneStatus(rule("any"), map("fail", "fail")).status).toBe("fail");
  });
  it("all: every applicable signal must pass; N/A does not count against", () => {
    expect(milestoneStatus(rule("all"), map("pass", "fail"))).toEqual({
      status: "fail",
      evidence: [{ path: "t/a.txt" }], // what it has so far
    });
    expect(milestoneStatus(rule("all"), map("pass", "na")).status).toBe("pass");
    expect(milestoneStatus(rule("all"), map("na", "na")).status).toBe("na");
  });

  const levels: LevelRule[] = [
    { id: "junior", title: "", description: "", milestones: [] },
    { id: "senior", title: "", description: "", milestones: [] },
    { id: "lead", title: "", description: "", milestones: [] },
  ];
  const m = (level: "senior" | "lead", status: Status): MilestoneReport => ({
    id: `${level}-${status}`,
    level,
    title: "",
    description: "",
    status,
    evidence: [],
    mode: "all",
    signals: ["t/a"],
  });

  it("is cumulative: a lead milestone met does not skip a failing senior one", () => {
    expect(reachedLevel(levels, [m("senior", "fail"), m("lead", "pass")])).toBe("junior");
    expect(reachedLevel(levels, [m("senior", "pass"), m("lead", "fail")])).toBe("senior");
    expect(reachedLevel(levels, [m("senior", "pass"), m("lead", "na")])).toBe("lead");
  });

  it("names the next level's failing milestones with the failing signals' remediation", () => {
    const next = nextStep(levels, "junior", [m("senior", "fail")], new Map([["t/a", sig("t/a", "fail")]]));
    expect(next).toEqual({
      level: "senior",
      missing: [
        {
          id: "senior-fail",
          title: "",
          description: "",
          signals: [{ id: "t/a", title: "t/a", remediation: "add t/a", example: undefined, docs: "d" }],
        },
      ],
    });
    expect(nextStep(levels, "lead", [], new Map())).toBeNull();
  });
});

describe("capEvidence", () => {
  const at = (path: string, line = 1) => ({ path, line });

  it("keeps the detector's order under the cap", () => {
    const evidence = [at("release/app.yaml"), at("charts/app/templates/deploy.yaml")];
    expect(capEvidence(evidence)).toEqual(evidence);
  });

  it("over the cap, shows every hand-written folder before generated bundles, one file per folder per turn", () => {
    const rendered = Array.from({ length: 30 }, (_, i) => at(`release/manifests-${i}.yaml`));
    const deploy = Array.from({ length: 30 }, (_, i) => at(`deploy/k8s/app-${i}.yaml`));
    const evidence = [...rendered, ...deploy, at("charts/app/templates/deployment.yaml", 3), at("crds/x.yaml")];
    const shown = capEvidence(evidence, 5);
    expect(shown.map((e) => e.path)).toEqual([
      "deploy/k8s/app-0.yaml",
      "deploy/k8s/app-1.yaml",
      "charts/app/templates/deployment.yaml",
      "release/manifests-0.yaml",
      "crds/x.yaml",
    ]);
  });

  it("fills the cap with further lines of the files it shows when there are few files", () => {
    const evidence = [at("a.yml", 1), at("a.yml", 2), at("a.yml", 3), at("b.yml", 1)];
    expect(capEvidence(evidence, 3)).toEqual([at("a.yml", 1), at("a.yml", 2), at("b.yml", 1)]);
  });
});
