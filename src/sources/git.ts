// A Snapshot of one git commit, with no checkout: the tree from `git ls-tree` (or kept up to date by the
// history replay), the blobs from one long-lived `git cat-file --batch-command`, cached by object id (a blob
// never changes, so a file untouched between two commits is read once).
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import type { ReadResult, Snapshot, SnapshotEntry, SnapshotTarget } from "../engine/snapshot.js";

export class GitError extends Error {
  override name = "GitError";
}

/** One file of a tree: its path, mode (`100644`, `100755`, `120000` for a link) and blob id; a SnapshotEntry as is. */
export interface GitTreeEntry extends SnapshotEntry {
  mode: string;
  blob: string;
}

/** A tree entry, marked as a link when its mode says so. */
export function treeEntry(path: string, mode: string, blob: string, size?: number): GitTreeEntry {
  return {
    path,
    mode,
    blob,
    ...(size !== undefined && Number.isFinite(size) ? { size } : {}),
    ...(mode === "120000" ? { symlink: true } : {}),
  };
}

/** Runs git in `dir` and returns its standard output; a failure throws a GitError with git's own message. */
export function runGit(dir: string, args: readonly string[], input?: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", ["-C", dir, ...args], { stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d: Buffer) => err.push(d));
    child.on("error", (e) => reject(new GitError(`cannot run git: ${e.message}`)));
    child.on("close", (code) => {
      if (code === 0) resolve(Buffer.concat(out));
      else reject(new GitError(Buffer.concat(err).toString("utf8").trim() || `git ${args[0]} exited with ${code}`));
    });
    child.stdin.on("error", () => undefined); // git may exit before reading its input: its exit code tells
    child.stdin.end(input ?? "");
  });
}

/** One file's text at a commit, or undefined when the commit has no such file. */
export async function readFileAt(dir: string, commit: string, path: string): Promise<string | undefined> {
  await runGit(dir, ["rev-parse", "--verify", "--quiet", `${commit}^{commit}`]); // no commit at all: a GitError
  try {
    return (await runGit(dir, ["cat-file", "blob", `${commit}:${path}`])).toString("utf8");
  } catch (err) {
    if (err instanceof GitError) return undefined;
    throw err;
  }
}

/** Every file of a commit's tree (`git ls-tree -r -l -z`); submodules are left out, they hold no files here. */
export async function gitTree(dir: string, commit: string): Promise<GitTreeEntry[]> {
  const out = await runGit(dir, ["ls-tree", "-r", "-l", "-z", "--full-tree", commit]);
  const entries: GitTreeEntry[] = [];
  for (const record of out.toString("utf8").split("\0")) {
    // <mode> SP <type> SP <object> SP+ <size> TAB <path>
    const tab = record.indexOf("\t");
    if (tab < 0) continue;
    const [mode, type, blob, size] = record.slice(0, tab).split(/ +/);
    if (type !== "blob" || !mode || !blob) continue;
    entries.push(treeEntry(record.slice(tab + 1), mode, blob, Number(size)));
  }
  return entries;
}

type ObjectResult = { content: Buffer } | { size: number } | { missing: true };

interface Pending {
  command: "info" | "contents";
  resolve(result: ObjectResult): void;
}

/** Blobs by id from one `git cat-file --batch-command` process, cached up to a number of bytes. */
export class GitObjects {
  private child: ChildProcessWithoutNullStreams | undefined;
  private buffer: Buffer = Buffer.alloc(0);
  private readonly pending: Pending[] = [];
  private readonly cache = new Map<string, Buffer>();
  private readonly sizes = new Map<string, number>();
  private cachedBytes = 0;
  private failure: GitError | undefined;

  constructor(
    private readonly dir: string,
    private readonly cacheBytes = 64 * 1024 * 1024,
  ) {}

  /** Reads blobs; one over `maxBytes` is reported by size, not read. */
  async read(ids: readonly string[], maxBytes: number): Promise<Map<string, ObjectResult>> {
    const out = new Map<string, ObjectResult>();
    const unknown = [...new Set(ids)].filter((id) => !this.cache.has(id) && !this.sizes.has(id));
    const infos = await Promise.all(unknown.map((id) => this.send("info", id)));
    unknown.forEach((id, i) => {
      const info = infos[i]!;
      if ("size" in info) this.sizes.set(id, info.size);
      else out.set(id, { missing: true });
    });
    const wanted = [...new Set(ids)].filter((id) => !out.has(id) && !this.cache.has(id));
    const small = wanted.filter((id) => (this.sizes.get(id) ?? 0) <= maxBytes);
    const contents = await Promise.all(small.map((id) => this.send("contents", id)));
    small.forEach((id, i) => {
      const result = contents[i]!;
      if ("content" in result) this.remember(id, result.content);
      else out.set(id, { missing: true });
    });
    for (const id of ids) {
      if (out.has(id)) continue;
      const cached = this.cache.get(id);
      if (cached && cached.length <= maxBytes) out.set(id, { content: cached });
      else out.set(id, { size: cached?.length ?? this.sizes.get(id) ?? 0 });
    }
    return out;
  }

  close(): void {
    this.child?.stdin.end();
    this.child = undefined;
  }

  private remember(id: string, content: Buffer): void {
    if (content.length > this.cacheBytes / 8) return; // a big file would push out many small ones
    this.cache.set(id, content);
    this.cachedBytes += content.length;
    for (const [old, bytes] of this.cache) {
      if (this.cachedBytes <= this.cacheBytes) break;
      this.cache.delete(old);
      this.cachedBytes -= bytes.length;
    }
  }

  private send(command: Pending["command"], id: string): Promise<ObjectResult> {
    if (this.failure) return Promise.reject(this.failure);
    const child = this.process();
    return new Promise((resolve) => {
      this.pending.push({ command, resolve });
      child.stdin.write(`${command} ${id}\n`);
    });
  }

  private process(): ChildProcessWithoutNullStreams {
    if (this.child) return this.child;
    const child = spawn("git", ["-C", this.dir, "cat-file", "--batch-command"], { stdio: ["pipe", "pipe", "pipe"] });
    const errors: string[] = [];
    child.stdin.on("error", () => undefined); // a git that died is reported by its exit
    child.stderr.on("data", (d: Buffer) => errors.push(d.toString("utf8")));
    child.stdout.on("data", (d: Buffer) => {
      this.buffer = this.buffer.length === 0 ? d : Buffer.concat([this.buffer, d]);
      this.drain();
    });
    const fail = (message: string) => {
      this.failure = new GitError(message);
      for (const p of this.pending.splice(0)) p.resolve({ missing: true });
      this.child = undefined;
    };
    child.on("error", (e) => fail(`cannot run git cat-file: ${e.message}`));
    child.on("close", (code) => {
      if (this.pending.length > 0) fail(errors.join("").trim() || `git cat-file exited with ${code}`);
      else this.child = undefined;
    });
    this.child = child;
    return child;
  }

  /** Answers: `<id> <type> <size>\n` (then, for contents, the bytes and `\n`), or `<id> missing\n`. */
  private drain(): void {
    while (this.pending.length > 0) {
      const eol = this.buffer.indexOf(10);
      if (eol < 0) return;
      const header = this.buffer.subarray(0, eol).toString("utf8").split(" ");
      const next = this.pending[0]!;
      if (header.length < 3) {
        this.pending.shift();
        this.buffer = this.buffer.subarray(eol + 1);
        next.resolve({ missing: true });
        continue;
      }
      const size = Number(header[2]);
      if (next.command === "info") {
        this.pending.shift();
        this.buffer = this.buffer.subarray(eol + 1);
        next.resolve(header[1] === "blob" ? { size } : { missing: true });
        continue;
      }
      if (this.buffer.length < eol + 1 + size + 1) return; // the rest of the content is still coming
      const content = Buffer.from(this.buffer.subarray(eol + 1, eol + 1 + size));
      this.pending.shift();
      this.buffer = this.buffer.subarray(eol + 1 + size + 1);
      next.resolve(header[1] === "blob" ? { content } : { missing: true });
    }
  }
}

const LINK_HOPS = 8;

/**
 * The files of one commit as the engine reads them. Given a Map, the snapshot reads it as it is when asked:
 * the history replay passes its live tree, valid until the replay moves to the next commit.
 */
export function gitSnapshot(
  tree: ReadonlyMap<string, GitTreeEntry> | readonly GitTreeEntry[],
  objects: GitObjects,
  target: SnapshotTarget,
): Snapshot {
  const byPath = Array.isArray(tree)
    ? new Map(tree.map((e) => [e.path, e]))
    : (tree as ReadonlyMap<string, GitTreeEntry>);
  const lookup = (path: string) => byPath.get(path);
  return {
    target,
    async list(): Promise<SnapshotEntry[]> {
      return [...byPath.values()];
    },
    async read(paths, maxBytes) {
      const out = new Map<string, ReadResult>();
      const targets = new Map<string, GitTreeEntry>();
      for (const path of paths) {
        const resolved = await resolveEntry(path, lookup, objects);
        if ("failure" in resolved) out.set(path, resolved);
        else targets.set(path, resolved);
      }
      const blobs = await objects.read(
        [...targets.values()].map((e) => e.blob),
        maxBytes,
      );
      for (const [path, entry] of targets) {
        const blob = blobs.get(entry.blob);
        if (!blob || "missing" in blob)
          out.set(path, { failure: "missing", message: `blob ${entry.blob} is not in the repository` });
        else if ("size" in blob)
          out.set(path, { failure: "too-large", message: `${blob.size} bytes is over the ${maxBytes}-byte cap` });
        else out.set(path, { content: blob.content });
      }
      return out;
    },
  };
}

/** A path to the file it names, following symbolic links inside the tree (never out of it). */
async function resolveEntry(
  path: string,
  lookup: (path: string) => GitTreeEntry | undefined,
  objects: GitObjects,
): Promise<GitTreeEntry | Extract<ReadResult, { failure: unknown }>> {
  let current = path;
  for (let hop = 0; hop <= LINK_HOPS; hop++) {
    const entry = lookup(current);
    if (!entry)
      return {
        failure: hop === 0 ? "missing" : "unreadable",
        message: hop === 0 ? "not in the commit" : "broken symbolic link",
      };
    if (entry.mode !== "120000") return entry;
    const link = (await objects.read([entry.blob], 4096)).get(entry.blob);
    if (!link || !("content" in link)) return { failure: "unreadable", message: "unreadable symbolic link" };
    const next = joinLink(current, link.content.toString("utf8"));
    if (next === undefined)
      return { failure: "outside-root", message: "symbolic link leaves the repository; not followed" };
    current = next;
  }
  return { failure: "unreadable", message: "too many levels of symbolic links" };
}

/** The repository path a link at `from` points to, or undefined when it leaves the repository. */
export function joinLink(from: string, target: string): string | undefined {
  if (target.startsWith("/")) return undefined;
  const parts = from.split("/").slice(0, -1);
  for (const part of target.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(part);
  }
  return parts.length > 0 ? parts.join("/") : undefined;
}
