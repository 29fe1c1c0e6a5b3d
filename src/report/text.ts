// The terminal report: a bar per task, the level, the next level's checklist, the findings.
import type { Report } from "../engine/report.js";
import { bar, LEVEL_TITLES, location, plural, scoreText, statusMark } from "./format.js";

export interface TextOptions {
  /** list every signal under its task, not only the failing ones */
  verbose?: boolean;
  /** most findings listed before "… and N more" */
  maxFindings?: number;
}

export function renderText(report: Report, options: TextOptions = {}): string {
  const out: string[] = [];
  const titleWidth = Math.max(...report.tasks.map((t) => t.title.length));
  out.push(
    `devops-ladder ${report.tool.version} · ${report.target.root}${report.target.ref ? `@${report.target.ref}` : ""}`,
  );
  out.push("");
  out.push(`Level: ${LEVEL_TITLES[report.level]} · score ${report.score}/100`);
  out.push("");
  for (const task of report.tasks) {
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
  if (report.findings.length > 0) {
    const max = options.maxFindings ?? 30;
    out.push("");
    out.push(`Findings: ${plural(report.findings.length, "finding")}`);
    for (const f of report.findings.slice(0, max)) {
      out.push(`  ${location(f.path, f.line)}  ${f.severity}  ${f.rule}  ${f.message}`);
    }
    if (report.findings.length > max)
      out.push(`  … and ${report.findings.length - max} more (use --format json for all)`);
  }
  out.push("");
  out.push(`${plural(report.stats.files, "file")} listed, ${report.stats.read} read, ${report.stats.durationMs} ms`);
  return `${out.join("\n")}\n`;
}
