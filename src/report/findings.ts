// Findings in the order that matters: the config's problems first (every report leads with an invalid config),
// then by severity (errors, warnings, notes), then by task in the rubric's order (findings about the scan last),
// then by path and line. Identical findings (same place, rule and message) are folded into one with a count, so
// a lint rule hit five times on one line reads as "5 × dockerfile/sudo_usage at image/base/Dockerfile:166".
import { taskOfFinding } from "../engine/finding-task.js";
import { type Finding, type Severity, TASK_IDS } from "../engine/types.js";

export interface FoldedFinding {
  finding: Finding;
  /** how many identical findings this one stands for (1 when it is alone) */
  count: number;
}

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, note: 2 };

function rank(f: Finding): [number, number, number] {
  const task = taskOfFinding(f.rule);
  return [
    f.rule.startsWith("config/") ? 0 : 1,
    SEVERITY_RANK[f.severity],
    task ? TASK_IDS.indexOf(task) : TASK_IDS.length,
  ];
}

/** A sorted copy; the sort is stable, so findings equal in rank keep the engine's order. */
export function orderFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => {
    const x = rank(a);
    const y = rank(b);
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
    if (a.path !== b.path) return a.path < b.path ? -1 : 1;
    return a.line - b.line;
  });
}

/** Ordered, then folded: the first of identical findings stands for all of them, in its place. */
export function foldFindings(findings: readonly Finding[]): FoldedFinding[] {
  const out: FoldedFinding[] = [];
  const byKey = new Map<string, FoldedFinding>();
  for (const finding of orderFindings(findings)) {
    const key = JSON.stringify([finding.path, finding.line, finding.rule, finding.severity, finding.message]);
    const seen = byKey.get(key);
    if (seen) {
      seen.count++;
      continue;
    }
    const folded = { finding, count: 1 };
    byKey.set(key, folded);
    out.push(folded);
  }
  return out;
}

/** "5 × " before a folded finding; nothing for a single one. */
export function times(count: number): string {
  return count > 1 ? `${count} × ` : "";
}
