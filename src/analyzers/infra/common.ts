// Small helpers shared by the infrastructure analyzers: folders, environment names, JSON with lines.
import type { AnalyzerOutput } from "../../engine/analyzer.js";

export function dirOf(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash < 0 ? "" : path.slice(0, slash);
}

/** Folder names of a lower-case path, without the file name. */
export function folders(lowerPath: string): string[] {
  const parts = lowerPath.split("/");
  parts.pop();
  return parts;
}

const ENVIRONMENT_ALIASES: Record<string, string> = {
  prod: "prod", production: "prod", prd: "prod",
  staging: "staging", stage: "staging", stg: "staging",
  dev: "dev", development: "dev",
  qa: "qa", test: "test", testing: "test", uat: "uat",
  preprod: "preprod", "pre-prod": "preprod", preproduction: "preprod",
  sandbox: "sandbox", demo: "demo", perf: "perf", integration: "integration",
  nonprod: "nonprod", "non-prod": "nonprod",
};

/**
 * The environment a name stands for (`prod`, `values-production`, `eu-staging` …), normalised;
 * undefined when no part of the name is a known environment word.
 */
export function environmentOf(name: string): string | undefined {
  const lower = name.toLowerCase();
  if (ENVIRONMENT_ALIASES[lower]) return ENVIRONMENT_ALIASES[lower];
  for (const part of lower.split(/[^a-z0-9]+/)) {
    const env = ENVIRONMENT_ALIASES[part];
    if (env) return env;
  }
  return undefined;
}

/** 1-based line of a character offset. */
export function lineOfOffset(text: string, offset: number): number {
  let line = 1;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** 1-based line of the first line matching, at or after a line; undefined when none does. */
export function findLine(lines: readonly string[], test: RegExp, fromLine = 1): number | undefined {
  for (let i = Math.max(0, fromLine - 1); i < lines.length; i++) if (test.test(lines[i]!)) return i + 1;
  return undefined;
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export type JsonResult = { value: unknown } | { error: { line: number; message: string } };

/** JSON.parse with the line of a syntax error (V8 reports a position or a line/column). */
export function parseJson(text: string): JsonResult {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const lineCol = /line (\d+) column \d+/.exec(message);
    const position = /position (\d+)/.exec(message);
    const line = lineCol ? Number(lineCol[1]) : position ? lineOfOffset(text, Number(position[1])) : 1;
    return { error: { line, message } };
  }
}

export function parseErrorFinding(
  out: AnalyzerOutput, path: string, rule: string, line: number, message: string, remediation: string,
): void {
  out.finding({ path, line, severity: "error", rule, message, remediation });
}
