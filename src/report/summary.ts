// The Action's job summary (GITHUB_STEP_SUMMARY), in Markdown: what matters first (a failed gate, a broken
// config, the smallest next step), the task table (with the change on pull requests), what the change does, the
// next level's checklist, then every task's details and the findings. GitHub takes 1 MiB per step; the limit
// here is in characters, low enough that even three-byte characters stay under it.
import type { Report } from "../engine/report.js";
import { deltaSection, fitSections, taskTable, titleOf } from "./checkrun.js";
import { escapeMarkdown } from "./format.js";
import {
  configSection,
  findingsListSection,
  nextLevelChecklist,
  smallestStepSection,
  taskDetailsSection,
} from "./sections.js";

export const STEP_SUMMARY_LIMIT = 300_000;

export interface SummaryOptions {
  /** the pull request's base commit, scanned too */
  base?: Report;
  /** why the base could not be scanned, when it was tried */
  baseProblem?: string;
  /** gate failures, in words */
  gateFailures?: string[];
  /** the scanned folder, when it is not the repository's root */
  path?: string;
}

export function renderActionSummary(report: Report, options: SummaryOptions = {}): string {
  const { base } = options;
  const where = options.path && options.path !== "." ? ` · \`${escapeMarkdown(options.path)}\`` : "";
  const failures = options.gateFailures ?? [];
  const sections = [
    [`## DevOps Ladder: ${titleOf(report, base)}${where}`, ""],
    failures.length > 0 ? [`**Gate failed**: ${failures.map(escapeMarkdown).join("; ")}.`, ""] : [],
    configSection(report),
    smallestStepSection(report),
    taskTable(report, base),
    base ? deltaSection(report, base) : [],
    options.baseProblem ? [`The base commit was not scanned: ${escapeMarkdown(options.baseProblem)}.`, ""] : [],
    nextLevelChecklist(report),
    ["### Every task", ""],
    taskDetailsSection(report),
    findingsListSection(report),
  ];
  return `${fitSections(sections, STEP_SUMMARY_LIMIT)}\n`;
}
