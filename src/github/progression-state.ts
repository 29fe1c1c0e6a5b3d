// The progression issue's hidden markers: one that finds the issue again (titles change, labels get reused),
// and one that keeps the app's state in the issue itself (the body's hash, the level last seen, the milestones
// met, the open/closed state the app last set, the level history), so a restart or a second instance loses
// nothing and needs no database.
import { createHash } from "node:crypto";
import { LEVEL_IDS, type LevelId } from "../engine/types.js";
import type { LevelChange } from "../report/issue.js";

export const LABEL = "devops-ladder";
export const MARKER = "<!-- devops-ladder:progression -->";
const STATE_PREFIX = "<!-- devops-ladder:state ";
const STATE_RE = /<!-- devops-ladder:state (\{.*?\}) -->/s;
export const HISTORY_LIMIT = 20;

export interface ProgressionState {
  /** hash of the title and visible body last written */
  hash: string;
  level: LevelId;
  score: number;
  /** ids of the milestones met (a level down names those lost) */
  met: string[];
  /** the state the app last gave the issue: a different one was set by a person */
  open: boolean;
  history: LevelChange[];
}

export function contentHash(title: string, body: string): string {
  return createHash("sha256").update(title).update("\0").update(body).digest("hex").slice(0, 16);
}

/** The body as written to GitHub: the visible text between the two markers. */
export function composeBody(visible: string, state: ProgressionState): string {
  const history = state.history.slice(-HISTORY_LIMIT);
  // `<` and `>` escaped so that no value can close the HTML comment early
  const json = JSON.stringify({ v: 1, ...state, history })
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e");
  return `${MARKER}\n${visible.trimEnd()}\n\n${STATE_PREFIX}${json} -->\n`;
}

export function hasMarker(body: string | null | undefined): boolean {
  return typeof body === "string" && body.includes(MARKER);
}

/** The state in a body, or undefined when it is missing or was damaged by an edit. */
export function parseState(body: string | null | undefined): ProgressionState | undefined {
  const m = typeof body === "string" ? STATE_RE.exec(body) : null;
  if (!m) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(m[1]!);
  } catch {
    return undefined;
  }
  if (typeof raw !== "object" || raw === null) return undefined;
  const s = raw as Record<string, unknown>;
  if (typeof s.hash !== "string" || !isLevel(s.level) || typeof s.score !== "number" || typeof s.open !== "boolean")
    return undefined;
  return {
    hash: s.hash,
    level: s.level,
    score: s.score,
    open: s.open,
    met: Array.isArray(s.met) ? s.met.filter((x): x is string => typeof x === "string").slice(0, 50) : [],
    history: Array.isArray(s.history) ? s.history.filter(isChange).slice(-HISTORY_LIMIT) : [],
  };
}

function isLevel(value: unknown): value is LevelId {
  return typeof value === "string" && (LEVEL_IDS as readonly string[]).includes(value);
}

function isChange(value: unknown): value is LevelChange {
  if (typeof value !== "object" || value === null) return false;
  const c = value as Record<string, unknown>;
  return (
    typeof c.at === "string" &&
    isLevel(c.to) &&
    (c.from === undefined || isLevel(c.from)) &&
    typeof c.score === "number" &&
    (c.pr === undefined || typeof c.pr === "number") &&
    (c.by === undefined || typeof c.by === "string")
  );
}
