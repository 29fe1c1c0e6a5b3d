// The progression issue as text: its title, its body and the comments that announce a level change.
// Pure: what is shown comes from the Report plus the facts the caller gathered (history, owners, badge);
// the hidden markers that find the issue again and keep its state are added by src/github/progression.ts.

import type { MilestoneReport, Report } from "../engine/report.js";
import { LEVEL_IDS, type LevelId } from "../engine/types.js";
import { docsUrl } from "../version.js";
import { fitSections } from "./checkrun.js";
import { bar, escapeMarkdown, LEVEL_TITLES, location, scoreText } from "./format.js";
import { configSection, smallestStepSection } from "./sections.js";

/** GitHub's limit for an issue body is 65,536 characters; the margin leaves room for the markers. */
export const BODY_LIMIT = 60_000;

/** One step on the ladder, as the issue's history lists it. */
export interface LevelChange {
  /** `YYYY-MM-DD` */
  at: string;
  /** absent for the first entry: where the repository started */
  from?: LevelId;
  to: LevelId;
  score: number;
  /** the merged pull request the change came with, and its author */
  pr?: number;
  by?: string;
}

export interface PullRequestRef {
  number: number;
  title: string;
  author?: string;
}

export interface IssueView {
  report: Report;
  /** oldest first */
  history: readonly LevelChange[];
  /** the default branch, named in the footer */
  branch: string;
  /** CODEOWNERS owners (`@user`, `@org/team`) of the files each unmet milestone touches, by milestone id */
  milestoneOwners?: ReadonlyMap<string, readonly string[]>;
  /** who earned each met milestone (`@login` or a name), with the pull request it came with */
  milestoneEarners?: ReadonlyMap<string, { people: readonly string[]; pr?: number }>;
  /** teams that own the DevOps files: mentioned, since teams cannot be assigned */
  teams?: readonly string[];
  /** the README badge's Markdown, once the app serves badges */
  badge?: string;
}

/** `DevOps Ladder: Senior → Lead (72/100)`; at the top, `DevOps Ladder: Lead (95/100)`. */
export function renderIssueTitle(report: Report): string {
  const next = report.next ? ` → ${LEVEL_TITLES[report.next.level]}` : "";
  return `DevOps Ladder: ${LEVEL_TITLES[report.level]}${next} (${report.score}/100)`;
}

export function renderIssueBody(view: IssueView): string {
  const { report } = view;
  const sections = [
    configSection(report),
    summary(report),
    smallestStepSection(report),
    checklist(report, view.milestoneOwners, view.milestoneEarners),
    earnedBelow(report, view.milestoneEarners),
    tasks(report),
    people(view.teams ?? []),
    history(view.history),
    badge(view.badge),
    footer(view.branch),
  ];
  return fitSections(sections, BODY_LIMIT);
}

function summary(report: Report): string[] {
  const out = [`## ${LEVEL_TITLES[report.level]} · ${report.score}/100`, ""];
  if (!report.next) return [...out, "Every milestone of the ladder is met.", ""];
  const due = report.milestones.filter((m) => m.level === report.next!.level);
  const done = due.filter((m) => m.status !== "fail").length;
  return [...out, `**Next: ${LEVEL_TITLES[report.next.level]}** — ${done} of ${due.length} milestones met.`, ""];
}

/** The next level's milestones (the top level's when it is reached), ticked when met. */
function checklist(
  report: Report,
  owners?: IssueView["milestoneOwners"],
  earners?: IssueView["milestoneEarners"],
): string[] {
  const level = report.next?.level ?? report.level;
  const out = [`### ${report.next ? "Checklist for" : "Milestones of"} ${LEVEL_TITLES[level]}`, ""];
  for (const m of report.milestones.filter((x) => x.level === level))
    out.push(...milestoneLines(report, m, owners?.get(m.id), earners?.get(m.id)));
  return [...out, ""];
}

/** The met milestones of the levels below the checklist's, with who earned them (when credits know). */
function earnedBelow(report: Report, earners?: IssueView["milestoneEarners"]): string[] {
  if (!earners) return [];
  const level = report.next?.level ?? report.level;
  const lines = report.milestones
    .filter((m) => m.level !== level && m.status === "pass" && (earners.get(m.id)?.people.length ?? 0) > 0)
    .map((m) => `- **${escapeMarkdown(m.title)}**${earnedBy(earners.get(m.id))}`);
  return lines.length > 0 ? ["### Earned so far", "", ...lines, ""] : [];
}

/** ` · earned by @alice, Bob in #12`, or nothing when no one is credited. */
function earnedBy(earned?: { people: readonly string[]; pr?: number }): string {
  if (!earned || earned.people.length === 0) return "";
  const who = earned.people.map((p) => (p.startsWith("@") ? p : escapeMarkdown(p))).join(", ");
  return ` · earned by ${who}${earned.pr !== undefined ? ` in #${earned.pr}` : ""}`;
}

function milestoneLines(
  report: Report,
  m: MilestoneReport,
  owners?: readonly string[],
  earned?: { people: readonly string[]; pr?: number },
): string[] {
  if (m.status === "na") return [`- [x] ~~${escapeMarkdown(m.title)}~~ (not applicable)`];
  if (m.status === "pass") {
    const ev = m.evidence.slice(0, 3).map((e) => code(location(e.path, e.line)));
    return [`- [x] **${escapeMarkdown(m.title)}**${ev.length > 0 ? ` — ${ev.join(", ")}` : ""}${earnedBy(earned)}`];
  }
  const out = [`- [ ] **${escapeMarkdown(m.title)}** — ${escapeMarkdown(m.description)}`];
  if (owners && owners.length > 0) out.push(`  - Owners: ${owners.join(", ")}`);
  const missing = report.next?.missing.find((x) => x.id === m.id);
  for (const s of missing?.signals ?? []) {
    // the rubric's own text, with code spans: shown as written (escaping would show `&gt;` inside them)
    out.push(`  - ${s.remediation.replace(/\n/g, " ")} ([docs](${docsUrl(s.docs)}))`);
    if (s.example) out.push("", "    ```", ...s.example.split("\n").map((l) => `    ${l}`), "    ```", "");
  }
  return out;
}

/** A code span for a repository path (which could hold a backtick). */
function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

function tasks(report: Report): string[] {
  const out = ["### Tasks", "", "| Task | Score | |", "|---|---:|---|"];
  for (const t of report.tasks)
    out.push(`| ${escapeMarkdown(t.title)} | ${scoreText(t.score)} | \`${bar(t.score)}\` |`);
  return [...out, ""];
}

function people(teams: readonly string[]): string[] {
  if (teams.length === 0) return [];
  return [`Owned by ${teams.join(", ")} (CODEOWNERS).`, ""];
}

/** Newest first, the last ten. */
function history(changes: readonly LevelChange[]): string[] {
  if (changes.length === 0) return [];
  const out = ["### History", ""];
  for (const c of [...changes].reverse().slice(0, 10)) {
    const what = c.from ? `${LEVEL_TITLES[c.from]} → ${LEVEL_TITLES[c.to]}` : `first seen at ${LEVEL_TITLES[c.to]}`;
    const via = c.pr ? ` with #${c.pr}${c.by ? ` by ${c.by}` : ""}` : "";
    out.push(`- ${c.at}: ${what} (${c.score}/100)${via}`);
  }
  return [...out, ""];
}

function badge(snippet?: string): string[] {
  if (!snippet) return [];
  return ["### Badge", "", "Show the level in the README:", "", "```markdown", snippet, "```", ""];
}

function footer(branch: string): string[] {
  return [
    `<sub>Kept up to date by devops-ladder on every push to \`${escapeMarkdown(branch)}\`. ` +
      `Closing this issue pauses it until the level changes; ` +
      "`progression_issue: false` in `.github/devops-ladder.yml` turns it off.</sub>",
  ];
}

// ─── comments ──────────────────────────────────────────────────────────────────────────────────────

export interface LevelChangeNote {
  from: LevelId;
  report: Report;
  /** milestones met before and not any more (a level down names them) */
  lost?: readonly MilestoneReport[];
  pr?: PullRequestRef;
}

/** A level up, a level down, or Lead reached (the issue is then closed). */
export function renderLevelComment(note: LevelChangeNote): string {
  const { from, report, pr } = note;
  const up = rank(report.level) > rank(from);
  const change = `${LEVEL_TITLES[from]} → ${LEVEL_TITLES[report.level]}`;
  const via = pr ? ` with #${pr.number} (${escapeMarkdown(pr.title)})${pr.author ? ` by @${pr.author}` : ""}` : "";
  if (up && !report.next) return renderLeadReached(report, ` (${change})${via}`);
  if (up) {
    return (
      `⬆️ **Level up: ${change}** (${report.score}/100)${via}. The checklist above now shows ` +
      `what ${LEVEL_TITLES[report.next!.level]} needs.\n`
    );
  }
  const out = [`⬇️ **Level down: ${change}** (${report.score}/100)${via}.`, ""];
  const lost = note.lost ?? [];
  if (lost.length > 0) out.push("What broke:", "");
  for (const m of lost) {
    out.push(`- **${escapeMarkdown(m.title)}** is no longer met`);
    for (const s of failingSignals(report, m)) {
      out.push(`  - ${escapeMarkdown(s.title)}${s.reason ? `: ${escapeMarkdown(s.reason)}` : ""}`);
    }
  }
  return `${out.join("\n")}\n`;
}

/** The congratulation the issue is closed with. */
export function renderLeadReached(report: Report, how = ""): string {
  return (
    `🎉 **Lead reached**${how}, ${report.score}/100. Every milestone of the ladder is met, so ` +
    `this issue is closed. It reopens if one is lost.\n`
  );
}

export function renderDuplicateComment(kept: number): string {
  return `Duplicate of #${kept}, which devops-ladder keeps up to date. Closing this one.\n`;
}

function failingSignals(report: Report, m: MilestoneReport) {
  const ids = new Set(m.signals);
  return report.tasks.flatMap((t) => t.signals).filter((s) => ids.has(s.id) && s.status === "fail");
}

function rank(level: LevelId): number {
  return LEVEL_IDS.indexOf(level);
}
