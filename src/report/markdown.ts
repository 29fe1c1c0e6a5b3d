// The report as GitHub-flavoured Markdown, for `--format markdown` and PR comments. It leads with what matters:
// the config's problems, the smallest next step, the scores, the next level; then every task's signals
// (collapsed) and the findings, most important first and folded.
import type { Report } from "../engine/report.js";
import { bar, LEVEL_TITLES, scoreText } from "./format.js";
import {
  configSection,
  findingsListSection,
  nextLevelChecklist,
  smallestStepSection,
  taskDetailsSection,
} from "./sections.js";

export function renderMarkdown(report: Report, options: { maxFindings?: number } = {}): string {
  const out: string[] = [`## DevOps Ladder: ${LEVEL_TITLES[report.level]} · ${report.score}/100`, ""];
  if (report.only) out.push(`Only ${report.only.map((id) => `\`${id}\``).join(", ")}.`, "");
  out.push(...configSection(report), ...smallestStepSection(report), ...scoreTable(report));
  out.push(...nextLevelChecklist(report), ...taskDetailsSection(report));
  out.push(...findingsListSection(report, options.maxFindings ?? 50));
  return `${out.join("\n").trimEnd()}\n`;
}

function scoreTable(report: Report): string[] {
  const out = ["| Task | Score | |", "|---|---:|---|"];
  for (const t of report.tasks) {
    if (t.signals.length > 0) out.push(`| ${t.title} | ${scoreText(t.score)} | \`${bar(t.score)}\` |`);
  }
  return [...out, ""];
}
