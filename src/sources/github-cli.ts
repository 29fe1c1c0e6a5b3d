// `devops-ladder scan owner/repo [--ref REF]`: the app's reader, with a token, without installing the app.
// Budget: one GraphQL request (default branch, the ref's commit), the tree, one GraphQL batch of contents
// (the candidates and the repository's config together).
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { Octokit } from "@octokit/rest";
import { CONFIG_PATHS, DEFAULT_CONFIG } from "../config/config.js";
import { decode } from "../engine/decode.js";
import { planReads } from "../engine/index.js";
import type { Snapshot } from "../engine/snapshot.js";
import { type ClientTuning, retryOptions, throttleOptions } from "../github/client-limits.js";
import { TOOL } from "../version.js";
import { GitHubReader } from "./github.js";
import { type GitHubApi, GitHubSourceError } from "./github-api.js";
import { repoInfo } from "./github-repo.js";

const RestWithLimits = Octokit.plugin(throttling, retry);

export function cliOctokit(env: NodeJS.ProcessEnv, tuning: ClientTuning = {}): GitHubApi {
  return new RestWithLimits({
    auth: env.GITHUB_TOKEN,
    baseUrl: (env.GITHUB_API_URL || "https://api.github.com").replace(/\/+$/, ""),
    userAgent: `${TOOL.name}/${TOOL.version}`,
    throttle: throttleOptions(tuning) as never,
    retry: retryOptions(tuning),
    log: { debug() {}, info() {}, warn() {}, error() {} },
  });
}

export async function openGithubRepo(
  repo: string,
  ref: string | undefined,
  env: NodeJS.ProcessEnv,
  options: { tuning?: ClientTuning; reader?: GitHubReader } = {},
): Promise<{ snapshot: Snapshot; configText?: { text: string; path: string } }> {
  if (!env.GITHUB_TOKEN)
    throw new GitHubSourceError(
      `scanning ${repo} needs a token: set GITHUB_TOKEN (any token that can read the repository)`,
    );
  const [owner, name] = repo.split("/") as [string, string];
  const api = cliOctokit(env, options.tuning);
  const reader = options.reader ?? new GitHubReader();
  const info = await repoInfo(api, { owner, repo: name }, ref);
  const tree = await reader.tree(api, { owner, repo: name }, info.sha);
  // one batch for the config and the files the engine will ask for, so its own read finds them cached
  const config = CONFIG_PATHS.map((path) => tree.entries.find((e) => e.path === path && !e.symlink)).find(Boolean);
  const wanted = planReads(tree.entries, DEFAULT_CONFIG);
  const { blobs } = await reader.fetch(api, [tree], [config ? [...wanted, config.path] : wanted]);
  const content = config ? blobs.get(config.sha) : undefined;
  const decoded = content === undefined ? undefined : decode(content);
  const text = decoded && "text" in decoded ? decoded.text : undefined;
  return {
    snapshot: reader.snapshot(api, tree),
    configText: text === undefined ? undefined : { text, path: config!.path },
  };
}
