// A Snapshot of a GitHub commit: the tree from one Git Trees request, contents from batched GraphQL requests,
// both cached (trees by commit SHA, blobs by blob SHA), so that a rescan of an unchanged tree fetches nothing.
// One reader serves the app (many repos, long-lived caches) and the CLI (one repo).
import type { ReadResult, Snapshot, SnapshotEntry } from "../engine/snapshot.js";
import { type GitHubApi, type RepoRef, repoParams } from "./github-api.js";
import { BlobCache, type BlobContent, type FoundBlob, fetchContents, type Lookup } from "./github-contents.js";
import { type TreeEntry, TreeReader } from "./github-tree.js";

export interface GitHubTree extends RepoRef {
  /** the commit SHA (or the ref) the tree was read at */
  ref: string;
  entries: TreeEntry[];
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
   * Makes sure the blobs at `paths` of these trees are cached, fetching the missing ones together with
   * `lookups` in one batch. Returns what the lookups found (also cached by blob SHA).
   */
  async prefetch(
    api: GitHubApi,
    trees: readonly GitHubTree[],
    paths: readonly string[][],
    lookups: readonly Lookup[] = [],
  ): Promise<(FoundBlob | null)[]> {
    const shas = trees.flatMap((tree, i) => {
      const wanted = new Set(paths[i]);
      return tree.entries.filter((e) => !e.symlink && wanted.has(e.path));
    });
    const repo = trees[0];
    if (!repo) return lookups.map(() => null);
    return (await this.contents(api, repo, shas, lookups)).lookups;
  }

  /** Contents of these blobs, from the cache or, for the rest, from GitHub in one batch with the lookups. */
  private async contents(api: GitHubApi, repo: RepoRef, entries: readonly TreeEntry[], lookups: readonly Lookup[]) {
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
    const byPath = new Map(tree.entries.map((e) => [e.path, e]));
    return {
      target: {
        kind: "github",
        root: `${tree.owner}/${tree.repo}`,
        ref: tree.ref,
        ...(/^[0-9a-f]{40}$/i.test(tree.ref) ? { sha: tree.ref } : {}),
      },
      list: async (): Promise<SnapshotEntry[]> =>
        tree.entries.map((e) =>
          e.symlink ? { path: e.path, size: e.size, symlink: true } : { path: e.path, size: e.size },
        ),
      read: async (paths, maxBytes) => {
        const out = new Map<string, ReadResult>();
        const toFetch: TreeEntry[] = [];
        for (const path of paths) {
          const entry = byPath.get(path);
          if (!entry) out.set(path, { failure: "missing", message: "not in the tree" });
          else if (entry.symlink)
            out.set(path, { failure: "not-a-file", message: "symbolic link (links are not followed on GitHub)" });
          else if (entry.size !== undefined && entry.size > maxBytes) {
            out.set(path, { failure: "too-large", message: `${entry.size} bytes is over the ${maxBytes}-byte cap` });
          } else toFetch.push(entry);
        }
        const { blobs } = await this.contents(api, tree, toFetch, []);
        for (const entry of toFetch) {
          const content = blobs.get(entry.sha);
          out.set(
            entry.path,
            content === undefined
              ? { failure: "missing", message: "the file disappeared from the repository during the scan" }
              : { content },
          );
        }
        return out;
      },
    };
  }
}
