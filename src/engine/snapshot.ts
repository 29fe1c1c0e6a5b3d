// A Snapshot is a repository as the engine sees it: a list of paths plus a lazy, batched read.
// Sources (a local directory, the GitHub API, a test's in-memory map) implement it.

export interface SnapshotEntry {
  /** POSIX path relative to the repository root, no leading "./" */
  path: string;
  /** size in bytes when the source knows it without reading (GitHub trees do) */
  size?: number;
  /** the entry is a symbolic link (it is resolved, and refused outside the root, when read) */
  symlink?: boolean;
}

export type ReadFailure = "too-large" | "unreadable" | "outside-root" | "missing" | "not-a-file";

export type ReadResult = { content: Uint8Array | string } | { failure: ReadFailure; message: string };

export interface SnapshotTarget {
  kind: "local" | "github" | "memory";
  /** a directory, `owner/repo`, or a label */
  root: string;
  ref?: string;
  sha?: string;
}

export interface Snapshot {
  readonly target: SnapshotTarget;
  list(): Promise<SnapshotEntry[]>;
  /** Reads many files at once, so that remote sources can batch. Never throws for one bad file. */
  read(paths: string[], maxBytes: number): Promise<Map<string, ReadResult>>;
}

/** An in-memory snapshot, for tests and for content already fetched. */
export function memorySnapshot(files: Record<string, string | Uint8Array>, root = "memory"): Snapshot {
  return {
    target: { kind: "memory", root },
    async list() {
      return Object.keys(files).map((path) => ({ path, size: byteLength(files[path]) }));
    },
    async read(paths, maxBytes) {
      const out = new Map<string, ReadResult>();
      for (const path of paths) {
        const content = files[path];
        if (content === undefined) out.set(path, { failure: "missing", message: "no such file" });
        else if (byteLength(content) > maxBytes)
          out.set(path, {
            failure: "too-large",
            message: `${byteLength(content)} bytes is over the ${maxBytes}-byte cap`,
          });
        else out.set(path, { content });
      }
      return out;
    },
  };
}

function byteLength(content: string | Uint8Array): number {
  return typeof content === "string" ? Buffer.byteLength(content) : content.byteLength;
}
