// The comment on a merged pull request that earned something (config `credit: comment`): who earned what,
// with its evidence, and where each of them stands on the ladder. It names people, never a regression.
import type { LevelRule } from "../engine/rules.js";
import type { Credit } from "../people/credit.js";
import type { PersonLadder } from "../people/ladder.js";
import { type Person, personKey } from "../people/person.js";
import { escapeMarkdown, LEVEL_TITLES } from "./format.js";
import { progressText } from "./people.js";

export interface CreditCommentView {
  /** this change's credits */
  credits: readonly Credit[];
  /** each credited person's ladder in the org, this change included */
  ladders: readonly PersonLadder[];
  levels: readonly LevelRule[];
  /** the title and the docs of each signal, by id */
  signalTitles?: ReadonlyMap<string, string>;
}

export function renderCreditComment(view: CreditCommentView): string | undefined {
  if (view.credits.length === 0) return undefined;
  const titles = new Map(view.levels.flatMap((l) => l.milestones.map((m) => [m.id, m.title] as const)));
  const byPerson = new Map<string, { person: Person; credits: Credit[] }>();
  for (const c of view.credits) {
    const key = personKey(c.person);
    const entry = byPerson.get(key) ?? { person: c.person, credits: [] };
    entry.credits.push(c);
    byPerson.set(key, entry);
  }
  const people = [...byPerson.values()];
  const what = (credits: readonly Credit[]) => credits.map((c) => `${c.kind}:${c.id}`).join(" ");
  const sameCredits = people.every((p) => what(p.credits) === what(people[0]!.credits));
  const out = ["🎖️ **DevOps credit**: this pull request raised the practice of the repository.", ""];
  const first = people[0]!.credits;
  const milestones = first.filter((c) => c.kind === "milestone");
  const signals = first.filter((c) => c.kind === "signal");
  if (sameCredits) {
    out.push(`${people.map((p) => mention(p.person)).join(", ")} earned:`, "");
    for (const m of milestones) out.push(milestoneLine(m, titles));
    if (signals.length > 0) out.push(signalLine(signals, view.signalTitles));
    out.push("");
  } else {
    for (const p of people) {
      out.push(`${mention(p.person)} earned:`, "");
      for (const m of p.credits.filter((c) => c.kind === "milestone")) out.push(milestoneLine(m, titles));
      const own = p.credits.filter((c) => c.kind === "signal");
      if (own.length > 0) out.push(signalLine(own, view.signalTitles));
      out.push("");
    }
  }
  out.push("Where each of you stands:", "");
  for (const p of people) {
    const ladder = view.ladders.find((l) => personKey(l.person) === personKey(p.person));
    if (!ladder) continue;
    out.push(`- ${mention(p.person)}: ${LEVEL_TITLES[ladder.level]} DevOps, ${progressText(ladder.next)}`);
  }
  out.push(
    "",
    "<sub>devops-ladder credits the change that raised a practice, not activity. " +
      "`credit: silent` in `.github/devops-ladder.yml` keeps the credits without this comment.</sub>",
  );
  return `${out.join("\n")}\n`;
}

function mention(person: Person): string {
  return person.login ? `@${person.login}` : escapeMarkdown(person.name);
}

function milestoneLine(c: Credit, titles: ReadonlyMap<string, string>): string {
  const where = c.evidence
    .slice(0, 2)
    .map((e) => `\`${(e.line ? `${e.path}:${e.line}` : e.path).replace(/`/g, "'")}\``)
    .join(", ");
  return `- **${escapeMarkdown(titles.get(c.id) ?? c.id)}** (${LEVEL_TITLES[c.level ?? "senior"]} milestone)${where ? ` — ${where}` : ""}`;
}

function signalLine(signals: readonly Credit[], titles?: ReadonlyMap<string, string>): string {
  return `- signals: ${signals.map((s) => escapeMarkdown(titles?.get(s.id) ?? s.id)).join(", ")}`;
}
