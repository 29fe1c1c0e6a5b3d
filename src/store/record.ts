// The one call the app makes after a completed scan: a Report becomes a stored scan.
import type { Report } from "../engine/report.js";
import { TOOL } from "../version.js";
import type { Store, StoredScan, TaskScores } from "./store.js";

export interface CompletedScan {
  /** `owner/name` */
  repo: string;
  /** the branch or ref scanned, e.g. `main`, `refs/heads/main`, `refs/pull/7/head` */
  ref: string;
  headSha: string;
  private: boolean;
  report: Report;
  /** the repo's default branch (payload.repository.default_branch): only its scans move the badge */
  defaultBranch?: string;
  scannedAt?: number;
  /** what scanned (default: the tool's version); the app gives the engine and config fingerprint */
  version?: string;
}

export function recordScan(store: Store, scan: CompletedScan): Promise<StoredScan> {
  const tasks: TaskScores = {};
  for (const task of scan.report.tasks) tasks[task.id] = task.score;
  return store.scans.record({
    repo: scan.repo,
    ref: scan.ref,
    headSha: scan.headSha,
    private: scan.private,
    score: scan.report.score,
    level: scan.report.level,
    tasks,
    defaultBranch: scan.defaultBranch,
    scannedAt: scan.scannedAt,
    version: scan.version ?? TOOL.version,
  });
}
