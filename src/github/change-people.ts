// Who made a change to the default branch, asked of GitHub: the merged pull request that brought the head
// (`GET /commits/{sha}/pulls`), its commits (their trailers, and their authors' logins), and the commits that
// landed (`GET /compare/{before}...{head}`: a squash commit carries GitHub's Co-authored-by trailers). Without
// a pull request, the landed commits' authors. Three requests at most, made only when a change earned something.
import { type CommitInfo, pullRequestPeople, pushPeople } from "../people/change.js";
import type { PeoplePolicy, Person } from "../people/person.js";
import { type RepoRef, repoParams, statusOf } from "../sources/github-api.js";

/** The REST calls made for credits (Probot's Octokit has this shape); headers for paging and the rate limit. */
export interface CreditApi {
  request(
    route: string,
    params?: Record<string, unknown>,
    // biome-ignore lint/suspicious/noExplicitAny: the callers read route-specific fields of the answer
  ): Promise<{ status: number; data: any; headers: Record<string, string | number | undefined> }>;
}

export interface ChangePeople {
  people: Person[];
  /** the merged pull request, with when it was merged */
  pr?: { number: number; mergedAt?: string; author?: string };
}

interface ApiCommit {
  sha: string;
  commit: { message: string; author?: { name?: string; email?: string; date?: string } | null };
  author?: { login?: string } | null;
  parents?: unknown[];
}

interface ApiPull {
  number: number;
  merged_at?: string | null;
  merge_commit_sha?: string | null;
  user?: { login?: string; type?: string } | null;
}

const PR_COMMITS_PAGE = 100;

export async function changePeople(
  api: CreditApi,
  repo: RepoRef,
  before: string | undefined,
  head: string,
  policy: PeoplePolicy = {},
): Promise<ChangePeople> {
  const pr = await mergedPullRequest(api, repo, head);
  const landed = await landedCommits(api, repo, before, head);
  if (!pr) return { people: pushPeople(landed, policy) };
  const { data } = await api.request("GET /repos/{owner}/{repo}/pulls/{pull_number}/commits", {
    ...repoParams(repo),
    pull_number: pr.number,
    per_page: PR_COMMITS_PAGE,
  });
  const commits = (Array.isArray(data) ? (data as ApiCommit[]) : []).map(commitInfo);
  const login = pr.user?.login;
  const author = login ? personOfLogin(login, commits) : undefined;
  return {
    people: pullRequestPeople({ number: pr.number, author }, commits, landed, policy),
    pr: { number: pr.number, ...(pr.merged_at ? { mergedAt: pr.merged_at } : {}), ...(login ? { author: login } : {}) },
  };
}

/** The merged pull request whose merge made this head (or, failing that, any merged one that contains it). */
async function mergedPullRequest(api: CreditApi, repo: RepoRef, sha: string): Promise<ApiPull | undefined> {
  const { data } = await api.request("GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls", {
    ...repoParams(repo),
    commit_sha: sha,
  });
  const pulls = (Array.isArray(data) ? data : []) as ApiPull[];
  return pulls.find((p) => p.merged_at && p.merge_commit_sha === sha) ?? pulls.find((p) => p.merged_at);
}

/** The commits between the last credited head and this one; just the head when that base is gone (a force-push). */
async function landedCommits(
  api: CreditApi,
  repo: RepoRef,
  before: string | undefined,
  head: string,
): Promise<CommitInfo[]> {
  if (before) {
    try {
      const { data } = await api.request("GET /repos/{owner}/{repo}/compare/{basehead}", {
        ...repoParams(repo),
        basehead: `${before}...${head}`,
        per_page: 100,
      });
      const compared = data as { status?: string; commits?: ApiCommit[] };
      // diverged: the branch was rewritten; what it "brought" is not this push's work
      if (compared.status !== "diverged" && Array.isArray(compared.commits)) return compared.commits.map(commitInfo);
    } catch (err) {
      if (statusOf(err) !== 404 && statusOf(err) !== 422) throw err;
    }
  }
  const { data } = await api.request("GET /repos/{owner}/{repo}/commits/{ref}", { ...repoParams(repo), ref: head });
  return [commitInfo(data as ApiCommit)];
}

function commitInfo(c: ApiCommit): CommitInfo {
  const name = c.commit.author?.name ?? c.author?.login ?? "unknown";
  return {
    sha: c.sha,
    author: {
      name,
      ...(c.commit.author?.email ? { email: c.commit.author.email } : {}),
      ...(c.author?.login ? { login: c.author.login } : {}),
    },
    message: c.commit.message,
    parents: Array.isArray(c.parents) ? c.parents.length : 1,
  };
}

/** A pull request's author by login, with the name and e-mail of their own commits when it has some. */
function personOfLogin(login: string, commits: readonly CommitInfo[]): Person {
  const own = commits.find((c) => c.author.login?.toLowerCase() === login.toLowerCase());
  return { name: own?.author.name ?? login, login, ...(own?.author.email ? { email: own.author.email } : {}) };
}
