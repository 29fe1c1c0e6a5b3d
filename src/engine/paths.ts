/** Joins a repository folder (with a trailing slash, or empty) and a path relative to it, resolving `.` and `..`;
 * a path starting with `/` is taken from the repository root. */
export function joinRepoPath(dir: string, rel: string): string {
  const parts: string[] = [];
  for (const part of `${rel.startsWith("/") ? "" : dir}${rel}`.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") parts.pop();
    else parts.push(part);
  }
  return parts.join("/");
}
