// In-place suppression: a comment `devops-ladder-ignore <rule>[, <rule>]` (or with no rule: all rules)
// on the finding's line or the line above silences it. Works with any comment syntax (#, //, <!-- -->).
import type { Finding } from "./types.js";

const MARKER = /devops-ladder-ignore(?:[ \t:]+([a-z0-9_/,\- \t]+))?/i;

export function isSuppressed(finding: Finding, text: string | undefined): boolean {
  if (!text) return false;
  const lines = text.split("\n", finding.line);
  for (const index of [finding.line - 1, finding.line - 2]) {
    const line = lines[index];
    if (line === undefined) continue;
    const match = MARKER.exec(line);
    if (!match) continue;
    const rules = (match[1] ?? "").split(/[\s,]+/).filter(Boolean);
    if (rules.length === 0 || rules.includes(finding.rule)) return true;
  }
  return false;
}
