// `--only task[,task]` and `--only signal-id`: a report narrowed to some tasks or signals, as Scorecard's --checks.
// The engine still evaluates every signal, because the level needs every milestone: the level, the milestones and
// the next step stay the repository's. What narrows: the tasks listed (the others keep their place with no signal
// and no score, so the JSON report keeps its seven tasks), the overall score (the mean of the selected tasks), and
// the findings (a selected task's, plus those about the scan or the config, which belong to no task).
import { taskOfFinding } from "./finding-task.js";
import type { Report } from "./report.js";
import type { Rules } from "./rules.js";
import { overallScore, taskScore } from "./score.js";

export class SelectionError extends Error {}

/** `deploy,docker/healthcheck` → the ids, each checked against the rubric. */
export function parseSelection(text: string, rules: Rules): string[] {
  const ids = text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (ids.length === 0) throw new SelectionError("--only needs a task or signal id");
  const tasks = new Set<string>(rules.tasks.map((t) => t.id));
  for (const id of ids) {
    if (!tasks.has(id) && !rules.signal(id)) {
      throw new SelectionError(
        `--only: "${id}" is neither a task (${[...tasks].join(", ")}) nor a signal id (see \`devops-ladder rules\`)`,
      );
    }
  }
  return [...new Set(ids)];
}

export function narrowReport(report: Report, only: readonly string[]): Report {
  const selected = new Set(only);
  const tasks = report.tasks.map((task) => {
    const signals = selected.has(task.id) ? task.signals : task.signals.filter((s) => selected.has(s.id));
    return { ...task, signals, score: signals.length === 0 ? null : taskScore(signals) };
  });
  const findings = report.findings.filter((f) => {
    const task = taskOfFinding(f.rule);
    return task === undefined || selected.has(task);
  });
  return { ...report, tasks, score: overallScore(tasks), findings, only: [...only] };
}
