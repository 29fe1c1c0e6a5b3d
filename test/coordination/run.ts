// Runs only this domain's analyzers and detectors (the real ones) on in-memory files, so that these
// tests do not depend on other domains' work in progress. End-to-end checks use test/helpers.ts.
import { join } from "node:path";
import { repoAnalyzers } from "../../src/analyzers/repo/index.js";
import { DEFAULT_CONFIG } from "../../src/config/config.js";
import { coordinationDetectors } from "../../src/detectors/coordination.js";
import type { DetectContext, DetectorResult, Params } from "../../src/engine/detector.js";
import type { FactStore } from "../../src/engine/facts.js";
import { type Analysis, analyzeSnapshot, detectContext } from "../../src/engine/scan.js";
import { memorySnapshot } from "../../src/engine/snapshot.js";
import type { DocFact } from "../../src/facts/repo.js";
import { checkReasonId, readFolder } from "../helpers.js";

export type Files = Record<string, string | Uint8Array>;

export function analyzeRepo(files: Files): Promise<Analysis> {
  return analyzeSnapshot(memorySnapshot(files), repoAnalyzers, DEFAULT_CONFIG);
}

export async function docOf(path: string, text: string): Promise<DocFact> {
  const analysis = await analyzeRepo({ [path]: text });
  const doc = analysis.facts.all("doc").find((d) => d.path === path);
  if (!doc) throw new Error(`no doc fact for ${path}`);
  return doc;
}

export async function topicsOf(path: string, text: string): Promise<Record<string, number>> {
  const doc = await docOf(path, text);
  return Object.fromEntries(doc.topics.map((t) => [t.topic, t.line]));
}

/** A coordination detector over the facts of files, plus hand-built facts of other domains (reason ids checked). */
export async function detectWith(
  detectorId: string,
  files: Files,
  params: Params = {},
  extra?: (facts: FactStore) => void,
): Promise<DetectorResult> {
  const analysis = await analyzeRepo(files);
  extra?.(analysis.facts);
  const detector = coordinationDetectors[detectorId];
  if (!detector) throw new Error(`no detector ${detectorId}`);
  const ctx: DetectContext = detectContext(analysis);
  const result = detector(ctx, params);
  checkReasonId(detectorId, result);
  return result;
}

/** A fixture folder under fixtures/repo/ as in-memory files with repository-relative paths. */
export function fixture(name: string): Files {
  return readFolder(join(import.meta.dirname, "../../fixtures/repo", name), "bytes");
}
