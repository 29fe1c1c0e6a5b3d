// The backfill at installation: for each milestone that already passes, the author of the commit that first
// added its main evidence file is credited, marked as backfilled. The oldest commit of a path is the last page
// of `GET /commits?path=…&per_page=1`: one request when the file has one commit, two otherwise. Bounded to a
// few requests per repository, paced, and stopped when the installation's rate limit runs low (it is tried
// again on a later scan).
import type { Change, PracticeState } from "../people/credit.js";
import { type RepoRef, repoParams } from "../sources/github-api.js";
import type { CreditApi } from "./change-people.js";

export interface BackfillOptions {
  /** most requests for one repository; default 10 */
  maxRequests?: number;
  /** pause between two requests, ms; default 1000 */
  pauseMs?: number;
  /** requests of the installation's hourly budget left for everything else; default 500 */
  reserve?: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface BackfillFindings {
  /** by milestone id: the change that first added its evidence */
  changes: Map<string, Change>;
  requests: number;
  /** false when the budget or the rate limit stopped it before every milestone was looked up */
  complete: boolean;
}

interface ApiCommit {
  sha: string;
  commit: { author?: { name?: string; email?: string; date?: string } | null; committer?: { date?: string } | null };
  author?: { login?: string } | null;
}

export async function findFirstCommits(
  api: CreditApi,
  repo: RepoRef,
  branch: string,
  practice: PracticeState,
  options: BackfillOptions = {},
): Promise<BackfillFindings> {
  const max = options.maxRequests ?? 10;
  const pause = options.pauseMs ?? 1000;
  const reserve = options.reserve ?? 500;
  const sleep = options.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  const changes = new Map<string, Change>();
  const byPath = new Map<string, Change | null>();
  let requests = 0;
  let lowBudget = false;

  const get = async (params: Record<string, unknown>) => {
    if (requests > 0) await sleep(pause);
    requests++;
    const response = await api.request("GET /repos/{owner}/{repo}/commits", { ...repoParams(repo), ...params });
    const remaining = Number(response.headers["x-ratelimit-remaining"]);
    if (Number.isFinite(remaining) && remaining < reserve) lowBudget = true;
    return response;
  };

  for (const item of practice.items) {
    if (item.kind !== "milestone" || item.status !== "pass") continue;
    const path = item.evidence[0]?.path;
    if (!path) continue;
    if (!byPath.has(path)) {
      if (lowBudget || requests + 2 > max) return { changes, requests, complete: false };
      const first = await get({ sha: branch, path, per_page: 1 });
      const last = lastPage(String(first.headers.link ?? ""));
      const page = last !== undefined && last > 1 ? await get({ sha: branch, path, per_page: 1, page: last }) : first;
      const oldest = (Array.isArray(page.data) ? page.data : [])[0] as ApiCommit | undefined;
      byPath.set(path, oldest ? changeOf(oldest) : null);
    }
    const change = byPath.get(path);
    if (change) changes.set(item.id, change);
  }
  return { changes, requests, complete: true };
}

function changeOf(c: ApiCommit): Change {
  const author = c.commit.author;
  return {
    commit: c.sha,
    at: new Date(c.commit.committer?.date ?? author?.date ?? 0).toISOString(),
    people: [
      {
        name: author?.name ?? c.author?.login ?? "unknown",
        ...(author?.email ? { email: author.email } : {}),
        ...(c.author?.login ? { login: c.author.login } : {}),
      },
    ],
  };
}

/**
 * The `rel="last"` page of a Link header (RFC 8288: `<url>; rel="last", <url>; rel="next"`), read as a
 * list of links with parameters, not by pattern.
 */
export function lastPage(header: string): number | undefined {
  for (const link of splitOutsideBrackets(header)) {
    const close = link.indexOf(">");
    const open = link.indexOf("<");
    if (open < 0 || close < open) continue;
    const params = link
      .slice(close + 1)
      .split(";")
      .map((p) => p.trim())
      .filter(Boolean);
    const rel = params
      .map((p) => p.split("="))
      .find(([k]) => k?.trim().toLowerCase() === "rel")?.[1]
      ?.trim()
      .replace(/^"|"$/g, "");
    if (!rel?.split(/\s+/).includes("last")) continue;
    try {
      const page = Number(new URL(link.slice(open + 1, close)).searchParams.get("page"));
      return Number.isInteger(page) && page > 0 ? page : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Splits at commas that are not inside `<…>` (a URL may hold commas). */
function splitOutsideBrackets(header: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < header.length; i++) {
    const ch = header[i];
    if (ch === "<") depth++;
    else if (ch === ">") depth = Math.max(0, depth - 1);
    else if (ch === "," && depth === 0) {
      parts.push(header.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(header.slice(start));
  return parts.map((p) => p.trim()).filter(Boolean);
}
