// GitHub's commit history behind nock, next to FakeGitHub (trees, GraphQL, check runs) and FakeIssues (issues,
// the pull requests of a commit): a pull request's commits, a comparison of two commits, one commit, and the
// commits of a path, paged one per page with a Link header and the rate limit left.
import nock from "nock";
import { API } from "../app/fake-github.js";

export interface FakeCommit {
  sha: string;
  message: string;
  author: { name: string; email: string; login?: string };
  /** ISO 8601 */
  date?: string;
  parents?: number;
}

export class FakeHistory {
  readonly log: { method: string; path: string }[] = [];
  /** `owner/repo#number` → the pull request's commits */
  readonly prCommits = new Map<string, FakeCommit[]>();
  /** `owner/repo@base...head` → the commits between */
  readonly comparisons = new Map<string, FakeCommit[]>();
  /** `owner/repo:path` → the commits that touched it, newest first */
  readonly pathHistory = new Map<string, FakeCommit[]>();
  /** `x-ratelimit-remaining` on the answers of the path history */
  rateLimitRemaining = 4000;

  constructor() {
    const scope = nock(API).persist();
    const repo = "/repos/([^/]+)/([^/?]+)";
    scope
      .get(new RegExp(`^${repo}/pulls/\\d+/commits(\\?.*)?$`))
      .reply((uri) =>
        this.answer(uri, () => [
          200,
          this.prCommits.get(key(uri, `#${uri.split("/pulls/")[1]!.split("/")[0]}`))?.map(view) ?? [],
        ]),
      );
    scope.get(new RegExp(`^${repo}/compare/[^?]+(\\?.*)?$`)).reply((uri) =>
      this.answer(uri, () => {
        const basehead = decodeURIComponent(uri.split("/compare/")[1]!.split("?")[0]!);
        const commits = this.comparisons.get(key(uri, `@${basehead}`));
        return commits ? [200, { status: "ahead", commits: commits.map(view) }] : [404, { message: "Not Found" }];
      }),
    );
    scope.get(new RegExp(`^${repo}/commits/[0-9a-f]{40}$`)).reply((uri) =>
      this.answer(uri, () => {
        const sha = uri.split("/").pop()!;
        const all = [...this.comparisons.values(), ...this.prCommits.values(), ...this.pathHistory.values()].flat();
        const found = all.find((c) => c.sha === sha);
        return found ? [200, view(found)] : [404, { message: "Not Found" }];
      }),
    );
    scope.get(new RegExp(`^${repo}/commits\\?.*$`)).reply((uri) =>
      this.answer(uri, () => {
        const query = new URL(uri, API).searchParams;
        const commits = this.pathHistory.get(key(uri, `:${query.get("path")}`)) ?? [];
        const page = Number(query.get("page") ?? 1);
        const headers: Record<string, string> = { "x-ratelimit-remaining": String(this.rateLimitRemaining) };
        if (commits.length > 1) {
          const link = (n: number, rel: string) => {
            const url = new URL(uri, API);
            url.searchParams.set("page", String(n));
            return `<${url.toString()}>; rel="${rel}"`;
          };
          headers.link = [page < commits.length ? link(page + 1, "next") : "", link(commits.length, "last")]
            .filter(Boolean)
            .join(", ");
        }
        return [200, commits.slice(page - 1, page).map(view), headers];
      }),
    );
  }

  count(path: RegExp): number {
    return this.log.filter((r) => path.test(r.path)).length;
  }

  private answer(uri: string, ok: () => [number, unknown] | [number, unknown, Record<string, string>]) {
    this.log.push({ method: "GET", path: uri.replace(/^https?:\/\/[^/]+/, "") });
    return ok();
  }
}

function key(uri: string, suffix: string): string {
  const m = /\/repos\/([^/]+)\/([^/?]+)/.exec(uri)!;
  return `${m[1]}/${m[2]}${suffix}`;
}

/** A commit as the REST API shows it. */
function view(c: FakeCommit): unknown {
  const date = c.date ?? "2025-03-04T09:00:00Z";
  return {
    sha: c.sha,
    commit: {
      message: c.message,
      author: { name: c.author.name, email: c.author.email, date },
      committer: { name: "GitHub", email: "noreply@github.com", date },
    },
    author: c.author.login ? { login: c.author.login } : null,
    parents: Array.from({ length: c.parents ?? 1 }, (_, i) => ({ sha: `${i}`.repeat(40) })),
  };
}
