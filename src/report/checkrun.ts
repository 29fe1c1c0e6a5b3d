// The check run "DevOps Ladder" as text: a title, a Markdown summary, a Markdown text and annotations, from a
// Report (and, on pull requests, the base branch's Report for the delta). Pure; nothing here computes a score.
// The summary leads with what matters (a failed gate, a broken config, the smallest next step, the scores, the
// next level); the text holds every task's signals and every finding. GitHub caps each at 65,535 characters:
// sections are added by priority and cut to fit.
import type { Report, SignalReport } from "../engine/report.js";
import type { Finding } from "../engine/types.js";
import { foldFindings } from "./findings.js";
import { bar, escapeMarkdown, LEVEL_TITLES, location, plural, scoreText } from "./format.js";
import {
  configSection,
  findingsListSection,
  nextLevelChecklist,
  smallestStepSection,
  taskDetailsSection,
} from "./sections.js";

export const CHECK_NAME = "DevOps Ladder";
/** GitHub's limit is 65,535 characters; the margin covers the truncation notes. */
export const SUMMARY_LIMIT = 65_000;
/** The same limit, for the text. */
export const TEXT_LIMIT = 65_000;
const MESSAGE_LIMIT = 4_000;

export interface Annotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: "notice" | "warning" | "failure";
  title: string;
  message: string;
}

export interface CheckRunText {
  title: string;
  summary: string;
  /** every task's signals and every finding (the check run's `output.text`); absent when there is nothing to add */
  text?: string;
  annotations: Annotation[];
}

export interface CheckRunOptions {
  /** the base branch's report: the title and table show the change */
  base?: Report;
  /** paths of the scanned tree; findings elsewhere (e.g. an org config) are listed, not annotated */
  paths?: ReadonlySet<string>;
  maxAnnotations?: number;
  /** gate failures, in words (see github/gates.ts) */
  gateFailures?: string[];
}

export function renderCheckRun(report: Report, options: CheckRunOptions = {}): CheckRunText {
  const { base } = options;
  const annotatable = report.findings.filter((f) => !options.paths || options.paths.has(f.path));
  const annotations = annotationsOf(annotatable, options.maxAnnotations ?? 50);
  const sections = [
    gateSection(options.gateFailures ?? []),
    configSection(report, options.paths),
    smallestStepSection(report),
    taskTable(report, base),
    base ? deltaSection(report, base) : [],
    nextLevelChecklist(report),
    findingsSection(report, annotations.length),
  ];
  return {
    title: titleOf(report, base),
    summary: fitSections(sections, SUMMARY_LIMIT),
    text: renderDetails(report, TEXT_LIMIT),
    annotations,
  };
}

/**
 * Every task's signals in collapsible sections, then the findings, within `limit`. When the signals with their
 * evidence and fixes would not fit, they are shown with less (one piece of evidence, then none and no fix) so
 * that every signal is still listed; the findings come after and are cut first.
 */
export function renderDetails(report: Report, limit: number): string {
  const findings = findingsListSection(report);
  for (const detail of [{ evidencePerSignal: 5 }, { evidencePerSignal: 1 }, { evidencePerSignal: 0, fixes: false }]) {
    const tasks = taskDetailsSection(report, detail);
    if (tasks.join("\n").length <= limit * 0.9) return fitSections([tasks, findings], limit);
  }
  return fitSections([taskDetailsSection(report, { evidencePerSignal: 0, fixes: false }), findings], limit);
}

/** "could not scan: …" — what a check run says when the scan itself failed. */
export function renderFailure(reason: string): CheckRunText {
  const summary = fitSections(
    [
      [
        `could not scan: ${escapeMarkdown(reason)}.`,
        "",
        "Nothing was scored. Push again or re-run this check once the cause is fixed.",
      ],
    ],
    SUMMARY_LIMIT,
  );
  return { title: `Could not scan: ${reason}`.slice(0, 250), summary, annotations: [] };
}

export function titleOf(report: Report, base?: Report): string {
  const delta = base ? ` (${signed(report.score - base.score)})` : "";
  return `${LEVEL_TITLES[report.level]} · ${report.score}/100${delta}`;
}

function signed(n: number): string {
  return n > 0 ? `+${n}` : n < 0 ? `−${-n}` : "±0";
}

function gateSection(failures: string[]): string[] {
  if (failures.length === 0) return [];
  return [`**Gate failed**: ${failures.map(escapeMarkdown).join("; ")}.`, ""];
}

/** Scores per task, with the change against the base on pull requests. */
export function taskTable(report: Report, base?: Report): string[] {
  const before = new Map(base?.tasks.map((t) => [t.id, t]));
  const out = [`**Level: ${LEVEL_TITLES[report.level]}** · score ${report.score}/100`, ""];
  out.push(base ? "| Task | Score | | Change |" : "| Task | Score | |", base ? "|---|---:|---|---|" : "|---|---:|---|");
  for (const t of report.tasks) {
    if (t.signals.length === 0) continue; // not selected (--only)
    const row = `| ${escapeMarkdown(t.title)} | ${scoreText(t.score)} | \`${bar(t.score)}\` |`;
    if (!base) {
      out.push(row);
      continue;
    }
    const old = before.get(t.id);
    const change =
      old && old.score !== null && t.score !== null && old.score !== t.score ? signed(t.score - old.score) : "";
    out.push(`${row} ${[change, ...signalChanges(t.signals, old?.signals ?? [])].filter(Boolean).join(" · ")} |`);
  }
  return [...out, ""];
}

/** Short per-task notes: "+ Dockerfile runs as non-root", "− alert rules". */
function signalChanges(now: readonly SignalReport[], before: readonly SignalReport[]): string[] {
  const old = new Map(before.map((s) => [s.id, s.status]));
  const out: string[] = [];
  for (const s of now) {
    const was = old.get(s.id);
    if (s.status === "pass" && was !== undefined && was !== "pass") out.push(`+ ${escapeMarkdown(s.title)}`);
    if (s.status === "fail" && was === "pass") out.push(`− ${escapeMarkdown(s.title)}`);
  }
  return out.length > 3 ? [...out.slice(0, 3), `${out.length - 3} more`] : out;
}

/** What the change adds and breaks against the base branch. */
export function deltaSection(report: Report, base: Report): string[] {
  const old = new Map(base.tasks.flatMap((t) => t.signals).map((s) => [s.id, s]));
  const added: string[] = [];
  const broke: string[] = [];
  for (const s of report.tasks.flatMap((t) => t.signals)) {
    const was = old.get(s.id)?.status;
    if (s.status === "pass" && was !== undefined && was !== "pass") {
      const ev = s.evidence[0] ? ` — \`${escapeMarkdown(location(s.evidence[0].path, s.evidence[0].line))}\`` : "";
      added.push(`- ✓ **${escapeMarkdown(s.title)}**${ev}`);
    }
    if (s.status === "fail" && was === "pass") {
      broke.push(
        `- ✗ **${escapeMarkdown(s.title)}**${s.reason ? ` — ${escapeMarkdown(s.reason)}` : ""}`,
        `  - ${escapeMarkdown(s.remediation).replace(/\n/g, " ")}`,
      );
    }
  }
  const milestones = new Map(base.milestones.map((m) => [m.id, m.status]));
  const gained = report.milestones
    .filter((m) => m.status === "pass" && milestones.get(m.id) === "fail")
    .map((m) => m.title);
  const lost = report.milestones
    .filter((m) => m.status === "fail" && milestones.get(m.id) === "pass")
    .map((m) => m.title);
  const out = ["### What this change does", ""];
  if (added.length === 0 && broke.length === 0) return [...out, "No signal changed against the base branch.", ""];
  if (added.length > 0) out.push("Added:", ...added, "");
  if (broke.length > 0) out.push("Broke:", ...broke, "");
  if (gained.length > 0) out.push(`Milestones met: ${gained.map(escapeMarkdown).join(", ")}.`, "");
  if (lost.length > 0) out.push(`Milestones lost: ${lost.map(escapeMarkdown).join(", ")}.`, "");
  return out;
}

function findingsSection(report: Report, annotated: number): string[] {
  if (report.findings.length === 0) return [];
  const counts = ["error", "warning", "note"].map(
    (sev) => [sev, report.findings.filter((f) => f.severity === sev).length] as const,
  );
  const parts = counts.filter(([, n]) => n > 0).map(([sev, n]) => plural(n, sev));
  const note =
    annotated < report.findings.length
      ? ` ${annotated} are annotated on the files; run \`devops-ladder scan\` for all of them.`
      : "";
  return [`**Findings**: ${parts.join(", ")}.${note}`, ""];
}

const LEVEL_OF: Record<Finding["severity"], Annotation["annotation_level"]> = {
  error: "failure",
  warning: "warning",
  note: "notice",
};
/**
 * The findings that matter most (config, then severity, task and path; see findings.ts), identical ones folded
 * into one annotation that says how many, capped at `max`; each carries its remediation.
 */
export function annotationsOf(findings: readonly Finding[], max: number): Annotation[] {
  return foldFindings(findings)
    .slice(0, Math.max(0, max))
    .map(({ finding: f, count }) => {
      const message = f.remediation ? `${f.message}\n\nFix: ${f.remediation}` : f.message;
      return {
        path: f.path,
        start_line: Math.max(1, f.line),
        end_line: Math.max(1, f.line),
        annotation_level: LEVEL_OF[f.severity],
        title: count > 1 ? `${f.rule} (${count} ×)` : f.rule,
        message: message.length > MESSAGE_LIMIT ? `${message.slice(0, MESSAGE_LIMIT - 1)}…` : message,
      };
    });
}

/** Joins sections in order; the first one that does not fit is cut at a line and the rest are dropped. */
export function fitSections(sections: readonly string[][], limit: number): string {
  const note = "\n\n…(cut to fit GitHub's size limit; run `devops-ladder scan` for the full report)";
  let out = "";
  for (const lines of sections) {
    for (const line of lines) {
      const next = out === "" ? line : `${out}\n${line}`;
      if (next.length + note.length > limit)
        return (out.length + note.length > limit ? out.slice(0, limit - note.length) : out) + note;
      out = next;
    }
  }
  return out;
}
