// The people pages as data: everyone's DevOps ladder in an org, and one person's, from the credits the viewer
// may see (the caller has dropped the others, so a level counts only visible milestones). People are ranked
// by their level, then by the milestones they earned — never by commits, pull requests or credits counted.
// E-mail addresses never leave this module. Pure; the pages and the API render it.

import type { LevelRule, Rules } from "../engine/rules.js";
import type { Evidence, LevelId, TaskId } from "../engine/types.js";
import type { Credit } from "../people/credit.js";
import { type PersonLadder, personLadder } from "../people/ladder.js";
import type { Person } from "../people/person.js";
import { fileUrl, repoUrl } from "./repo-view.js";

/** A stored credit as the store's credits part gives it (src/store/store.ts CreditRow). */
export interface CreditRowLike {
  repo: string;
  private: boolean;
  personKey: string;
  name: string;
  login?: string;
  email?: string;
  kind: "milestone" | "signal";
  item: string;
  level?: LevelId;
  task?: string;
  commit: string;
  /** ISO 8601 */
  at: string;
  pr?: number;
  evidence: Evidence[];
  backfilled: boolean;
}

export interface CreditSource {
  /** every credit in the repositories of one owner, oldest first */
  ofOwner(owner: string): Promise<readonly CreditRowLike[]>;
}

export interface PersonSummary {
  name: string;
  login?: string;
  level: LevelId;
  /** the milestones earned, once each, in the rubric's order */
  milestones: { id: string; title: string; level: LevelId }[];
  next?: { level: LevelId; earned: number; missing: string[] };
  /** the tasks they earned signals in */
  tasks: TaskId[];
}

export interface PeopleView {
  org: string;
  people: PersonSummary[];
}

export interface EarnedView {
  repo: string;
  /** ISO 8601 */
  at: string;
  commit: string;
  commitUrl: string;
  pr?: number;
  prUrl?: string;
  /** credited at installation for what already passed */
  backfilled: boolean;
  evidence: (Evidence & { url: string })[];
}

export interface PersonView {
  org: string;
  login: string;
  name: string;
  level: LevelId;
  next?: { level: LevelId; earned: string[]; missing: string[] };
  /** every milestone of the rubric, with each time the person earned it (none: not yet) */
  milestones: { id: string; title: string; level: LevelId; earned: EarnedView[] }[];
  tasks: { id: TaskId; title: string; signals: ({ id: string; title: string } & EarnedView)[] }[];
}

const LEVEL_RANK: Record<LevelId, number> = { junior: 0, senior: 1, lead: 2 };

export function toCredit(row: CreditRowLike): Credit {
  const person: Person = { name: row.name };
  if (row.login) person.login = row.login;
  const credit: Credit = {
    kind: row.kind,
    id: row.item,
    commit: row.commit,
    at: row.at,
    repo: row.repo,
    private: row.private,
    person,
    evidence: row.evidence,
  };
  if (row.level) credit.level = row.level;
  if (row.task) credit.task = row.task as TaskId;
  if (row.pr !== undefined) credit.pr = row.pr;
  if (row.backfilled) credit.backfilled = true;
  return credit;
}

/** Everyone with a visible credit, by level, then milestones earned, then name. */
export function buildPeopleView(org: string, rows: readonly CreditRowLike[], levels: readonly LevelRule[]): PeopleView {
  const byPerson = new Map<string, CreditRowLike[]>();
  for (const row of rows) {
    const list = byPerson.get(row.personKey);
    if (list) list.push(row);
    else byPerson.set(row.personKey, [row]);
  }
  const titles = milestoneTitles(levels);
  const people: PersonSummary[] = [...byPerson.values()].map((credits) => {
    const ladder = ladderOf(credits, levels);
    const earned = new Set(ladder.milestones.map((c) => c.id));
    const summary: PersonSummary = {
      name: ladder.person.name,
      level: ladder.level,
      milestones: [...titles.values()].filter((m) => earned.has(m.id)),
      tasks: ladder.tasks.map((t) => t.id),
    };
    if (ladder.person.login) summary.login = ladder.person.login;
    if (ladder.next) {
      summary.next = { level: ladder.next.level, earned: ladder.next.earned.length, missing: ladder.next.missing };
    }
    return summary;
  });
  people.sort(
    (a, b) =>
      LEVEL_RANK[b.level] - LEVEL_RANK[a.level] ||
      b.milestones.length - a.milestones.length ||
      a.name.localeCompare(b.name),
  );
  return { org, people };
}

/** One person's ladder, or undefined when the viewer sees no credit of theirs. */
export function buildPersonView(
  org: string,
  login: string,
  rows: readonly CreditRowLike[],
  rules: Pick<Rules, "levels" | "tasks" | "signal">,
  webRoot: string,
): PersonView | undefined {
  const own = rows.filter((r) => r.login?.toLowerCase() === login.toLowerCase());
  if (own.length === 0) return undefined;
  const ladder = ladderOf(own, rules.levels);
  const earned = (c: Credit): EarnedView => {
    const base = repoUrl(webRoot, c.repo!);
    const view: EarnedView = {
      repo: c.repo!,
      at: c.at,
      commit: c.commit,
      commitUrl: `${base}/commit/${c.commit}`,
      backfilled: c.backfilled === true,
      evidence: c.evidence.map((e) => ({ ...e, url: fileUrl(base, c.commit, e.path, e.line) })),
    };
    if (c.pr !== undefined) {
      view.pr = c.pr;
      view.prUrl = `${base}/pull/${c.pr}`;
    }
    return view;
  };
  const view: PersonView = {
    org,
    login: ladder.person.login ?? login,
    name: ladder.person.name,
    level: ladder.level,
    milestones: [...milestoneTitles(rules.levels).values()].map((m) => ({
      ...m,
      earned: ladder.milestones.filter((c) => c.id === m.id).map(earned),
    })),
    tasks: ladder.tasks.map((t) => ({
      id: t.id,
      title: rules.tasks.find((r) => r.id === t.id)?.title ?? t.id,
      signals: t.signals.map((c) => ({ id: c.id, title: rules.signal(c.id)?.title ?? c.id, ...earned(c) })),
    })),
  };
  if (ladder.next) view.next = { level: ladder.next.level, earned: ladder.next.earned, missing: ladder.next.missing };
  return view;
}

function ladderOf(rows: readonly CreditRowLike[], levels: readonly LevelRule[]): PersonLadder {
  const credits = rows.map(toCredit);
  // the newest name and a login seen once identify the person; the e-mail stays in the store
  const person: Person = { name: rows[rows.length - 1]!.name };
  const login = rows.find((r) => r.login)?.login;
  if (login) person.login = login;
  return personLadder(person, credits, levels);
}

function milestoneTitles(levels: readonly LevelRule[]): Map<string, { id: string; title: string; level: LevelId }> {
  const out = new Map<string, { id: string; title: string; level: LevelId }>();
  for (const level of levels)
    for (const m of level.milestones) out.set(m.id, { id: m.id, title: m.title, level: level.id });
  return out;
}
