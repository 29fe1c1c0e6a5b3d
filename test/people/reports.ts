// Reports for credit tests: the real rubric, with the signals a test names passing and every other failing.
import { defaultRules } from "../../src/engine/index.js";
import { type MilestoneReport, type Report, SCHEMA_VERSION, type SignalReport } from "../../src/engine/report.js";
import { milestoneStatus, nextStep, overallScore, reachedLevel, taskScore } from "../../src/engine/score.js";
import type { Status } from "../../src/engine/types.js";

/** The signals that meet each milestone of the rubric: all of an `all` milestone's, the first of an `any`. */
export function signalsMeeting(milestone: string): string[] {
  const m = defaultRules()
    .levels.flatMap((l) => l.milestones)
    .find((x) => x.id === milestone);
  if (!m) return [];
  return m.mode === "any" ? m.signals.slice(0, 1) : m.signals;
}

/** A report where the named milestones (through their signals) and signals pass; `na` signals do not apply. */
export function reportWith(passing: string[], na: string[] = []): Report {
  const rules = defaultRules();
  const pass = new Set(passing.flatMap((id) => (id.includes("/") ? [id] : signalsMeeting(id))));
  const notApplicable = new Set(na);
  const byId = new Map<string, SignalReport>();
  const tasks = rules.tasks.map((task) => {
    const signals = task.signals.map((rule) => {
      const status: Status = notApplicable.has(rule.id) ? "na" : pass.has(rule.id) ? "pass" : "fail";
      const signal: SignalReport = {
        id: rule.id,
        title: rule.title,
        status,
        weight: rule.weight,
        evidence: status === "pass" ? [{ path: `evidence/${rule.id}` }] : [],
        remediation: rule.remediation,
        docs: rule.docs,
      };
      byId.set(rule.id, signal);
      return signal;
    });
    return { id: task.id, title: task.title, score: taskScore(signals), signals };
  });
  const milestones: MilestoneReport[] = rules.levels.flatMap((level) =>
    level.milestones.map((m) => ({ ...m, ...milestoneStatus(m, byId) })),
  );
  const level = reachedLevel(rules.levels, milestones);
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: "devops-ladder", version: "test" },
    target: { kind: "memory", root: "test" },
    score: overallScore(tasks),
    level,
    tasks,
    milestones,
    next: nextStep(rules.levels, level, milestones, byId),
    findings: [],
    config: { valid: true },
    stats: { files: 0, candidates: 0, read: 0, skipped: 0, durationMs: 0 },
  };
}
