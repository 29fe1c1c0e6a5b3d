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
