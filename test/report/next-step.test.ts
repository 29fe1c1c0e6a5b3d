// The smallest next step: the failing signal whose passing leaves the fewest signals to fix before the next level.
import { describe, expect, it } from "vitest";
import { smallestNextStep } from "../../src/engine/next-step.js";
import type { MilestoneReport, Report, SignalReport } from "../../src/engine/report.js";
import type { LevelId, Status } from "../../src/engine/types.js";
import { scanFiles } from "../helpers.js";

/** A report reduced to what the step reads: signals (status, weight) and milestones of the next level. */
function report(
  signals: Record<string, [Status, number]>,
  milestones: { id: string; mode: "any" | "all"; signals: string[]; status: Status }[],
  next: LevelId | null = "senior",
): Report {
  const list: SignalReport[] = Object.entries(signals).map(([id, [status, weight]]) => ({
    id,
    title: `title of ${id}`,
    status,
    weight,
    evidence: [],
    remediation: `fix ${id}`,
    docs: "docs/x.md",
  }));
  const ms: MilestoneReport[] = milestones.map((m) => ({
    ...m,
    level: next ?? "lead",
    title: `milestone ${m.id}`,
    description: "",
    evidence: [],
  }));
  return {
    tasks: [{ id: "deploy", title: "Deploy", score: 0, signals: list }],
    milestones: ms,
    next: next ? { level: next, missing: [] } : null,
  } as unknown as Report;
}

describe("smallestNextStep", () => {
  it("picks the signal listed by the most unmet milestones", () => {
    const r = report({ "t/a": ["fail", 5], "t/b": ["fail", 1] }, [
      { id: "m1", mode: "any", signals: ["t/a", "t/b"], status: "fail" },
      { id: "m2", mode: "all", signals: ["t/b"], status: "fail" },
    ]);
    const step = smallestNextStep(r)!;
    expect(step.signal.id).toBe("t/b"); // 2 milestones at once, despite the lower weight
    expect(step.completes.map((m) => m.id)).toEqual(["m1", "m2"]);
    expect(step.remaining).toBe(0);
  });

  it("prefers a signal that completes a milestone to one that only counts towards one", () => {
    const r = report({ "t/a": ["fail", 9], "t/b": ["fail", 9], "t/c": ["fail", 1] }, [
      { id: "hardening", mode: "all", signals: ["t/a", "t/b"], status: "fail" },
      { id: "alerts", mode: "all", signals: ["t/c"], status: "fail" },
    ]);
    const step = smallestNextStep(r)!;
    expect(step.signal.id).toBe("t/c");
    expect(step.completes.map((m) => m.id)).toEqual(["alerts"]);
    expect(step.remaining).toBe(2);
  });

  it("counts an all-milestone's failing signals only: a passing or n/a one needs no change", () => {
    const r = report({ "t/a": ["pass", 3], "t/b": ["na", 3], "t/c": ["fail", 3], "t/d": ["fail", 1] }, [
      { id: "hardening", mode: "all", signals: ["t/a", "t/b", "t/c"], status: "fail" },
      { id: "docs", mode: "any", signals: ["t/d"], status: "fail" },
    ]);
    const step = smallestNextStep(r)!;
    expect(step.signal.id).toBe("t/c"); // completes hardening, heavier than t/d which completes docs too
    expect(step.completes.map((m) => m.id)).toEqual(["hardening"]);
    expect(step.remaining).toBe(1);
  });

  it("breaks ties by weight, then by the rubric's order", () => {
    const tie = report({ "t/a": ["fail", 2], "t/b": ["fail", 4] }, [
      { id: "m", mode: "any", signals: ["t/a", "t/b"], status: "fail" },
    ]);
    expect(smallestNextStep(tie)!.signal.id).toBe("t/b");
    const same = report({ "t/a": ["fail", 4], "t/b": ["fail", 4] }, [
      { id: "m", mode: "any", signals: ["t/b", "t/a"], status: "fail" },
    ]);
    expect(smallestNextStep(same)!.signal.id).toBe("t/a");
  });

  it("ignores failing signals that no unmet milestone of the next level lists, and met milestones", () => {
    const r = report({ "t/a": ["fail", 9], "t/b": ["fail", 1], "t/c": ["pass", 1] }, [
      { id: "met", mode: "any", signals: ["t/a", "t/c"], status: "pass" },
      { id: "m", mode: "all", signals: ["t/b"], status: "fail" },
    ]);
    expect(smallestNextStep(r)!.signal.id).toBe("t/b");
  });

  it("has no step at the top of the ladder", () => {
    expect(smallestNextStep(report({ "t/a": ["fail", 1] }, [], null))).toBeUndefined();
  });

  it("on a real scan: an empty repository's step is one Senior milestone, with two more to go", async () => {
    const r = await scanFiles({ "README.md": "# app\n" });
    const step = smallestNextStep(r)!;
    expect(r.next?.level).toBe("senior");
    expect(step.completes).toHaveLength(1);
    expect(step.remaining).toBe(2);
    const withAlerts = await scanFiles({
      "README.md": "# app\n",
      "monitoring/alerts.yml":
        "groups:\n  - name: api\n    rules:\n      - alert: Down\n        expr: up == 0\n        for: 5m\n",
    });
    expect(smallestNextStep(withAlerts)!.remaining).toBe(1);
  });
});
