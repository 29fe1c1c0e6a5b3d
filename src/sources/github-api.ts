// The slice of Octokit the GitHub source needs: both Probot's installation client and @octokit/rest provide it.
import type { Octokit } from "@octokit/rest";

export interface GitHubApi {
  request: Octokit["request"];
  graphql: Octokit["graphql"];
}

export interface RepoRef {
  owner: string;
  repo: string;
}

/** An HTTP status from an Octokit error, if it has one. */
export function statusOf(err: unknown): number | undefined {
  const status = (err as { status?: unknown } | null)?.status;
  return typeof status === "number" ? status : undefined;
}

/** A GitHub failure the scan cannot work around; its message is written for the check run. */
export class GitHubSourceError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** Explains an API failure in words a repository owner can act on. */
export function describeFailure(err: unknown, what: string): GitHubSourceError {
  if (err instanceof GitHubSourceError) return err;
  const status = statusOf(err);
  const detail = (err as Error | undefined)?.message ?? String(err);
  switch (status) {
    case 401:
      return new GitHubSourceError(`GitHub refused the credentials while reading ${what}`, status);
    case 403:
      return /rate limit/i.test(detail)
        ? new GitHubSourceError(
            `GitHub's rate limit stopped the read of ${what}; it will be retried on the next push`,
            status,
          )
        : new GitHubSourceError(
            `the app is not allowed to read ${what} (it needs the "contents: read" permission)`,
            status,
          );
    case 404:
      return new GitHubSourceError(
        `${what} was not found (the repository or commit was deleted, or the app lost access)`,
        status,
      );
    case 409:
      return new GitHubSourceError(`${what} is empty (no commits)`, status);
    default:
      return new GitHubSourceError(
        `GitHub failed while reading ${what}${status ? ` (HTTP ${status})` : ""}: ${detail}`,
        status,
      );
  }
}

/** Only the two URL parameters: a spread richer object would leak its other fields into the query string. */
export function repoParams(repo: RepoRef): RepoRef {
  return { owner: repo.owner, repo: repo.repo };
}
