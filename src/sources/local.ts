// A Snapshot of a local directory: a synchronous walk (fast for 100k files), reads on demand.
// Symbolic links are listed but only read when they resolve inside the root; linked folders are not walked.
import { lstatSync, readdirSync, realpathSync, statSync } from "node:fs";
import { readFile, realpath, stat } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import { PRUNED_DIRS } from "../engine/ignore.js";
import type { ReadResult, Snapshot, SnapshotEntry } from "../engine/snapshot.js";

export class SourceError extends Error {}

const READ_CONCURRENCY = 32;

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

  return {
    target: { kind: "local", root: dir },
    async list() {
      return walk(root);
    },
    async read(paths, maxBytes) {
      const out = new Map<string, ReadResult>();
      let next = 0;
      const worker = async () => {
        while (next < paths.length) {
          const path = paths[next++]!;
          out.set(path, await readOne(realRoot, root, path, maxBytes));
        }
      };
      await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, paths.length) }, worker));
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

async function readOne(realRoot: string, root: string, path: string, maxBytes: number): Promise<ReadResult> {
  const full = join(root, path);
  try {
    const real = await realpath(full);
    if (real !== realRoot && !real.startsWith(realRoot + sep)) {
      return { failure: "outside-root", message: `symbolic link to ${relative(realRoot, real)} leaves the scanned folder; not followed` };
    }
    const info = await stat(real);
    if (!info.isFile()) return { failure: "not-a-file", message: "not a regular file" };
    if (info.size > maxBytes) return { failure: "too-large", message: `${info.size} bytes is over the ${maxBytes}-byte cap` };
    return { content: await readFile(real) };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") {
      // a dangling link, or a file removed while scanning
      return lstatExists(full) ? { failure: "unreadable", message: "broken symbolic link" } : { failure: "missing", message: "file disappeared during the scan" };
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
