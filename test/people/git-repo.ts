// Generated git repositories for replay tests: a list of commits becomes a `git fast-import` stream.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface FixtureCommit {
  /** the branch it is made on; default main */
  branch?: string;
  /** a new branch starts from the head of this one */
  from?: string;
  author: string;
  /** default: the author */
  committer?: string;
  /** ISO 8601 */
  date: string;
  message: string;
  /** content by path; null deletes; a `{ link }` makes a symbolic link */
  files?: Record<string, string | null | { link: string }>;
  /** merge this branch's head as the second parent (its changes are brought in: fast-import does not merge trees) */
  merge?: string;
}

/** Builds a repository in a new temporary folder (a checkout's .git, or bare); returns its path. */
export function makeRepo(commits: FixtureCommit[], options: { bare?: boolean; mailmap?: string } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "people-repo-"));
  execFileSync("git", ["init", "-q", ...(options.bare ? ["--bare"] : []), "-b", "main", dir]);
  const heads = new Map<string, number>();
  /** what each branch changed since it started, for merges */
  const branchChanges = new Map<string, Record<string, string | null | { link: string }>>();
  const chunks: string[] = [];
  const data = (text: string) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  commits.forEach((c, i) => {
    const mark = i + 1;
    const branch = c.branch ?? "main";
    const seconds = Math.floor(Date.parse(c.date) / 1000);
    chunks.push(`commit refs/heads/${branch}\nmark :${mark}\n`);
    chunks.push(`author ${c.author} ${seconds} +0000\ncommitter ${c.committer ?? c.author} ${seconds} +0000\n`);
    chunks.push(data(c.message));
    const parent = heads.get(branch) ?? (c.from ? heads.get(c.from) : undefined);
    if (parent !== undefined) chunks.push(`from :${parent}\n`);
    if (c.merge) chunks.push(`merge :${heads.get(c.merge)}\n`);
    const files = { ...(c.merge ? branchChanges.get(c.merge) : {}), ...c.files };
    if (c.branch && c.branch !== "main") branchChanges.set(c.branch, { ...branchChanges.get(c.branch), ...c.files });
    for (const [path, content] of Object.entries(files)) {
      if (content === null) chunks.push(`D ${path}\n`);
      else if (typeof content === "object") chunks.push(`M 120000 inline ${path}\n${data(content.link)}`);
      else chunks.push(`M 100644 inline ${path}\n${data(content)}`);
    }
    chunks.push("\n");
    heads.set(branch, mark);
  });
  const gitDir = options.bare ? dir : join(dir, ".git");
  execFileSync("git", ["--git-dir", gitDir, "fast-import", "--quiet"], { input: chunks.join("") });
  if (!options.bare && commits.length > 0) execFileSync("git", ["-C", dir, "checkout", "-q", "main"]);
  if (options.mailmap !== undefined) {
    if (options.bare) throw new Error("a bare repository's .mailmap comes from a commit");
    execFileSync("sh", ["-c", 'printf "%s" "$1" > .mailmap', "sh", options.mailmap], { cwd: dir });
  }
  return dir;
}

export function removeRepo(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
