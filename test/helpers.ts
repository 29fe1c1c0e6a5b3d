// Test helpers: run the real analyzers and detectors on in-memory files.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { analyzers } from "../src/analyzers/index.js";
import { DEFAULT_CONFIG, parseConfig } from "../src/config/config.js";
import { conditions, detectors } from "../src/detectors/index.js";
import type { ConditionResult, DetectContext, DetectorResult, Params } from "../src/engine/detector.js";
import { defaultRules, type Report, scan } from "../src/engine/index.js";
import type { SignalReport } from "../src/engine/report.js";
import { type Analysis, analyzeSnapshot, detectContext } from "../src/engine/scan.js";
import { memorySnapshot } from "../src/engine/snapshot.js";

export type Files = Record<string, string | Uint8Array>;

/**
 * A folder as in-memory files, with paths relative to it (the folder stands for a repository root).
 * Text by default; bytes keep BOMs, CRLF and binary content exactly as committed.
 */
export function readFolder(root: string): Record<string, string>;
export function readFolder(root: string, as: "bytes"): Record<string, Uint8Array>;
export function readFolder(root: string, as: "text" | "bytes" = "text"): Files {
  const files: Files = {};
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath, entry.name);
    const content = readFileSync(full);
    files[relative(root, full).split(sep).join("/")] =
      as === "bytes" ? new Uint8Array(content) : content.toString("utf8");
  }
  return files;
}

/** Every analyzer over the files, as the engine runs them. */
export function analyze(files: Files): Promise<Analysis> {
  return analyzeSnapshot(memorySnapshot(files), analyzers, DEFAULT_CONFIG);
}

/** What detectors see of the files. */
export async function contextOf(files: Files): Promise<DetectContext> {
  return detectContext(await analyze(files));
}

/**
 * One signal's detector (by signal id, `task/id`) over the facts of the files. A fail or N/A without a reason id,
 * or with one its rule does not list under `reasons:` (rules/<task>.yml), throws: every id a test reaches is known.
 */
export async function detect(signalId: string, files: Files, params: Params = {}): Promise<DetectorResult> {
  const detector = detectors[signalId];
  if (!detector) throw new Error(`no detector for ${signalId}`);
  const result = detector(await contextOf(files), params);
  checkReasonId(signalId, result);
  return result;
}

/** Throws when a fail or N/A has no reason id, or one that the signal's rule does not list. */
export function checkReasonId(signalId: string, result: DetectorResult): void {
  if (result.status === "pass") return;
  const listed = defaultRules().signal(signalId)?.reasons ?? {};
  if (!result.reasonId || !Object.hasOwn(listed, result.reasonId))
    throw new Error(
      `${signalId}: ${result.status} with reason id ${result.reasonId ?? "(none)"}, not one of the rule's reasons ` +
        `(${Object.keys(listed).join(", ")}): ${result.reason}`,
    );
}

/** One `applies_if:` condition (by condition id) over the facts of the files. */
export async function condition(conditionId: string, files: Files): Promise<ConditionResult> {
  const check = conditions[conditionId];
  if (!check) throw new Error(`no condition ${conditionId}`);
  return check(await contextOf(files));
}

/** A whole scan of in-memory files, with an optional config text. */
export function scanFiles(files: Files, configText?: string): Promise<Report> {
  const loaded = configText === undefined ? undefined : parseConfig(configText);
  return scan(memorySnapshot(files), {
    config: loaded?.config,
    configFindings: loaded?.findings,
    configSource: loaded?.source,
  });
}

export function signalOf(report: Report, id: string): SignalReport {
  const signal = report.tasks.flatMap((t) => t.signals).find((s) => s.id === id);
  if (!signal) throw new Error(`no signal ${id} in the report`);
  return signal;
}
