// Dashboard URLs → routes. Names are checked against GitHub's rules before anything is looked up, and the
// query's filters against their closed lists: a bad value is a 400 that says which, never a guess.
import { LEVEL_IDS, type LevelId } from "../engine/types.js";
import { isOwnerName, isRepoName, isTaskId } from "../http/names.js";
import type { OrgFilters, SortKey } from "./org-view.js";
import { SORT_KEYS } from "./org-view.js";

export type Route =
  | { kind: "index"; api: boolean }
  | { kind: "org"; api: boolean; org: string; filters: OrgFilters }
  | { kind: "repo"; api: boolean; org: string; repo: string }
  | { kind: "people"; api: boolean; org: string }
  | { kind: "person"; api: boolean; org: string; login: string }
  | { kind: "login"; returnTo: string }
  | { kind: "callback"; code?: string; state?: string; error?: string }
  | { kind: "logout" }
  | { kind: "stylesheet" }
  | { kind: "bad"; api: boolean; status: 400 | 404; message: string };

const MAX_URL = 2048;
/** GitHub names need no percent-encoding: none is accepted in the path. */
const PATH_CHARS = /^[A-Za-z0-9._/-]*$/;
const TOPIC = /^[a-z0-9][a-z0-9-]{0,49}$/;
const TEAM_SLUG = /^[A-Za-z0-9._-]{1,100}$/;
const MILESTONE = /^[a-z][a-z0-9_]{0,63}$/;

/** Is this URL the dashboard's? Everything else goes on to the badge routes and Probot. */
export function isDashboardUrl(url: string): boolean {
  const path = pathOf(url);
  return (
    path === "/" ||
    path === "/login" ||
    path === "/login/callback" ||
    path === "/logout" ||
    path === "/dashboard.css" ||
    path === "/orgs" ||
    path.startsWith("/orgs/") ||
    path === "/api/orgs" ||
    path.startsWith("/api/orgs/")
  );
}

export function parseDashboardRoute(url: string): Route {
  const path = pathOf(url);
  const api = path.startsWith("/api/");
  if (url.length > MAX_URL) return bad(api, 400, "URL too long");
  if (!PATH_CHARS.test(path)) return bad(api, 400, "unexpected characters in the path");
  const params = new URLSearchParams(url.slice(path.length + 1));
  if (path === "/dashboard.css") return { kind: "stylesheet" };
  if (path === "/login") return { kind: "login", returnTo: safeReturn(params.get("return_to")) };
  if (path === "/login/callback") {
    return {
      kind: "callback",
      code: params.get("code") ?? undefined,
      state: params.get("state") ?? undefined,
      error: params.get("error") ?? undefined,
    };
  }
  if (path === "/logout") return { kind: "logout" };

  const segments = (api ? path.slice(4) : path).split("/").slice(1);
  if (segments.length === 1 && segments[0] === "") return { kind: "index", api };
  if (segments[0] !== "orgs") return bad(api, 404, "not found");
  if (segments.length === 1) return { kind: "index", api };
  const org = segments[1]!;
  if (!isOwnerName(org)) return bad(api, 404, "not found");
  if (segments.length === 2) {
    const filters = parseFilters(params);
    return typeof filters === "string" ? bad(api, 400, filters) : { kind: "org", api, org, filters };
  }
  if (segments[2] === "repos" && segments.length === 4) {
    return isRepoName(segments[3]!) ? { kind: "repo", api, org, repo: segments[3]! } : bad(api, 404, "not found");
  }
  if (segments[2] === "people" && segments.length === 3) return { kind: "people", api, org };
  if (segments[2] === "people" && segments.length === 4) {
    return isOwnerName(segments[3]!) ? { kind: "person", api, org, login: segments[3]! } : bad(api, 404, "not found");
  }
  return bad(api, 404, "not found");
}

export function parseFilters(params: URLSearchParams): OrgFilters | string {
  const filters: OrgFilters = { page: 1 };
  const level = value(params, "level");
  if (level !== undefined) {
    if (!(LEVEL_IDS as readonly string[]).includes(level)) return `level must be one of ${LEVEL_IDS.join(", ")}`;
    filters.level = level as LevelId;
  }
  const task = value(params, "task");
  if (task !== undefined) {
    if (!isTaskId(task))
      return "task must be a task id (deploy, cicd, monitoring, docker, architecture, coordination, backups)";
    filters.task = task;
  }
  const team = value(params, "team");
  if (team !== undefined) {
    if (!TEAM_SLUG.test(team)) return "team must be a team slug";
    filters.team = team.toLowerCase();
  }
  const topic = value(params, "topic");
  if (topic !== undefined) {
    if (!TOPIC.test(topic)) return "topic must be a GitHub topic (lower-case letters, digits and hyphens)";
    filters.topic = topic;
  }
  const milestone = value(params, "milestone");
  if (milestone !== undefined) {
    if (!MILESTONE.test(milestone)) return "milestone must be a milestone id, e.g. db_backups";
    filters.milestone = milestone;
  }
  const q = value(params, "q");
  if (q !== undefined) filters.q = q.slice(0, 100);
  const sort = value(params, "sort");
  if (sort !== undefined) {
    if (!(SORT_KEYS as readonly string[]).includes(sort)) return `sort must be one of ${SORT_KEYS.join(", ")}`;
    filters.sort = sort as SortKey;
  }
  const dir = value(params, "dir");
  if (dir !== undefined) {
    if (dir !== "asc" && dir !== "desc") return "dir must be asc or desc";
    filters.dir = dir;
  }
  const page = value(params, "page");
  if (page !== undefined) {
    if (!/^[1-9][0-9]{0,4}$/.test(page)) return "page must be a whole number from 1";
    filters.page = Number(page);
  }
  return filters;
}

/** An empty parameter (`?level=` from the filter form's "any") is no filter. */
function value(params: URLSearchParams, name: string): string | undefined {
  const v = params.get(name)?.trim();
  return v ? v : undefined;
}

/** Only a path of ours: never another host (`//evil.example`, `/\\evil.example`), never a scheme. */
export function safeReturn(value: string | null): string {
  // printable ASCII only: nothing that could end a header line or hide a character
  if (
    !value ||
    value.length > 1024 ||
    !/^\/[\x21-\x7e]*$/.test(value) ||
    value.startsWith("//") ||
    value.includes("\\")
  )
    return "/";
  const route = parseDashboardRoute(value);
  if (!isDashboardUrl(value) || route.kind === "login" || route.kind === "callback" || route.kind === "logout")
    return "/";
  return value;
}

function pathOf(url: string): string {
  const mark = url.indexOf("?");
  return mark === -1 ? url : url.slice(0, mark);
}

function bad(api: boolean, status: 400 | 404, message: string): Route {
  return { kind: "bad", api, status, message };
}
