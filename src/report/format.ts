// Small text helpers shared by the renderers.
import type { LevelId, Status } from "../engine/types.js";

export const LEVEL_TITLES: Record<LevelId, string> = { junior: "Junior", senior: "Senior", lead: "Lead" };

/** A fixed-width bar, e.g. "███████░░░" for 70. */
export function bar(score: number | null, width = 10): string {
  if (score === null) return "·".repeat(width);
  const filled = Math.round((score / 100) * width);
  return "█".repeat(filled) + "░".repeat(width - filled);
}

export function statusMark(status: Status): string {
  return status === "pass" ? "✓" : status === "fail" ? "✗" : "–";
}

export function scoreText(score: number | null): string {
  return score === null ? "n/a" : String(score);
}

export function location(path: string, line?: number): string {
  return line ? `${path}:${line}` : path;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** Escapes what would break a table cell or start unwanted markup. */
export function escapeMarkdown(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
