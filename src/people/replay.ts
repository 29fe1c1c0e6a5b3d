// A history replayed: each change to the default branch scanned in turn, its report diffed with the one
// before, its people credited. Where the changes come from (git, a test) and how a snapshot is scanned are
// given: this module only folds reports into credits.
import type { Report } from "../engine/report.js";
import type { Snapshot } from "../engine/snapshot.js";
import { type Change, type Credit, creditChange, type Regression, samePractice } from "./credit.js";
import type { PeoplePolicy, Person } from "./person.js";

/** One change of the history, as its source describes it. */
export interface ReplayedChange {
  commit: string;
  at: string;
  pr?: number;
  snapshot: Snapshot;
  /** who made it (asked only when the change passed or lost something) */
  people(): Promise<Person[]>;
}

export interface ReplayResult {
  credits: Credit[];
  regressions: Regression[];
  /** changes scanned */
  scanned: number;
  /** the report of the last change (or of the baseline when none was scanned) */
  last: Report;
}

export type ScanFn = (snapshot: Snapshot) => Promise<Report>;

export async function replayHistory(
  baseline: Snapshot,
  changes: AsyncIterable<ReplayedChange>,
  scan: ScanFn,
  options: { repo?: string; policy?: PeoplePolicy } = {},
): Promise<ReplayResult> {
  let previous = await scan(baseline);
  const credits: Credit[] = [];
  const regressions: Regression[] = [];
  let scanned = 0;
  for await (const step of changes) {
    const report = await scan(step.snapshot);
    scanned++;
    if (!samePractice(previous, report)) {
      const change: Change = {
        commit: step.commit,
        at: step.at,
        ...(options.repo ? { repo: options.repo } : {}),
        ...(step.pr !== undefined ? { pr: step.pr } : {}),
        people: await step.people(),
      };
      const outcome = creditChange(previous, report, change, options.policy);
      credits.push(...outcome.credits);
      regressions.push(...outcome.regressions);
    }
    previous = report;
  }
  return { credits, regressions, scanned, last: previous };
}
