// A Snapshot of a local directory: a synchronous walk (fast for 100k files), reads on demand.
// Symbolic links are listed but only read when they resolve inside the root; linked folders are not walked.
// Reads are synchronous too: for a few hundred small local files, promise-based fs costs ten times more.
import { lstatSync, readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import { PRUNED_DIRS } from "../engine/ignore.js";
import type { ReadResult, Snapshot, SnapshotEntry } from "../engine/snapshot.js";

export class SourceError extends Error {}

export function localSnapshot(dir: string): Snapshot {
  const root = resolve(dir);
  let stats;
  try {
    stats = statSync(root);
  } catch {
    throw new SourceError(`${dir}: no such directory`);
  }
  if (!stats.isDirectory()) throw new SourceError(`${dir}: not a directory`);
  const realRoot = realpathSync(root);

  const symlinks = new Set<string>();
  return {
    target: { kind: "local", root: dir },
    async list() {
      const entries = walk(root);
      for (const e of entries) if (e.symlink) symlinks.add(e.path);
      return entries;
    },
    async read(paths, maxBytes) {
      const out = new Map<string, ReadResult>();
      for (const path of paths) out.set(path, readOne(realRoot, root, path, maxBytes, symlinks.has(path)));
      return out;
    },
  };
}

function walk(root: string): SnapshotEntry[] {
  const entries: SnapshotEntry[] = [];
  const stack: string[] = [""];
  while (stack.length > 0) {
    const rel = stack.pop()!;
    let dirents;
    try {
      dirents = readdirSync(rel ? join(root, rel) : root, { withFileTypes: true });
    } catch {
      continue; // an unreadable folder holds no evidence; the walk goes on
    }
    for (const d of dirents) {
      const path = rel ? `${rel}/${d.name}` : d.name;
      if (d.isDirectory()) {
        if (!PRUNED_DIRS.has(d.name)) stack.push(path);
      } else if (d.isFile()) {
        entries.push({ path });
      } else if (d.isSymbolicLink()) {
        entries.push({ path, symlink: true });
      }
    }
  }
  return entries;
}

function readOne(realRoot: string, root: string, path: string, maxBytes: number, symlink: boolean): ReadResult {
  const full = join(root, path);
  try {
    if (symlink) {
      const real = realpathSync.native(full);
      if (real !== realRoot && !real.startsWith(realRoot + sep)) {
        return {
          failure: "outside-root",
          message: `symbolic link to ${relative(realRoot, real)} leaves the scanned folder; not followed`,
        };
      }
    }
    const info = statSync(full);
    if (!info.isFile()) return { failure: "not-a-file", message: "not a regular file" };
    if (info.size > maxBytes)
      return { failure: "too-large", message: `${info.size} bytes is over the ${maxBytes}-byte cap` };
    return { content: readFileSync(full) };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") {
      // a dangling link, or a file removed while scanning
      return lstatExists(full)
        ? { failure: "unreadable", message: "broken symbolic link" }
        : { failure: "missing", message: "file disappeared during the scan" };
    }
    return { failure: "unreadable", message: `cannot read (${code ?? "error"})` };
  }
}

function lstatExists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}
