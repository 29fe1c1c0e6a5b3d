// A Snapshot of a GitHub commit: the tree from one Git Trees request, contents from batched GraphQL requests,
// both cached (trees by commit SHA, blobs by blob SHA), so that a rescan of an unchanged tree fetches nothing.
// One reader serves the app (many repos, long-lived caches) and the CLI (one repo).
import type { Snapshot } from "../engine/snapshot.js";
import { type GitHubApi, type RepoRef, repoParams } from "./github-api.js";
import { BlobCache, type BlobContent, type FoundBlob, fetchContents, type Lookup } from "./github-contents.js";
import { treeSnapshot } from "./github-snapshot.js";
import { type TreeEntry, TreeReader } from "./github-tree.js";

export interface GitHubTree extends RepoRef {
  /** the commit SHA (or the ref) the tree was read at */
  ref: string;
  entries: TreeEntry[];
}

export interface Fetched {
  /** blob SHA → content; a SHA asked for but missing here no longer exists in the repository */
  blobs: Map<string, BlobContent>;
  /** lookup index → the blob found there, or null */
  lookups: (FoundBlob | null)[];
}

export interface ReaderStats {
  /** blobs fetched from GitHub (not served from the cache) */
  fetchedBlobs: number;
}

export class GitHubReader {
  readonly trees: TreeReader;
  readonly blobs: BlobCache;
  readonly stats: ReaderStats = { fetchedBlobs: 0 };

  constructor(options: { maxCacheBytes?: number; maxTreeEntries?: number } = {}) {
    this.blobs = new BlobCache(options.maxCacheBytes);
    this.trees = new TreeReader(options.maxTreeEntries);
  }

  async tree(api: GitHubApi, repo: RepoRef, ref: string): Promise<GitHubTree> {
    return { ...repoParams(repo), ref, entries: await this.trees.read(api, repo, ref) };
  }

  /**
   * The blobs at `paths` of these trees (per tree), from the cache or, for the rest, from GitHub in one batch
   * together with `lookups`. Returns the contents by blob SHA and what the lookups found (also cached by SHA).
   */
  async fetch(
    api: GitHubApi,
    trees: readonly GitHubTree[],
    paths: readonly (readonly string[])[],
    lookups: readonly Lookup[] = [],
  ): Promise<Fetched> {
    const entries = trees.flatMap((tree, i) => {
      const wanted = new Set(paths[i]);
      return tree.entries.filter((e) => !e.symlink && wanted.has(e.path));
    });
    const repo = trees[0];
    if (!repo) return { blobs: new Map(), lookups: lookups.map(() => null) };
    return this.contents(api, repo, entries, lookups);
  }

  /** Contents of these blobs, from the cache or, for the rest, from GitHub in one batch with the lookups. */
  private async contents(
    api: GitHubApi,
    repo: RepoRef,
    entries: readonly TreeEntry[],
    lookups: readonly Lookup[],
  ): Promise<Fetched> {
    const blobs = new Map<string, BlobContent>();
    const missing = new Map<string, number>();
    for (const entry of entries) {
      const hit = this.blobs.get(entry.sha);
      if (hit !== undefined) blobs.set(entry.sha, hit);
      else missing.set(entry.sha, entry.size ?? 0);
    }
    if (missing.size === 0 && lookups.length === 0) return { blobs, lookups: [] };
    const fetched = await fetchContents(
      api,
      { owner: repo.owner, repo: repo.repo },
      [...missing.keys()],
      lookups,
      missing,
    );
    for (const [sha, content] of fetched.blobs) {
      this.blobs.set(sha, content);
      blobs.set(sha, content);
    }
    for (const found of fetched.lookups) if (found) this.blobs.set(found.sha, found.content);
    this.stats.fetchedBlobs += fetched.blobs.size;
    return { blobs, lookups: fetched.lookups };
  }

  /** The engine's view of one tree; its batched `read` fetches only what the cache lacks. */
  snapshot(api: GitHubApi, tree: GitHubTree): Snapshot {
    return treeSnapshot(tree, async (entries) => (await this.contents(api, tree, entries, [])).blobs);
  }
}
