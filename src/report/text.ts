// The terminal report. It leads with what matters: the config's problems, the smallest next step, a bar per task,
// the next level's checklist; then the findings, most important first (config, severity, task, path) and folded.
import { smallestNextStep } from "../engine/next-step.js";
import type { Report } from "../engine/report.js";
import { foldFindings, times } from "./findings.js";
import { bar, LEVEL_TITLES, location, plural, scoreText, statusMark } from "./format.js";
import { stepOutcome } from "./sections.js";

export interface TextOptions {
  /** list every signal under its task, not only the failing ones */
  verbose?: boolean;
  /** most findings listed (after folding) before "… and N more" */
  maxFindings?: number;
}

export function renderText(report: Report, options: TextOptions = {}): string {
  const out: string[] = [];
  const tasks = report.tasks.filter((t) => t.signals.length > 0); // all but the unselected ones (--only)
  const titleWidth = Math.max(...tasks.map((t) => t.title.length), 0);
  out.push(
    `devops-ladder ${report.tool.version} · ${report.target.root}${report.target.ref ? `@${report.target.ref}` : ""}`,
  );
  if (report.only) out.push(`only: ${report.only.join(", ")}`);
  out.push("");
  out.push(...configProblems(report));
  out.push(`Level: ${LEVEL_TITLES[report.level]} · score ${report.score}/100`);
  out.push("");
  const step = smallestNextStep(report);
  if (step) {
    out.push(`Smallest next step: ${step.signal.title} (${step.signal.id})`);
    out.push(`  ${stepOutcome(report, step)}`);
    out.push(`  → ${step.signal.remediation.split("\n").join("\n    ")}`);
    out.push(`    docs: ${step.signal.docs}`);
    out.push("");
  }
  for (const task of tasks) {
    out.push(`  ${task.title.padEnd(titleWidth)}  ${bar(task.score)}  ${scoreText(task.score).padStart(3)}`);
    for (const s of task.signals) {
      if (!options.verbose && s.status !== "fail") continue;
      const where =
        s.status === "pass" && s.evidence[0] ? `  (${location(s.evidence[0].path, s.evidence[0].line)})` : "";
      const why = s.status !== "pass" && s.reason ? ` — ${s.reason}` : "";
      out.push(`      ${statusMark(s.status)} ${s.title}${where}${why}`);
    }
  }
  out.push("");
  if (report.next) {
    out.push(`Next level: ${LEVEL_TITLES[report.next.level]}. Missing:`);
    for (const m of report.next.missing) {
      out.push(`  ✗ ${m.title} (${m.id}): ${m.description}`);
      for (const s of m.signals) {
        out.push(`      → ${s.remediation.split("\n").join("\n        ")}`);
        out.push(`        docs: ${s.docs}`);
      }
    }
  } else {
    out.push("Top of the ladder: every Lead milestone is met.");
  }
  const met = report.milestones.filter((m) => m.status === "pass");
  if (met.length > 0) {
    out.push("");
    out.push("Milestones met:");
    for (const m of met)
      out.push(`  ✓ ${m.title}${m.evidence[0] ? `  (${location(m.evidence[0].path, m.evidence[0].line)})` : ""}`);
  }
  out.push(...findingLines(report, options.maxFindings ?? 30));
  out.push("");
  out.push(`${plural(report.stats.files, "file")} listed, ${report.stats.read} read, ${report.stats.durationMs} ms`);
  return `${out.join("\n")}\n`;
}

/** An invalid config comes first: the scan then ran on the defaults, which changes everything below. */
function configProblems(report: Report): string[] {
  const problems = report.findings.filter((f) => f.rule.startsWith("config/"));
  if (problems.length === 0) return [];
  const source = report.config.source ?? problems[0]!.path;
  const out = [
    report.config.valid
      ? `! Config ${source} has problems:`
      : `✗ Config ${source} is invalid, so the scan used the defaults. Fix:`,
  ];
  for (const f of problems) out.push(`    ${location(f.path, f.line)}  ${f.message}`);
  return [...out, ""];
}

function findingLines(report: Report, max: number): string[] {
  if (report.findings.length === 0) return [];
  const folded = foldFindings(report.findings);
  const out = ["", `Findings: ${plural(report.findings.length, "finding")}`];
  for (const { finding: f, count } of folded.slice(0, max)) {
    out.push(`  ${location(f.path, f.line)}  ${f.severity}  ${times(count)}${f.rule}  ${f.message}`);
  }
  if (folded.length > max) out.push(`  … and ${folded.length - max} more (use --format json for all)`);
  return out;
}
