// In-place suppression: a comment `devops-ladder-ignore <rule>[, <rule>]` (or with no rule: all rules)
// on the finding's line or the line above silences it (for a script's first line, the line below its shebang).
// Works with any comment syntax (#, //, <!-- -->).
import type { Finding } from "./types.js";

const MARKER = /devops-ladder-ignore(?:[ \t:]+([a-z0-9_/,\- \t]+))?/i;

export function isSuppressed(finding: Finding, text: string | undefined): boolean {
  return suppressedAt(text, finding.line, [finding.rule]);
}

/** Whether a marker on `line` or the line above silences all rules, or one of `rules`. */
export function suppressedAt(text: string | undefined, line: number, rules: readonly string[]): boolean {
  if (!text) return false;
  // nothing may precede a shebang: a finding on it is silenced from the line below
  const shebang = line === 1 && text.startsWith("#!");
  const lines = text.split("\n", shebang ? 2 : line);
  for (const index of shebang ? [0, 1] : [line - 1, line - 2]) {
    const source = lines[index];
    if (source === undefined) continue;
    const match = MARKER.exec(source);
    if (!match) continue;
    const named = (match[1] ?? "").split(/[\s,]+/).filter(Boolean);
    if (named.length === 0 || named.some((rule) => rules.includes(rule))) return true;
  }
  return false;
}
