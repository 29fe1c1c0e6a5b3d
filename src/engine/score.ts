// Scores and levels, from signal results. The arithmetic of the ladder lives here and only here.

import type { MilestoneReport, NextStep, SignalReport, TaskReport } from "./report.js";
import type { LevelRule, MilestoneRule } from "./rules.js";
import type { Evidence, LevelId, Status } from "./types.js";

/** Weighted share of the applicable signals that pass, 0–100; null when none applies. */
export function taskScore(signals: readonly SignalReport[]): number | null {
  let total = 0;
  let passed = 0;
  for (const s of signals) {
    if (s.status === "na" || s.weight === 0) continue;
    total += s.weight;
    if (s.status === "pass") passed += s.weight;
  }
  return total === 0 ? null : Math.round((100 * passed) / total);
}

/** The mean of the tasks that have a score: each task counts the same, whatever its signal count. */
export function overallScore(tasks: readonly TaskReport[]): number {
  const scored = tasks.map((t) => t.score).filter((s): s is number => s !== null);
  return scored.length === 0 ? 0 : Math.round(scored.reduce((a, b) => a + b, 0) / scored.length);
}

export function milestoneStatus(
  rule: MilestoneRule,
  signals: ReadonlyMap<string, SignalReport>,
): { status: Status; evidence: Evidence[] } {
  const results = rule.signals.map((id) => signals.get(id)).filter((s): s is SignalReport => s !== undefined);
  const applicable = results.filter((s) => s.status !== "na");
  const passing = applicable.filter((s) => s.status === "pass");
  const evidence = passing.flatMap((s) => s.evidence);
  if (applicable.length === 0) return { status: "na", evidence: [] };
  const met = rule.mode === "any" ? passing.length > 0 : passing.length === applicable.length;
  // an unmet `all` milestone still cites what it has (dependency updates, when scanning is what is missing)
  return { status: met ? "pass" : "fail", evidence };
}

/** Cumulative levels: a level is reached when it and every level below have no failing milestone. */
export function reachedLevel(levels: readonly LevelRule[], milestones: readonly MilestoneReport[]): LevelId {
  let reached: LevelId = levels[0]?.id ?? "junior";
  for (const level of levels) {
    const failing = milestones.some((m) => m.level === level.id && m.status === "fail");
    if (failing) break;
    reached = level.id;
  }
  return reached;
}

export function nextStep(
  levels: readonly LevelRule[],
  level: LevelId,
  milestones: readonly MilestoneReport[],
  signals: ReadonlyMap<string, SignalReport>,
): NextStep | null {
  const index = levels.findIndex((l) => l.id === level);
  const next = levels[index + 1];
  if (!next) return null;
  const missing = milestones
    .filter((m) => m.level === next.id && m.status === "fail")
    .map((m) => ({
      id: m.id,
      title: m.title,
      description: m.description,
      signals: m.signals
        .map((id) => signals.get(id))
        .filter((s): s is SignalReport => s !== undefined && s.status === "fail")
        .map((s) => ({ id: s.id, title: s.title, remediation: s.remediation, example: s.example, docs: s.docs })),
    }));
  return { level: next.id, missing };
}
