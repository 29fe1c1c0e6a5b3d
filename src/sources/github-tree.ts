// One repository tree through the Git Trees API: one recursive request, and a walk of subtrees only when
// GitHub truncates the answer (over 100,000 entries or 7 MB). Trees of a commit SHA never change, so they
// are cached by SHA; a tree asked for by branch name is revalidated with its ETag (a 304 costs no quota).
import { PRUNED_DIRS } from "../engine/ignore.js";
import { describeFailure, type GitHubApi, type RepoRef, repoParams, statusOf } from "./github-api.js";

export interface TreeEntry {
  path: string;
  /** blob SHA: the key of the content cache */
  sha: string;
  size?: number;
  symlink?: boolean;
}

interface RawEntry {
  path?: string;
  mode?: string;
  type?: string;
  sha?: string;
  size?: number;
}

const SHA = /^[0-9a-f]{40}$/i;
const WALK_CONCURRENCY = 4;

export class TreeReader {
  private readonly bySha = new Map<string, TreeEntry[]>();
  private readonly byRef = new Map<string, { etag: string; entries: TreeEntry[] }>();

  /** Trees of up to `maxEntries` entries in total are kept (a 100k-file tree is about 20 MB). */
  constructor(private readonly maxEntries = 1_000_000) {}

  async read(api: GitHubApi, repo: RepoRef, ref: string): Promise<TreeEntry[]> {
    const key = `${repo.owner}/${repo.repo}@${ref}`;
    const cached = this.bySha.get(key);
    if (cached) {
      this.bySha.delete(key); // most recently used goes last
      this.bySha.set(key, cached);
      return cached;
    }
    const what = `the tree of ${repo.owner}/${repo.repo}@${ref.slice(0, 12)}`;
    try {
      const entries = SHA.test(ref) ? await walk(api, repo, ref, "") : await this.readByRef(api, repo, ref, key);
      if (SHA.test(ref)) this.remember(key, entries);
      return entries;
    } catch (err) {
      throw describeFailure(err, what);
    }
  }

  private async readByRef(api: GitHubApi, repo: RepoRef, ref: string, key: string): Promise<TreeEntry[]> {
    const known = this.byRef.get(key);
    try {
      const res = await api.request("GET /repos/{owner}/{repo}/git/trees/{tree_sha}", {
        ...repoParams(repo),
        tree_sha: ref,
        recursive: "1",
        headers: known ? { "if-none-match": known.etag } : {},
      });
      const entries = await walk(api, repo, res.data.sha, "", res.data);
      const etag = res.headers.etag;
      if (etag && !res.data.truncated) this.byRef.set(key, { etag, entries });
      return entries;
    } catch (err) {
      if (statusOf(err) === 304 && known) return known.entries;
      throw err;
    }
  }

  private remember(key: string, entries: TreeEntry[]): void {
    this.bySha.set(key, entries);
    let total = 0;
    for (const e of this.bySha.values()) total += e.length;
    for (const [k, e] of this.bySha) {
      if (total <= this.maxEntries || k === key) break;
      this.bySha.delete(k);
      total -= e.length;
    }
  }
}

/** A recursive tree, or, when GitHub truncates it, the top level plus each subtree read on its own. */
async function walk(
  api: GitHubApi,
  repo: RepoRef,
  sha: string,
  prefix: string,
  recursive?: { truncated: boolean; tree: unknown[] },
): Promise<TreeEntry[]> {
  const full =
    recursive ??
    (
      await api.request("GET /repos/{owner}/{repo}/git/trees/{tree_sha}", {
        ...repoParams(repo),
        tree_sha: sha,
        recursive: "1",
      })
    ).data;
  if (!full.truncated) return toEntries(full.tree as RawEntry[], prefix);

  const top = await api.request("GET /repos/{owner}/{repo}/git/trees/{tree_sha}", {
    ...repoParams(repo),
    tree_sha: sha,
  });
  const raw = top.data.tree as RawEntry[];
  const entries = toEntries(raw, prefix);
  const subtrees = raw.filter((e) => e.type === "tree" && e.sha && e.path && !PRUNED_DIRS.has(e.path));
  let next = 0;
  const worker = async () => {
    while (next < subtrees.length) {
      const t = subtrees[next++]!;
      entries.push(...(await walk(api, repo, t.sha!, `${prefix}${t.path}/`)));
    }
  };
  await Promise.all(Array.from({ length: Math.min(WALK_CONCURRENCY, subtrees.length) }, worker));
  return entries;
}

/** Blobs and symbolic links; submodules (commits) and folders are not files. Pruned folders are dropped early. */
function toEntries(raw: RawEntry[], prefix: string): TreeEntry[] {
  const out: TreeEntry[] = [];
  for (const e of raw) {
    if (e.type !== "blob" || !e.path || !e.sha) continue;
    const path = prefix + e.path;
    if (inPrunedDir(path)) continue;
    out.push(
      e.mode === "120000" ? { path, sha: e.sha, size: e.size, symlink: true } : { path, sha: e.sha, size: e.size },
    );
  }
  return out;
}

function inPrunedDir(path: string): boolean {
  let start = 0;
  for (let slash = path.indexOf("/"); slash !== -1; slash = path.indexOf("/", start)) {
    if (PRUNED_DIRS.has(path.slice(start, slash))) return true;
    start = slash + 1;
  }
  return false;
}
