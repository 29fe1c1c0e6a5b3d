// The engine's view of one GitHub tree: its entries as the listing, and contents by blob SHA. The app's scan
// hands it what one batch already fetched (a read then costs no request); the reader's lazy snapshot fetches.
import type { ReadResult, Snapshot, SnapshotEntry } from "../engine/snapshot.js";
import type { GitHubTree } from "./github.js";
import type { BlobContent } from "./github-contents.js";
import type { TreeEntry } from "./github-tree.js";

/** Contents by blob SHA of these entries (the readable ones a read asked for); a SHA left out is gone. */
export type BlobSource = (entries: TreeEntry[]) => Promise<ReadonlyMap<string, BlobContent>>;

export function treeSnapshot(tree: GitHubTree, blobs: BlobSource): Snapshot {
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
      const readable: TreeEntry[] = [];
      for (const path of paths) {
        const entry = byPath.get(path);
        if (!entry) out.set(path, { failure: "missing", message: "not in the tree" });
        else if (entry.symlink)
          out.set(path, { failure: "not-a-file", message: "symbolic link (links are not followed on GitHub)" });
        else if (entry.size !== undefined && entry.size > maxBytes) {
          out.set(path, { failure: "too-large", message: `${entry.size} bytes is over the ${maxBytes}-byte cap` });
        } else readable.push(entry);
      }
      const contents = await blobs(readable);
      for (const entry of readable) {
        const content = contents.get(entry.sha);
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

/** A snapshot over contents already fetched: reading it never makes a request. */
export function fetchedSnapshot(tree: GitHubTree, contents: ReadonlyMap<string, BlobContent>): Snapshot {
  return treeSnapshot(tree, async () => contents);
}
