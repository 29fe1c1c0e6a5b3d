// The engine's first step, pure: from a tree listing and the config, the files the analyzers will read.
// The scan runs it before reading; a remote source (the GitHub app) runs it to fetch those files in one batch.
import type { Config } from "../config/config.js";
import type { Analyzer } from "./analyzer.js";
import { ignoreMatcher } from "./ignore.js";
import type { SnapshotEntry } from "./snapshot.js";
import type { Finding } from "./types.js";

/** Most files read in one scan; past it the rest are reported, not read (a guard for giant monorepos). */
export const MAX_CANDIDATES = 3000;

export interface Candidate {
  path: string;
  name: string;
  analyzers: Analyzer[];
}

export interface ReadPlan {
  /** the tree's paths, less the ignored ones */
  paths: string[];
  /** the files to read, in tree order, each with the analyzers that want it */
  candidates: Candidate[];
  /** files wanted but not read: over max_file_size, past MAX_CANDIDATES */
  findings: Finding[];
}

/**
 * The files some analyzer wants, less what `ignore:` drops and what is over `max_file_size`.
 * `matches` remembers which analyzers want each path across plans that share these analyzers.
 */
export function planAnalysis(
  entries: readonly SnapshotEntry[],
  analyzers: readonly Analyzer[],
  config: Config,
  matches?: Map<string, Analyzer[] | null>,
): ReadPlan {
  const findings: Finding[] = [];
  const ignored = ignoreMatcher(config.ignore);
  const paths: string[] = [];
  let candidates: Candidate[] = [];
  const offeredTo = analyzersByExtension(analyzers);
  for (const entry of entries) {
    if (ignored(entry.path)) continue;
    paths.push(entry.path);
    const name = entry.path.slice(entry.path.lastIndexOf("/") + 1);
    const lower = entry.path.toLowerCase();
    let wanted = matches?.get(entry.path);
    if (wanted === undefined) {
      wanted = null; // most paths match nothing: allocate only for those that do
      for (const analyzer of offeredTo(lower)) {
        if (analyzer.match(entry.path, name, lower)) (wanted ??= []).push(analyzer);
      }
      matches?.set(entry.path, wanted);
    }
    if (!wanted) continue;
    if (entry.size !== undefined && entry.size > config.max_file_size) {
      findings.push(tooLarge(entry.path, entry.size, config.max_file_size));
      continue;
    }
    candidates.push({ path: entry.path, name, analyzers: wanted });
  }
  if (candidates.length > MAX_CANDIDATES) {
    findings.push({
      path: candidates[MAX_CANDIDATES]!.path,
      line: 1,
      severity: "warning",
      rule: "scan/too-many-files",
      message: `${candidates.length} files look like DevOps files; only the first ${MAX_CANDIDATES} were read`,
      remediation: "Add generated or vendored folders to `ignore:` in .github/devops-ladder.yml.",
    });
    candidates = candidates.slice(0, MAX_CANDIDATES);
  }
  return { paths, candidates, findings };
}

/** The analyzers, in their order, that may want a file: those that declare its extension or declare none. */
function analyzersByExtension(analyzers: readonly Analyzer[]): (lowerPath: string) => readonly Analyzer[] {
  const byExtension = new Map<string, readonly Analyzer[]>();
  return (lowerPath) => {
    const ext = extensionOf(lowerPath);
    let offered = byExtension.get(ext);
    if (!offered) {
      offered = analyzers.filter((a) => !a.extensions || a.extensions.includes(ext));
      byExtension.set(ext, offered);
    }
    return offered;
  };
}

/** `.yml` of `ci/deploy.yml`, `.dockerignore` of `.dockerignore`, `""` of `Makefile` (lower-case paths) */
export function extensionOf(lowerPath: string): string {
  const dot = lowerPath.lastIndexOf(".");
  return dot < 0 || dot < lowerPath.lastIndexOf("/") ? "" : lowerPath.slice(dot);
}

export function tooLarge(path: string, size: number, cap: number): Finding {
  return {
    path,
    line: 1,
    severity: "warning",
    rule: "scan/file-too-large",
    message: `${size} bytes is over the ${cap}-byte cap; skipped`,
    remediation: "Raise `max_file_size` in .github/devops-ladder.yml, or add the file to `ignore:` if it is generated.",
  };
}
