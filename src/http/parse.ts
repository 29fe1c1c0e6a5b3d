// Request URL → route, refusing anything that is not a well-formed name before the store is touched.
import type { TaskId } from "../engine/types.js";
import { BADGE_STYLES, type BadgeStyle } from "../report/badge.js";
import { isOwnerName, isRefName, isRepoName, isTaskId } from "./names.js";
import { TOKEN_PATTERN } from "./token.js";

/** No valid URL of ours comes near this; longer ones are refused before any parsing. */
export const MAX_URL_LENGTH = 1024;

export interface Query {
  token?: string;
  style: BadgeStyle;
  ref?: string;
  limit: number;
}

export type Route =
  | { kind: "badge"; repo: string; task?: TaskId; format: "svg" | "json"; query: Query }
  | { kind: "history"; repo: string; query: Query }
  | { kind: "healthz" }
  | { kind: "metrics" }
  | { kind: "bad"; status: 400 | 404; message: string };

/** Is the URL under one of our paths? Everything else is left to Probot's other handlers. */
export function isOurs(url: string): boolean {
  return (
    url.startsWith("/badges/") ||
    url.startsWith("/api/repos/") ||
    pathOf(url) === "/healthz" ||
    pathOf(url) === "/metrics"
  );
}

// GitHub names need no percent-encoding, so none is accepted: "%2e%2e", "%2F", overlong UTF-8 and
// backslashes all fail here, with no decoding step that could turn them into something else.
const PATH_CHARS = /^[A-Za-z0-9._/-]+$/;

export function parseRoute(url: string): Route {
  if (url.length > MAX_URL_LENGTH) return bad(400, "URL too long");
  const path = pathOf(url);
  if (!PATH_CHARS.test(path)) return bad(400, "unexpected characters in the path");
  const segments = path.split("/").slice(1);
  if (segments.some((s) => s === "" || s === "." || s === "..")) return bad(400, "empty or relative path segment");
  if (path === "/healthz") return { kind: "healthz" };
  if (path === "/metrics") return { kind: "metrics" };

  const query = parseQuery(url);
  if (typeof query === "string") return bad(400, query);

  if (segments[0] === "badges" && (segments.length === 3 || segments.length === 4)) {
    const last = segments[segments.length - 1];
    const format = last.endsWith(".svg") ? "svg" : last.endsWith(".json") ? "json" : undefined;
    if (!format) return bad(404, "not found");
    const name = last.slice(0, last.length - format.length - 1);
    const [owner, repo, task] =
      segments.length === 3 ? [segments[1], name, undefined] : [segments[1], segments[2], name];
    const names = checkNames(owner, repo);
    if (names) return names;
    if (task !== undefined && !isTaskId(task)) return bad(404, "unknown task");
    return { kind: "badge", repo: `${owner}/${repo}`, task: task as TaskId | undefined, format, query };
  }
  if (segments[0] === "api" && segments[1] === "repos" && segments.length === 5 && segments[4] === "history") {
    const names = checkNames(segments[2], segments[3]);
    if (names) return names;
    return { kind: "history", repo: `${segments[2]}/${segments[3]}`, query };
  }
  return bad(404, "not found");
}

function checkNames(owner: string, repo: string): Route | undefined {
  if (!isOwnerName(owner)) return bad(400, "not a GitHub owner name");
  if (!isRepoName(repo)) return bad(400, "not a GitHub repository name");
  return undefined;
}

/** The query parameters we use, validated; unknown ones (cache busters like `?v=2`) are ignored. */
function parseQuery(url: string): Query | string {
  const mark = url.indexOf("?");
  const query: Query = { style: "flat", limit: 100 };
  if (mark === -1) return query;
  const params = new URLSearchParams(url.slice(mark + 1));
  const token = params.get("token");
  if (token !== null) {
    if (!TOKEN_PATTERN.test(token)) return "token must be 32 lower-case hex characters";
    query.token = token;
  }
  const style = params.get("style");
  if (style !== null) {
    if (!(BADGE_STYLES as readonly string[]).includes(style)) return `style must be one of ${BADGE_STYLES.join(", ")}`;
    query.style = style as BadgeStyle;
  }
  const ref = params.get("ref");
  if (ref !== null) {
    if (!isRefName(ref)) return "not a branch name";
    query.ref = ref;
  }
  const limit = params.get("limit");
  if (limit !== null) {
    if (!/^[0-9]{1,4}$/.test(limit) || Number(limit) < 1 || Number(limit) > 1000) return "limit must be 1–1000";
    query.limit = Number(limit);
  }
  return query;
}

function pathOf(url: string): string {
  const mark = url.indexOf("?");
  return mark === -1 ? url : url.slice(0, mark);
}

function bad(status: 400 | 404, message: string): Route {
  return { kind: "bad", status, message };
}
