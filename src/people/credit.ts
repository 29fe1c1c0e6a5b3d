// The credit model: the report before a change, the report after it, and the change's people → credits.
// Every signal and milestone that went from not passing to passing is credited to each of the change's
// people; one that went from passing to failing is a regression of the repository, never of a person.
// Earning again what was lost is a new credit, to whoever restored it. Pure: no clock, no I/O.
import type { Report } from "../engine/report.js";
import type { Evidence, LevelId, Status, TaskId } from "../engine/types.js";
import { isLeftOut, type PeoplePolicy, type Person, uniquePeople } from "./person.js";

export type CreditKind = "milestone" | "signal";

/** One change to the default branch, as the credit model sees it. */
export interface Change {
  /** the commit the change left the default branch at */
  commit: string;
  /** when it landed, ISO 8601 */
  at: string;
  /** `owner/name`, when known */
  repo?: string;
  /** the repository's visibility: credits carry it, so that only readers of a private repo see its credits */
  private?: boolean;
  /** the merged pull request */
  pr?: number;
  /** who made it (see change.ts); bots and left-out people are dropped here too */
  people: readonly Person[];
  /** credited from the current state at installation, not from a change seen happening */
  backfilled?: boolean;
}

interface Earned {
  kind: CreditKind;
  /** a milestone id (`deploy_script`) or a signal id (`deploy/deploy-script`) */
  id: string;
  /** a milestone's level */
  level?: LevelId;
  /** a signal's task */
  task?: TaskId;
  commit: string;
  at: string;
  repo?: string;
  private?: boolean;
  pr?: number;
}

export interface Credit extends Earned {
  person: Person;
  /** a few places that show it, from the report after the change */
  evidence: Evidence[];
  backfilled?: boolean;
}

/** A signal or milestone lost by a change: recorded against the repository only. */
export type Regression = Earned;

export interface ChangeOutcome {
  credits: Credit[];
  regressions: Regression[];
}

/** Evidence kept with a credit: enough to show where, not a copy of the report. */
const EVIDENCE_KEPT = 3;

/** One signal or milestone as the credit model compares it. */
export interface PracticeItem {
  kind: CreditKind;
  id: string;
  level?: LevelId;
  task?: TaskId;
  status: Status;
  evidence: Evidence[];
}

/** What of a report the credit model reads: every milestone's and signal's status, with a little evidence. */
export interface PracticeState {
  items: PracticeItem[];
}

/** The practice state of a report, small enough to keep per repository (milestones first, then signals). */
export function practiceOf(report: Report | PracticeState): PracticeState {
  if ("items" in report) return report;
  return { items: items(report).map((i) => ({ ...i, evidence: i.evidence.slice(0, EVIDENCE_KEPT) })) };
}

/** The signals and milestones a change made pass (from not passing). */
export function earnedItems(before: Report | PracticeState, after: Report | PracticeState): PracticeItem[] {
  const was = statuses(practiceOf(before));
  return practiceOf(after).items.filter((i) => i.status === "pass" && was.get(`${i.kind}:${i.id}`) !== "pass");
}

/** Whether two states have the same status for every signal and milestone. */
export function samePractice(a: Report | PracticeState, b: Report | PracticeState): boolean {
  const was = statuses(practiceOf(a));
  const now = practiceOf(b).items;
  return was.size === now.length && now.every((i) => was.get(`${i.kind}:${i.id}`) === i.status);
}

/**
 * Credits and regressions of one change. Without a `before` report (the first scan seen of a repository)
 * nothing is known to have changed, so nothing is credited: the backfill credits what already passes.
 */
export function creditChange(
  before: Report | PracticeState | undefined,
  after: Report | PracticeState,
  change: Change,
  policy: PeoplePolicy = {},
): ChangeOutcome {
  if (!before) return { credits: [], regressions: [] };
  const people = uniquePeople(change.people).filter((p) => !isLeftOut(p, policy));
  const was = statuses(practiceOf(before));
  const credits: Credit[] = [];
  const regressions: Regression[] = [];
  for (const item of practiceOf(after).items) {
    const previous = was.get(`${item.kind}:${item.id}`) ?? "fail";
    const earned = base(item, change);
    if (previous !== "pass" && item.status === "pass") {
      const evidence = item.evidence.slice(0, EVIDENCE_KEPT);
      for (const person of people)
        credits.push({ person, ...earned, evidence, ...(change.backfilled ? { backfilled: true } : {}) });
    } else if (previous === "pass" && item.status === "fail") {
      regressions.push(earned);
    }
  }
  return { credits, regressions };
}

/**
 * Credits for what passes now, to the people given for each milestone (the backfill: the author of the
 * commit that first added the milestone's evidence). Signals are not backfilled: only milestones are looked up.
 */
export function backfillCredits(
  report: Report | PracticeState,
  changes: ReadonlyMap<string, Change>,
  policy: PeoplePolicy = {},
): Credit[] {
  const credits: Credit[] = [];
  for (const m of practiceOf(report).items) {
    const change = changes.get(m.id);
    if (m.kind !== "milestone" || m.status !== "pass" || !change) continue;
    const earned = base({ kind: "milestone", id: m.id, level: m.level }, change);
    for (const person of uniquePeople(change.people).filter((p) => !isLeftOut(p, policy)))
      credits.push({ person, ...earned, evidence: m.evidence.slice(0, EVIDENCE_KEPT), backfilled: true });
  }
  return credits;
}

/** Milestones first (they make the ladder), then signals in rubric order. */
function items(report: Report): PracticeItem[] {
  return [
    ...report.milestones.map((m) => ({
      kind: "milestone" as const,
      id: m.id,
      level: m.level,
      status: m.status,
      evidence: m.evidence,
    })),
    ...report.tasks.flatMap((t) =>
      t.signals.map((s) => ({ kind: "signal" as const, id: s.id, task: t.id, status: s.status, evidence: s.evidence })),
    ),
  ];
}

function statuses(state: PracticeState): Map<string, Status> {
  return new Map(state.items.map((i) => [`${i.kind}:${i.id}`, i.status]));
}

function base(item: Pick<PracticeItem, "kind" | "id" | "level" | "task">, change: Change): Earned {
  return {
    kind: item.kind,
    id: item.id,
    ...(item.level ? { level: item.level } : {}),
    ...(item.task ? { task: item.task } : {}),
    commit: change.commit,
    at: change.at,
    ...(change.repo !== undefined ? { repo: change.repo } : {}),
    ...(change.private !== undefined ? { private: change.private } : {}),
    ...(change.pr !== undefined ? { pr: change.pr } : {}),
  };
}
