// Markdown sections shared by the check run, the Markdown report, the Action's job summary and the issue.
// Each returns lines (ending with a blank one) or nothing, so renderers list them in order of importance and
// fitSections cuts from the end.
import { type SmallestStep, smallestNextStep } from "../engine/next-step.js";
import type { Report, SignalReport, TaskReport } from "../engine/report.js";
import { docsUrl } from "../version.js";
import { foldFindings, times } from "./findings.js";
import { escapeMarkdown, LEVEL_TITLES, location, plural, scoreText, statusMark } from "./format.js";

/** The config's problems, first in every report: an invalid config means the scan ran on the defaults. */
export function configSection(report: Report, paths?: ReadonlySet<string>): string[] {
  const problems = report.findings.filter((f) => f.rule.startsWith("config/"));
  if (problems.length === 0) return [];
  const source = report.config.source ?? problems[0]!.path;
  const out = [
    report.config.valid
      ? `**Config** \`${escapeMarkdown(source)}\` has problems:`
      : `**Config** \`${escapeMarkdown(source)}\` is invalid, so the scan used the defaults. Fix:`,
  ];
  for (const f of problems.slice(0, 20)) {
    const where = paths && !paths.has(f.path) ? `${f.path} line ${f.line}` : location(f.path, f.line);
    out.push(`- \`${escapeMarkdown(where)}\`: ${escapeMarkdown(f.message)}`);
  }
  return [...out, ""];
}

/** "**Smallest next step**: …" with the fix, or nothing at the top of the ladder. */
export function smallestStepSection(report: Report, step = smallestNextStep(report)): string[] {
  if (!step || !report.next) return [];
  const s = step.signal;
  const remediation = s.remediation.replace(/\n/g, " ");
  return [
    `**Smallest next step**: ${escapeMarkdown(s.title)} (\`${s.id}\`) — ${stepOutcome(report, step)}`,
    "",
    `> ${remediation} ([docs](${docsUrl(s.docs)}))`,
    "",
  ];
}

/** "meets Alerting; Senior is then reached" / "counts towards Security hardening; 3 more changes to Lead". */
export function stepOutcome(report: Report, step: SmallestStep): string {
  const next = LEVEL_TITLES[report.next!.level];
  const names = (step.completes.length > 0 ? step.completes : step.advances).map((m) => m.title).join(", ");
  const what = step.completes.length > 0 ? `meets ${names}` : `counts towards ${names}`;
  if (step.remaining === 0) return `${what}; ${next} is then reached.`;
  return `${what}; then ${plural(step.remaining, "more change")} to ${next}.`;
}

/** Every task's signals (pass, fail or n/a, with evidence or the reason), one collapsible section per task. */
export function taskDetailsSection(
  report: Report,
  options: { evidencePerSignal?: number; fixes?: boolean } = {},
): string[] {
  const out: string[] = [];
  for (const task of report.tasks) {
    if (task.signals.length === 0) continue; // not selected (--only)
    out.push(`<details><summary><b>${escapeMarkdown(task.title)}</b> · ${taskSummary(task)}</summary>`, "");
    for (const s of task.signals) out.push(...signalLines(s, options.evidencePerSignal ?? 5, options.fixes ?? true));
    out.push("", "</details>", "");
  }
  return out;
}

function taskSummary(task: TaskReport): string {
  const count = (status: string) => task.signals.filter((s) => s.status === status).length;
  const parts = [`${count("pass")} pass`, `${count("fail")} fail`];
  if (count("na") > 0) parts.push(`${count("na")} n/a`);
  return `${scoreText(task.score)}${task.score === null ? "" : "/100"} (${parts.join(", ")})`;
}

function signalLines(s: SignalReport, maxEvidence: number, fixes: boolean): string[] {
  const head = `- ${statusMark(s.status)} ${escapeMarkdown(s.title)} \`${s.id}\``;
  const why = s.reason ? `: ${escapeMarkdown(s.reason)}` : "";
  const out = [`${head}${why}`];
  for (const e of s.evidence.slice(0, maxEvidence)) {
    out.push(`  - \`${escapeMarkdown(location(e.path, e.line))}\`${e.note ? ` ${escapeMarkdown(e.note)}` : ""}`);
  }
  if (s.evidence.length > maxEvidence) out.push(`  - …and ${s.evidence.length - maxEvidence} more`);
  // the rubric's own Markdown, code spans included: shown as written
  if (fixes && s.status === "fail") out.push(`  - Fix: ${s.remediation.replace(/\n/g, " ")}`);
  return out;
}

/** The findings, most important first and folded, as a list; `max` folded entries at most. */
export function findingsListSection(report: Report, max = Number.POSITIVE_INFINITY): string[] {
  const folded = foldFindings(report.findings);
  if (folded.length === 0) return [];
  const out = [`### Findings (${report.findings.length})`, ""];
  for (const { finding: f, count } of folded.slice(0, max)) {
    out.push(
      `- ${times(count)}**${f.severity}** \`${f.rule}\` at \`${escapeMarkdown(location(f.path, f.line))}\`: ${escapeMarkdown(f.message)}`,
    );
  }
  if (folded.length > max) out.push(`- …and ${folded.length - max} more`);
  return [...out, ""];
}

/** The next level's milestones as a checklist with what to add; shared by check runs, summaries and issues. */
export function nextLevelChecklist(report: Report): string[] {
  if (!report.next) return ["**Lead reached**: every milestone of the ladder is met.", ""];
  const out = [`### Next: ${LEVEL_TITLES[report.next.level]}`, ""];
  for (const m of report.milestones.filter((x) => x.level === report.next!.level)) {
    if (m.status === "pass") {
      const ev = m.evidence[0] ? ` — \`${location(m.evidence[0].path, m.evidence[0].line)}\`` : "";
      out.push(`- [x] **${escapeMarkdown(m.title)}**${ev}`);
      continue;
    }
    if (m.status === "na") {
      out.push(`- [x] ~~${escapeMarkdown(m.title)}~~ (not applicable)`);
      continue;
    }
    out.push(`- [ ] **${escapeMarkdown(m.title)}** — ${escapeMarkdown(m.description)}`);
    const missing = report.next.missing.find((x) => x.id === m.id);
    for (const s of missing?.signals ?? []) {
      out.push(`  - ${escapeMarkdown(s.remediation).replace(/\n/g, " ")} ([docs](${docsUrl(s.docs)}))`);
      if (s.example) out.push("", "    ```", ...s.example.split("\n").map((l) => `    ${l}`), "    ```");
    }
  }
  out.push("");
  return out;
}
