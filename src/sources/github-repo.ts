// What a scan needs to know about a repository before its tree, in one GraphQL request:
// the default branch, the commit a ref points at, and whether there is anything to scan.
import { describeFailure, type GitHubApi, GitHubSourceError, type RepoRef } from "./github-api.js";

export interface RepoInfo {
  defaultBranch: string;
  /** the commit of the ref asked for (the default branch's head when none) */
  sha: string;
  /** the branch name, when the ref asked for is one (or none was asked for) */
  branch?: string;
  archived: boolean;
  /**
   * with `orgConfig`: the blob of the owner's .github/devops-ladder.yml (else .yaml) in its .github repository,
   * null when there is none; undefined when not asked for or not answered
   */
  orgConfig?: string | null;
}

interface Answer {
  repository: {
    isArchived: boolean;
    isEmpty: boolean;
    defaultBranchRef: { name: string; target: { oid: string } | null } | null;
    ref?: { oid: string } | null;
    branch?: { name: string } | null;
  } | null;
  org?: { yml: { oid: string } | null; yaml: { oid: string } | null } | null;
}

const QUERY = `query($owner: String!, $name: String!, $expr: String!, $qualified: String!, $withRef: Boolean!,
  $withOrg: Boolean!) {
  repository(owner: $owner, name: $name) {
    isArchived isEmpty
    defaultBranchRef { name target { oid } }
    ref: object(expression: $expr) @include(if: $withRef) { ... on Commit { oid } }
    branch: ref(qualifiedName: $qualified) @include(if: $withRef) { name }
  }
  org: repository(owner: $owner, name: ".github") @include(if: $withOrg) {
    yml: object(expression: "HEAD:.github/devops-ladder.yml") { oid }
    yaml: object(expression: "HEAD:.github/devops-ladder.yaml") { oid }
  }
}`;

/** `orgConfig`: also look up the owner's org-wide config file (same request). */
export async function repoInfo(
  api: GitHubApi,
  repo: RepoRef,
  ref?: string,
  options: { orgConfig?: boolean } = {},
): Promise<RepoInfo> {
  const name = `${repo.owner}/${repo.repo}`;
  let answer: Answer;
  try {
    answer = await api.graphql<Answer>(QUERY, {
      owner: repo.owner,
      name: repo.repo,
      expr: `${ref ?? "HEAD"}^{commit}`,
      qualified: `refs/heads/${ref ?? ""}`,
      withRef: ref !== undefined,
      withOrg: options.orgConfig === true,
    });
  } catch (err) {
    const partial = err as { name?: string; data?: Answer };
    if (partial.name === "GraphqlResponseError" && partial.data?.repository === null) {
      throw new GitHubSourceError(`${name} was not found (or the token cannot read it)`, 404);
    }
    if (partial.name !== "GraphqlResponseError" || !partial.data) throw describeFailure(err, name);
    answer = partial.data;
  }
  const r = answer.repository;
  if (!r) throw new GitHubSourceError(`${name} was not found (or the token cannot read it)`, 404);
  if (r.isEmpty || !r.defaultBranchRef?.target) throw new GitHubSourceError(`${name} is empty (no commits)`, 409);
  if (ref !== undefined && !r.ref?.oid)
    throw new GitHubSourceError(`${name} has no commit, branch or tag "${ref}"`, 404);
  return {
    defaultBranch: r.defaultBranchRef.name,
    sha: ref === undefined ? r.defaultBranchRef.target.oid : r.ref!.oid,
    branch: ref === undefined ? r.defaultBranchRef.name : r.branch?.name,
    archived: r.isArchived,
    ...(options.orgConfig ? { orgConfig: orgConfigOf(answer) } : {}),
  };
}

/** The org config's blob; null when the .github repository or both files are missing (GitHub answers null). */
function orgConfigOf(answer: Answer): string | null | undefined {
  if (!("org" in answer)) return undefined;
  return answer.org?.yml?.oid ?? answer.org?.yaml?.oid ?? null;
}
