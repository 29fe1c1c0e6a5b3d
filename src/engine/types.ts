// Core vocabulary of the engine. Ids here are stable API (see schema/report.schema.json).

export const TASK_IDS = ["deploy", "cicd", "monitoring", "docker", "architecture", "coordination", "backups"] as const;
export type TaskId = (typeof TASK_IDS)[number];

export const LEVEL_IDS = ["junior", "senior", "lead"] as const;
export type LevelId = (typeof LEVEL_IDS)[number];

export type Status = "pass" | "fail" | "na";
export type Severity = "error" | "warning" | "note";

/** Where a claim comes from: a file, and a 1-based line when one makes sense. */
export interface Evidence {
  path: string;
  line?: number;
  /** a few words on what was found there, e.g. "helm rollback in job deploy" */
  note?: string;
}

/** A problem found in a file (lint, parse error, risky setting). */
export interface Finding {
  path: string;
  /** 1-based; 1 when the problem is about the whole file */
  line: number;
  severity: Severity;
  /** stable id, `<area>/<name>`, e.g. `docker/unpinned-base-image` */
  rule: string;
  message: string;
  /** what to change, with an example where it helps */
  remediation?: string;
}
