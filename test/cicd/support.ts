// Fixture access for the CI tests: read a file under fixtures/ci, and find the line of a snippet in it.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../fixtures/ci/", import.meta.url));

export function fixture(name: string): string {
  return readFileSync(ROOT + name, "utf8");
}

/** 1-based line of the first line containing `needle` (after `from`, a line number), so tests never count by hand. */
export function lineOf(text: string, needle: string, from = 0): number {
  const lines = text.split("\n");
  for (let i = from; i < lines.length; i++) if (lines[i]!.includes(needle)) return i + 1;
  throw new Error(`"${needle}" is not in the text`);
}
