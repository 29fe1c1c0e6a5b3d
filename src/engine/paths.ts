/** The folder of a repository path: `a/b` of `a/b/c.yml`, "" at the root. */
export function dirOf(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash < 0 ? "" : path.slice(0, slash);
}

/** The folder of a repository path with its trailing slash, to put before a name: `a/b/` of `a/b/c.yml`, "" at the root. */
export function dirPrefixOf(path: string): string {
  return path.slice(0, path.lastIndexOf("/") + 1);
}

/**
 * Joins a repository folder (`a/b`, `a/b/` or empty for the root) and a path relative to it, resolving `.` and
 * `..`; a path starting with `/` is taken from the repository root. A `..` above the root stays at the root, or,
 * with `emptyWhenOutside`, makes the result empty (a path that leaves the repository names no file of it).
 */
export function joinRepoPath(dir: string, rel: string, options: { emptyWhenOutside?: boolean } = {}): string {
  const parts: string[] = [];
  for (const part of `${rel.startsWith("/") ? "" : dir}/${rel}`.split("/")) {
    if (part === "" || part === ".") continue;
    if (part !== "..") parts.push(part);
    else if (parts.pop() === undefined && options.emptyWhenOutside) return "";
  }
  return parts.join("/");
}
