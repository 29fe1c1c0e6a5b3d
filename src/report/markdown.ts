// The report as GitHub-flavoured Markdown: for `--format markdown`, PR comments and job summaries.

import type { Report } from "../engine/report.js";
import { docsUrl } from "../version.js";
import { bar, LEVEL_TITLES, location, scoreText, statusMark } from "./format.js";

export function renderMarkdown(report: Report, options: { maxFindings?: number } = {}): string {
  const out: string[] = [];
  out.push(`## DevOps Ladder: ${LEVEL_TITLES[report.level]} · ${report.score}/100`);
  out.push("");
  out.push("| Task | Score | |");
  out.push("|---|---:|---|");
  for (const t of report.tasks) out.push(`| ${t.title} | ${scoreText(t.score)} | \`${bar(t.score)}\` |`);
  out.push("");
  out.push(...nextLevelChecklist(report));
  out.push("<details><summary>Every signal</summary>");
  out.push("");
  for (const t of report.tasks) {
    out.push(`**${t.title}**`);
    out.push("");
    for (const s of t.signals) {
      const ev = s.evidence[0] ? ` — \`${location(s.evidence[0].path, s.evidence[0].line)}\`` : "";
      const why = s.status !== "pass" && s.reason ? ` — ${escapeMarkdown(s.reason)}` : "";
      out.push(`- ${statusMark(s.status)} ${escapeMarkdown(s.title)}${ev}${why}`);
    }
    out.push("");
  }
  out.push("</details>");
  if (report.findings.length > 0) {
    const max = options.maxFindings ?? 50;
    out.push("");
    out.push(`### Findings (${report.findings.length})`);
    out.push("");
    out.push("| Where | Severity | Rule | Message |");
    out.push("|---|---|---|---|");
    for (const f of report.findings.slice(0, max)) {
      out.push(`| \`${location(f.path, f.line)}\` | ${f.severity} | \`${f.rule}\` | ${escapeMarkdown(f.message)} |`);
    }
    if (report.findings.length > max) out.push(`\n…and ${report.findings.length - max} more.`);
  }
  return `${out.join("\n")}\n`;
}

/** The next level's milestones as a checklist with what to add; shared by check runs and issues. */
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

/** Escapes what would break a table cell or start unwanted markup. */
export function escapeMarkdown(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
