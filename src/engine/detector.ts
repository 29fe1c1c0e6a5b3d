// Detectors decide one signal from the facts of the whole repository. Pure functions.
// A detector is registered under its signal's id (`task/id`, as in rules/<task>.yml and the docs anchor);
// a condition (`applies_if:`) under its own condition id. Conditions are not signals: they score nothing.
import type { DerivedFacts } from "../facts/derived.js";
import type { FactStore } from "./facts.js";
import type { Evidence, Finding, Status } from "./types.js";

export interface DetectContext {
  /** every path of the tree after ignores (not only the files that were read) */
  paths: readonly string[];
  /** whether the tree has this exact path */
  hasPath(path: string): boolean;
  facts: FactStore;
  /** what the facts say together (command graph, schedules, data stores, deploys), computed once per scan */
  derived: DerivedFacts;
}

export interface DetectorResult {
  status: Status;
  /** for pass: where the evidence is; for fail: optionally where the near-miss is */
  evidence?: Evidence[];
  /** one sentence: why it failed or is not applicable, or what exactly passed */
  reason?: string;
  /**
   * a stable id of the reason (kebab-case, e.g. `no-schedule`): tests and tools compare it, the prose may change.
   * Detectors give one with each fail and N/A (fail, notApplicable and passIfAny require it), one of the ids the
   * signal's rule lists under `reasons:`; the engine gives its own (disabled, not-applicable-by-config …).
   */
  reasonId?: string;
  /** problems only visible across files (e.g. a Terraform module without a backend in any of its files) */
  findings?: Finding[];
}

export type Params = Record<string, unknown>;
export type Detector = (ctx: DetectContext, params: Params) => DetectorResult;

/** Whether a signal applies to this repository at all; when not, why (the signal's N/A reason by default). */
export type ConditionResult = { holds: true } | { holds: false; reason: string };
export type Condition = (ctx: DetectContext) => ConditionResult;

export const holds: ConditionResult = { holds: true };
export const doesNotHold = (reason: string): ConditionResult => ({ holds: false, reason });

export const pass = (evidence: Evidence[], reason?: string): DetectorResult => ({ status: "pass", evidence, reason });
/**
 * A failed signal: why (one sentence), where the near misses are, and the reason's stable id (kebab-case, what is
 * missing: `no-deploy-command`), one of the ids the signal's rule lists under `reasons:` (rules/<task>.yml).
 */
export const fail = (reason: string, evidence: Evidence[], reasonId: string): DetectorResult => ({
  status: "fail",
  evidence,
  reason,
  reasonId,
});
/** A signal that does not apply to this repository, why, and the reason's stable id (as for `fail`). */
export const notApplicable = (reason: string, reasonId: string): DetectorResult => ({
  status: "na",
  evidence: [],
  reason,
  reasonId,
});

/** pass with the evidence when there is any, otherwise fail with the reason and its id */
export function passIfAny(evidence: Evidence[], failReason: string, reasonId: string): DetectorResult {
  return evidence.length > 0 ? pass(dedupeEvidence(evidence)) : fail(failReason, [], reasonId);
}

export function dedupeEvidence(evidence: Evidence[]): Evidence[] {
  const seen = new Set<string>();
  const out: Evidence[] = [];
  for (const e of evidence) {
    const key = `${e.path}:${e.line ?? ""}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(e);
  }
  return capEvidence(out);
}

/** Most evidence a signal lists. */
export const MAX_EVIDENCE = 20;

/** Folders and names of generated output: rendered bundles, CRDs and code generators' files. */
const GENERATED = new RegExp(
  String.raw`(^|\/)(release|releases|rendered|generated|gen|crds?|bundle|manifests\/generated)\/|(^|` +
    String.raw`[./_-])(zz_generated|generated|bundle|rendered)[._-]`,
  "i",
);

/**
 * The evidence to show when there is more than fits: hand-written files before generated ones, and every
 * top-level folder taking its turn, one file at a time, so that one folder of 300 rendered manifests cannot hide
 * the chart they come from. Under the cap, the detector's own order stands; over it, generated files go last.
 */
export function capEvidence(evidence: readonly Evidence[], max = MAX_EVIDENCE): Evidence[] {
  if (evidence.length <= max) return [...evidence];
  const byPath = new Map<string, Evidence[]>();
  for (const e of evidence) byPath.set(e.path, [...(byPath.get(e.path) ?? []), e]);
  const folders = new Map<string, string[]>();
  const ranked = [...byPath.keys()].sort((a, b) => Number(GENERATED.test(a)) - Number(GENERATED.test(b)));
  for (const path of ranked) {
    const key = `${GENERATED.test(path) ? 1 : 0}:${path.includes("/") ? path.slice(0, path.indexOf("/")) : ""}`;
    folders.set(key, [...(folders.get(key) ?? []), path]);
  }
  // one file per folder per round (hand-written folders first), then the further lines of files already shown
  const order: string[] = [];
  const queues = [...folders.values()];
  while (queues.some((q) => q.length > 0)) for (const q of queues) if (q.length > 0) order.push(q.shift()!);
  const chosen = new Set<Evidence>();
  for (const path of order) if (chosen.size < max) chosen.add(byPath.get(path)![0]!);
  for (const path of order) for (const e of byPath.get(path)!) if (chosen.size < max) chosen.add(e);
  // the detector's order, generated files last
  const shown = evidence.filter((e) => chosen.has(e));
  return [...shown.filter((e) => !GENERATED.test(e.path)), ...shown.filter((e) => GENERATED.test(e.path))];
}
