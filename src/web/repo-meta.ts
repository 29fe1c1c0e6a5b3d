// Topics, description and archive state of the repositories an installation brings. Pushes and pull requests
// carry them in their payloads, but installation events name the repositories only: one GraphQL request per
// 50 repositories (aliases) fills the gap at installation, so the org page can filter by topic from the start.
import type { RepoMetaInput } from "../store/dashboard.js";

export type GraphQL = <T>(query: string, variables: Record<string, unknown>) => Promise<T>;

interface RepositoryAnswer {
  isPrivate: boolean;
  isArchived: boolean;
  description: string | null;
  repositoryTopics: { nodes: { topic: { name: string } }[] };
}

/** GitHub counts a query's nodes: 50 repositories × 20 topics stays far below its limits. */
const BATCH = 50;
const TOPICS = 20;

export async function readRepoMeta(
  graphql: GraphQL,
  repos: readonly string[],
  installationId: number,
): Promise<RepoMetaInput[]> {
  const out: RepoMetaInput[] = [];
  for (let start = 0; start < repos.length; start += BATCH) {
    const batch = repos.slice(start, start + BATCH);
    const variables: Record<string, unknown> = {};
    const params: string[] = [];
    const fields = batch.map((full, i) => {
      const [owner, name] = full.split("/") as [string, string];
      variables[`o${i}`] = owner;
      variables[`n${i}`] = name;
      params.push(`$o${i}: String!, $n${i}: String!`);
      return (
        `r${i}: repository(owner: $o${i}, name: $n${i}) { isPrivate isArchived description ` +
        `repositoryTopics(first: ${TOPICS}) { nodes { topic { name } } } }`
      );
    });
    let data: Record<string, RepositoryAnswer | null>;
    try {
      data = await graphql(`query(${params.join(", ")}) { ${fields.join(" ")} }`, variables);
    } catch (err) {
      // a repository that vanished makes the answer partial: keep what came back
      const partial = (err as { data?: Record<string, RepositoryAnswer | null> }).data;
      if (!partial) throw err;
      data = partial;
    }
    batch.forEach((repo, i) => {
      const r = data[`r${i}`];
      if (!r) return;
      out.push({
        repo,
        private: r.isPrivate,
        installationId,
        archived: r.isArchived,
        description: r.description,
        topics: r.repositoryTopics.nodes.map((n) => n.topic.name),
      });
    });
  }
  return out;
}
