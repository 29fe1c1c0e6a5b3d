// Badges: a Report or a stored scan → an SVG (badge-maker) or a shields.io endpoint object. Pure, no I/O.
// The app serves them (src/http/badges.ts); the CLI writes one with `--badge out.svg`.
import { makeBadge } from "badge-maker";
import type { Report } from "../engine/report.js";
import type { LevelId } from "../engine/types.js";

export const BADGE_STYLES = ["flat", "flat-square", "plastic", "for-the-badge", "social"] as const;
export type BadgeStyle = (typeof BADGE_STYLES)[number];

/** The part of a Report (or of a stored scan) a badge shows. */
export interface BadgeScore {
  score: number;
  level: LevelId;
}

export interface BadgeFace {
  label: string;
  message: string;
  color: string;
  /** what a screen reader says; also the SVG's <title> */
  title: string;
}

const LABEL = "devops";

const LEVEL_COLORS: Record<LevelId, string> = { junior: "orange", senior: "blue", lead: "brightgreen" };

/** `devops | senior · 72`, coloured by level. */
export function overallFace(scan: BadgeScore): BadgeFace {
  return {
    label: LABEL,
    message: `${scan.level} · ${scan.score}`,
    color: LEVEL_COLORS[scan.level] ?? "lightgrey",
    title: `DevOps ladder: ${scan.level} level, score ${scan.score} of 100`,
  };
}

/** `devops · cicd | 80`, coloured by score; `n/a` when no signal of the task applies. */
export function taskFace(task: string, score: number | null | undefined): BadgeFace {
  const known = typeof score === "number";
  return {
    label: `${LABEL} · ${task}`,
    message: known ? String(score) : "n/a",
    color: known ? scoreColor(score) : "lightgrey",
    title: known ? `DevOps ladder, ${task}: score ${score} of 100` : `DevOps ladder, ${task}: not applicable`,
  };
}

/** The face served for an unknown repo and, identically, for a private one asked without its token. */
export function notFoundFace(): BadgeFace {
  return {
    label: LABEL,
    message: "not found",
    color: "lightgrey",
    title: "DevOps ladder: no public score for this repository",
  };
}

export function scoreColor(score: number): string {
  if (score >= 80) return "brightgreen";
  if (score >= 60) return "green";
  if (score >= 40) return "yellow";
  if (score >= 20) return "orange";
  return "red";
}

export function renderSvg(face: BadgeFace, style: BadgeStyle = "flat"): string {
  const svg = makeBadge({ label: face.label, message: face.message, color: face.color, style });
  // badge-maker titles the badge "label: message"; say it in words a screen reader can read out
  const generated = escapeXml(`${face.label}: ${face.message}`);
  const title = escapeXml(face.title);
  return svg
    .replace(`aria-label="${generated}"`, `aria-label="${title}"`)
    .replace(`<title>${generated}</title>`, `<title>${title}</title>`);
}

/** The overall badge of a Report: what `devops-ladder scan --badge out.svg` writes. */
export function renderBadge(report: Report, style?: BadgeStyle): string {
  return renderSvg(overallFace(report), style);
}

/** A shields.io endpoint object (https://shields.io/badges/endpoint-badge). */
export function shieldsEndpoint(face: BadgeFace, cacheSeconds: number): Record<string, unknown> {
  return { schemaVersion: 1, label: face.label, message: face.message, color: face.color, cacheSeconds };
}

/**
 * The Markdown to paste in a README, for the check run and the progression issue.
 * `token` is the repo's badge token (src/http/token.ts) when the repo is private.
 */
export function badgeMarkdown(baseUrl: string, repo: string, token?: string): string {
  const base = baseUrl.replace(/\/+$/, "");
  const query = token ? `?token=${token}` : "";
  return `![DevOps ladder](${base}/badges/${repo}.svg${query})`;
}

function escapeXml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}
