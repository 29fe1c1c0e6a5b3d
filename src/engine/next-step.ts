// The smallest next step: the one change that gets a repository closest to its next level.
//
// Distance to the next level = the number of signals that must still pass: for each unmet milestone of that
// level, 1 when it needs any one of its signals, or its count of failing signals when it needs all of them.
// Making one failing signal pass lowers the distance by the number of unmet milestones that list it. The step is
// the failing signal that lowers it most; ties go to the signal that completes a milestone on its own, then to
// the heavier signal (more points), then to the rubric's order (task, then signal). No step at the top level.
import type { MilestoneReport, Report, SignalReport } from "./report.js";

export interface SmallestStep {
  signal: SignalReport;
  /** the unmet milestones of the next level this signal counts towards */
  advances: MilestoneReport[];
  /** those it completes by itself */
  completes: MilestoneReport[];
  /** signals that must still pass after this one before the next level is reached (0: this step reaches it) */
  remaining: number;
}

export function smallestNextStep(report: Report): SmallestStep | undefined {
  if (!report.next) return undefined;
  const level = report.next.level;
  const signals = new Map(report.tasks.flatMap((t) => t.signals).map((s) => [s.id, s]));
  const failingOf = (m: MilestoneReport) => m.signals.filter((id) => signals.get(id)?.status === "fail");
  const unmet = report.milestones.filter((m) => m.level === level && m.status === "fail");
  const distance = unmet.reduce((n, m) => n + (m.mode === "any" ? 1 : failingOf(m).length), 0);

  const order = [...signals.keys()];
  let best: SmallestStep | undefined;
  for (const id of order) {
    const signal = signals.get(id)!;
    if (signal.status !== "fail") continue;
    const advances = unmet.filter((m) => m.signals.includes(id));
    if (advances.length === 0) continue;
    const completes = advances.filter((m) => m.mode === "any" || failingOf(m).length === 1);
    const step = { signal, advances, completes, remaining: distance - advances.length };
    if (!best || better(step, best)) best = step;
  }
  return best;
}

/** Strictly better: candidates come in rubric order, so an equal one never replaces the first. */
function better(a: SmallestStep, b: SmallestStep): boolean {
  if (a.remaining !== b.remaining) return a.remaining < b.remaining;
  if (a.completes.length !== b.completes.length) return a.completes.length > b.completes.length;
  return a.signal.weight > b.signal.weight;
}
