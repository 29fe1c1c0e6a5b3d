// The Report: the one result every renderer, the app and the store consume.
// Its JSON form is a published contract (schema/report.schema.json); bump SCHEMA_VERSION on change.

import type { SnapshotTarget } from "./snapshot.js";
import type { Evidence, Finding, LevelId, Status, TaskId } from "./types.js";

export const SCHEMA_VERSION = "1.2.0";

export interface SignalReport {
  /** `<task>/<signal>` */
  id: string;
  title: string;
  status: Status;
  weight: number;
  evidence: Evidence[];
  /** why it failed or is not applicable; what passed */
  reason?: string;
  /** a stable id of the reason (kebab-case): compare it, not the prose */
  reasonId?: string;
  remediation: string;
  example?: string;
  docs: string;
}

export interface TaskReport {
  id: TaskId;
  title: string;
  /** 0–100; null when no signal applies */
  score: number | null;
  signals: SignalReport[];
}

export interface MilestoneReport {
  id: string;
  level: LevelId;
  title: string;
  description: string;
  status: Status;
  evidence: Evidence[];
  /** the signals that would meet it (any) or must all pass (all) */
  mode: "any" | "all";
  signals: string[];
}

export interface NextStep {
  level: LevelId;
  missing: {
    id: string;
    title: string;
    description: string;
    signals: { id: string; title: string; remediation: string; example?: string; docs: string }[];
  }[];
}

export interface Report {
  schemaVersion: string;
  tool: { name: string; version: string };
  target: SnapshotTarget;
  score: number;
  level: LevelId;
  tasks: TaskReport[];
  milestones: MilestoneReport[];
  next: NextStep | null;
  findings: Finding[];
  config: { source?: string; valid: boolean };
  /** `--only`: the task and signal ids the report is narrowed to (src/engine/only.ts); absent for a full report */
  only?: string[];
  stats: { files: number; candidates: number; read: number; skipped: number; durationMs: number };
}
