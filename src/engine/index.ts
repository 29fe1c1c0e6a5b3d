// The engine with its default parts: the bundled rules, every analyzer and detector.
import { analyzers } from "../analyzers/index.js";
import type { Config } from "../config/config.js";
import { defaultParts, knownIds } from "./default-parts.js";
import { planAnalysis } from "./plan.js";
import { readPrebuiltRules } from "./prebuilt-rules.js";
import type { Report } from "./report.js";
import { loadRules, type Rules } from "./rules.js";
import { type EngineParts, type ScanOptions, scanSnapshot } from "./scan.js";
import type { Snapshot, SnapshotEntry } from "./snapshot.js";

let parts: EngineParts | undefined;

export function defaultRules(): Rules {
  return engineParts().rules;
}

export function engineParts(): EngineParts {
  parts ??= defaultParts(readPrebuiltRules() ?? loadRules(knownIds()));
  return parts;
}

export function scan(snapshot: Snapshot, options: ScanOptions = {}): Promise<Report> {
  return scanSnapshot(snapshot, engineParts(), options);
}

/** The paths a scan under `config` reads in a tree with these entries: what a remote source fetches first. */
export function planReads(entries: readonly SnapshotEntry[], config: Config): string[] {
  return planAnalysis(entries, analyzers, config).candidates.map((c) => c.path);
}

export { knownIds } from "./default-parts.js";
export type { Report } from "./report.js";
export type { ScanOptions } from "./scan.js";
