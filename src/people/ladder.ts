// A person's DevOps ladder, from their credits, by the levels of rules/levels.yml: Senior once they have
// earned every Senior milestone (in any repository of the org), Lead once they have also earned every Lead
// one. Per task, the signals they earned, where and when. Pure: credits in, ladder out.
import type { LevelRule } from "../engine/rules.js";
import { type LevelId, TASK_IDS, type TaskId } from "../engine/types.js";
import type { Credit } from "./credit.js";
import { type Person, personKey } from "./person.js";

export interface LevelProgress {
  level: LevelId;
  /** milestone ids of that level, in rubric order */
  earned: string[];
  missing: string[];
}

export interface PersonLadder {
  person: Person;
  level: LevelId;
  /** the next level and how far along it the person is; absent at the top */
  next?: LevelProgress;
  /** every milestone credit, oldest first (one earned again after a loss is listed again) */
  milestones: Credit[];
  /** every signal credit, oldest first */
  signals: Credit[];
  /** the signal credits by task, in the rubric's task order; tasks without any are left out */
  tasks: { id: TaskId; signals: Credit[] }[];
}

export function personLadder(person: Person, credits: readonly Credit[], levels: readonly LevelRule[]): PersonLadder {
  const sorted = [...credits].sort(byTime);
  const milestones = sorted.filter((c) => c.kind === "milestone");
  const signals = sorted.filter((c) => c.kind === "signal");
  const earned = new Set(milestones.map((c) => c.id));
  let level: LevelId = levels[0]?.id ?? "junior";
  let next: LevelProgress | undefined;
  for (const rule of levels) {
    const ids = rule.milestones.map((m) => m.id);
    const missing = ids.filter((id) => !earned.has(id));
    if (missing.length > 0) {
      next = { level: rule.id, earned: ids.filter((id) => earned.has(id)), missing };
      break;
    }
    level = rule.id;
  }
  const tasks = TASK_IDS.map((id) => ({ id, signals: signals.filter((c) => c.task === id) })).filter(
    (t) => t.signals.length > 0,
  );
  return { person, level, ...(next ? { next } : {}), milestones, signals, tasks };
}

/** Everyone's ladder from a list of credits (an org's, a repo's): grouped by person, in order of first credit. */
export function ladders(credits: readonly Credit[], levels: readonly LevelRule[]): PersonLadder[] {
  const groups = new Map<string, { person: Person; credits: Credit[] }>();
  for (const credit of [...credits].sort(byTime)) {
    const key = personKey(credit.person);
    const group = groups.get(key);
    if (group) {
      group.credits.push(credit);
      group.person = { ...credit.person, ...definedOf(group.person) };
    } else groups.set(key, { person: { ...credit.person }, credits: [credit] });
  }
  return [...groups.values()].map((g) => personLadder(g.person, g.credits, levels));
}

/** Newest name wins; a login or e-mail seen once is kept. */
function definedOf(person: Person): Partial<Person> {
  return Object.fromEntries(Object.entries(person).filter(([k, v]) => v !== undefined && k !== "name"));
}

/** Oldest first; times are compared as instants (an offset other than Z sorts right too). */
function byTime(a: Credit, b: Credit): number {
  return Date.parse(a.at) - Date.parse(b.at);
}
