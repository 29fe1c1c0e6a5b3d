// People's ladders as text, Markdown and JSON (the JSON is a published contract: schema/people.schema.json).
// Renderers only: the ladders and credits come computed from src/people. A regression is listed as the
// repository's, never under a person.
import type { LevelRule } from "../engine/rules.js";
import type { LevelId } from "../engine/types.js";
import type { Credit, Regression } from "../people/credit.js";
import type { LevelProgress, PersonLadder } from "../people/ladder.js";
import type { Person } from "../people/person.js";
import { escapeMarkdown, LEVEL_TITLES, plural } from "./format.js";

export const PEOPLE_SCHEMA_VERSION = "1.0.0";

export interface PeopleView {
  tool: { name: string; version: string };
  /** what was replayed: a folder, `owner/name` */
  source: string;
  head: string;
  since?: string;
  ladders: PersonLadder[];
  credits: Credit[];
  regressions: Regression[];
  levels: readonly LevelRule[];
  stats: { commits: number; scanned: number; durationMs: number };
}

/** `Senior DevOps`, the role title a level stands for. */
export function roleTitle(level: LevelId): string {
  return `${LEVEL_TITLES[level]} DevOps`;
}

/** `2 of 3 milestones to Senior DevOps`; at the top, `every milestone of Lead DevOps`. */
export function progressText(next: LevelProgress | undefined): string {
  if (!next) return "every milestone of the ladder";
  const total = next.earned.length + next.missing.length;
  return `${next.earned.length} of ${plural(total, "milestone")} to ${roleTitle(next.level)}`;
}

export function peopleJson(view: PeopleView): object {
  return {
    schemaVersion: PEOPLE_SCHEMA_VERSION,
    tool: view.tool,
    source: view.source,
    head: view.head,
    ...(view.since ? { since: view.since } : {}),
    people: view.ladders.map((l) => ({
      ...identity(l.person),
      level: l.level,
      ...(l.next ? { next: l.next } : {}),
      milestones: l.milestones.map((c) => ({ id: c.id, level: c.level, ...where(c) })),
      signals: l.signals.map((c) => ({ id: c.id, task: c.task, ...where(c) })),
    })),
    credits: view.credits.map((c) => ({
      ...identity(c.person),
      kind: c.kind,
      id: c.id,
      ...(c.level ? { level: c.level } : {}),
      ...(c.task ? { task: c.task } : {}),
      ...where(c),
      evidence: c.evidence,
      ...(c.backfilled ? { backfilled: true } : {}),
    })),
    regressions: view.regressions.map((r) => ({
      kind: r.kind,
      id: r.id,
      ...(r.level ? { level: r.level } : {}),
      ...(r.task ? { task: r.task } : {}),
      ...where(r),
    })),
    stats: view.stats,
  };
}

export function renderPeopleJson(view: PeopleView): string {
  return `${JSON.stringify(peopleJson(view), null, 2)}\n`;
}

export function renderPeopleText(view: PeopleView): string {
  const out: string[] = [];
  const titles = milestoneTitles(view.levels);
  out.push(`${view.source} @ ${view.head.slice(0, 12)}${view.since ? ` since ${view.since}` : ""}`);
  out.push(
    `${plural(view.stats.commits, "commit")} walked, ` +
      `${plural(view.stats.scanned, "DevOps change")} scanned in ` +
      `${seconds(view.stats.durationMs)}`,
    "",
  );
  if (view.ladders.length === 0) out.push("No one is credited yet: no change raised a signal or a milestone.", "");
  for (const l of view.ladders) {
    out.push(`${personLine(l.person)} · ${roleTitle(l.level)} · ${progressText(l.next)}`);
    for (const c of l.milestones)
      out.push(
        `  ✓ ${titles.get(c.id) ?? c.id} (${LEVEL_TITLES[c.level!]}) — ${day(c.at)} ${c.commit.slice(0, 7)}${pr(c)}`,
      );
    if (l.next)
      out.push(
        `  still to earn for ${LEVEL_TITLES[l.next.level]}: ${l.next.missing.map((id) => titles.get(id) ?? id).join(", ")}`,
      );
    for (const t of l.tasks)
      out.push(`  ${t.id}: ${t.signals.map((c) => `${c.id.slice(c.id.indexOf("/") + 1)} (${day(c.at)})`).join(", ")}`);
    out.push("");
  }
  if (view.regressions.length > 0) {
    out.push("Regressions of the repository (not anyone's):");
    for (const r of view.regressions.filter((x) => x.kind === "milestone"))
      out.push(`  ✗ ${titles.get(r.id) ?? r.id} lost — ${day(r.at)} ${r.commit.slice(0, 7)}${pr(r)}`);
    const signals = view.regressions.filter((x) => x.kind === "signal").length;
    if (signals > 0) out.push(`  and ${plural(signals, "signal")} lost over time`);
    out.push("");
  }
  return `${out.join("\n")}`;
}

export function renderPeopleMarkdown(view: PeopleView): string {
  const titles = milestoneTitles(view.levels);
  const out = [`## DevOps ladders of ${escapeMarkdown(view.source)}`, ""];
  out.push(
    `${plural(view.stats.commits, "commit")} up to ` +
      `\`${view.head.slice(0, 12)}\`${view.since ? ` since ${escapeMarkdown(view.since)}` : ""}, ` +
      `${plural(view.stats.scanned, "DevOps change")} scanned.`,
    "",
  );
  if (view.ladders.length === 0) out.push("No one is credited yet.", "");
  else {
    out.push("| Person | Level | Progress | Milestones earned |", "|---|---|---|---|");
    for (const l of view.ladders) {
      const earned = [...new Set(l.milestones.map((c) => titles.get(c.id) ?? c.id))].map(escapeMarkdown).join(", ");
      out.push(
        `| ${escapeMarkdown(personLine(l.person))} | ${roleTitle(l.level)} | ${progressText(l.next)} | ${earned || "—"} |`,
      );
    }
    out.push("");
  }
  for (const l of view.ladders) {
    out.push(`### ${escapeMarkdown(personLine(l.person))}`, "");
    for (const c of l.milestones)
      out.push(
        `- ✅ **${escapeMarkdown(titles.get(c.id) ?? c.id)}** — ${day(c.at)}, \`${c.commit.slice(0, 7)}\`${pr(c)}`,
      );
    for (const t of l.tasks) out.push(`- ${t.id}: ${t.signals.map((c) => `\`${c.id}\` (${day(c.at)})`).join(", ")}`);
    out.push("");
  }
  if (view.regressions.some((r) => r.kind === "milestone")) {
    out.push("### Regressions of the repository", "");
    for (const r of view.regressions.filter((x) => x.kind === "milestone"))
      out.push(
        `- ${escapeMarkdown(titles.get(r.id) ?? r.id)} lost — ${day(r.at)}, \`${r.commit.slice(0, 7)}\`${pr(r)}`,
      );
    out.push("");
  }
  return out.join("\n");
}

function identity(person: Person): { name: string; email?: string; login?: string } {
  return {
    name: person.name,
    ...(person.email ? { email: person.email } : {}),
    ...(person.login ? { login: person.login } : {}),
  };
}

function where(c: Regression): { commit: string; at: string; repo?: string; pr?: number } {
  return {
    commit: c.commit,
    at: c.at,
    ...(c.repo ? { repo: c.repo } : {}),
    ...(c.pr !== undefined ? { pr: c.pr } : {}),
  };
}

function personLine(p: Person): string {
  return `${p.name}${p.email ? ` <${p.email}>` : ""}${p.login && p.login !== p.name ? ` (@${p.login})` : ""}`;
}

function milestoneTitles(levels: readonly LevelRule[]): Map<string, string> {
  return new Map(levels.flatMap((l) => l.milestones.map((m) => [m.id, m.title] as const)));
}

function day(iso: string): string {
  return iso.slice(0, 10);
}

function pr(c: { pr?: number }): string {
  return c.pr !== undefined ? ` (#${c.pr})` : "";
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
