// Fixtures live under fixtures/ (ignored by scans so the project can scan itself); tests mount them at real paths.
import { readFileSync } from "node:fs";
import { analyze, type Files } from "../helpers.js";

export function fixture(relative: string): string {
  return readFileSync(new URL(`../../fixtures/observability/${relative}`, import.meta.url), "utf8");
}

/** The facts and findings of some files, through every real analyzer. */
export async function analyzed(files: Files) {
  const analysis = await analyze(files);
  return {
    facts: analysis.facts,
    findings: analysis.findings,
    rules: analysis.findings.map((f) => f.rule),
  };
}
