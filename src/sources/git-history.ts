// The first-parent history of a branch, oldest first, each commit with its changes against its first parent
// (`git log --first-parent --raw`): a merge is the change it brought to the branch. Streamed, so that a
// long history is never held in memory, and mailmapped (`%aN`/`%aE`, `git check-mailmap` for trailers).
import { type ChildProcess, spawn } from "node:child_process";
import type { Person } from "../people/person.js";
import { GitError, runGit } from "./git.js";

export interface FileChange {
  path: string;
  /** A added, M modified, D deleted, T type changed */
  status: string;
  /** the new side (absent when deleted) */
  mode?: string;
  blob?: string;
}

export interface HistoryCommit {
  sha: string;
  parents: string[];
  author: Person;
  /** when it landed on the branch (committer date), ISO 8601 in UTC */
  at: string;
  message: string;
  changes: FileChange[];
}

export interface HistoryRange {
  /** the commit the replay starts from (its tree is the baseline), undefined for the whole history */
  base?: string;
  /** first-parent commits in the range */
  count: number;
}

const ZERO = /^0+$/;

/** The first-parent commits of `head` since a date: how many, and the parent of the oldest (the baseline). */
export async function historyRange(dir: string, head: string, since?: string): Promise<HistoryRange> {
  const args = ["rev-list", "--first-parent", head];
  if (since) args.splice(2, 0, `--since=${since}`);
  const shas = (await runGit(dir, args)).toString("utf8").split("\n").filter(Boolean);
  if (!since || shas.length === 0) return { count: shas.length, base: since ? head : undefined };
  const oldest = shas[shas.length - 1]!;
  const parent = (await runGit(dir, ["rev-list", "--parents", "-n", "1", oldest]))
    .toString("utf8")
    .trim()
    .split(" ")[1];
  return { count: shas.length, base: parent };
}

/** The commit a name stands for (`HEAD`, a branch), as a full id. */
export async function resolveCommit(dir: string, name: string): Promise<string> {
  return (await runGit(dir, ["rev-parse", "--verify", "--end-of-options", `${name}^{commit}`])).toString("utf8").trim();
}

const FORMAT = "%x01%H%x00%P%x00%aN%x00%aE%x00%cI%x00%B%x00";

/** The commits after `base` up to `head`, oldest first, with their raw changes. */
export async function* firstParentHistory(dir: string, head: string, base?: string): AsyncGenerator<HistoryCommit> {
  const range = base ? `${base}..${head}` : head;
  const child = spawn(
    "git",
    [
      "-C",
      dir,
      "-c",
      "core.quotePath=off",
      "log",
      "--first-parent",
      "--reverse",
      "--raw",
      "-z",
      "--no-renames",
      "--no-abbrev",
      "--no-color",
      `--format=${FORMAT}`,
      range,
      "--",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  const errors: Buffer[] = [];
  child.stderr.on("data", (d: Buffer) => errors.push(d));
  const exit = new Promise<number | null>((resolve) => child.on("close", resolve));
  const parser = new LogParser();
  try {
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      parser.push(chunk);
      yield* parser.records(false);
    }
    yield* parser.records(true);
  } finally {
    if (child.exitCode === null) child.kill();
  }
  const code = await exit;
  if (code !== 0 && code !== null)
    throw new GitError(Buffer.concat(errors).toString("utf8").trim() || `git log exited with ${code}`);
}

/** Parses `\x01<sha>\0<parents>\0<name>\0<email>\0<date>\0<message>\0` records and their `:` raw lines. */
class LogParser {
  private buffer = "";

  push(chunk: Buffer): void {
    this.buffer += chunk.toString("latin1"); // bytes as chars: paths and messages are decoded per field below
  }

  *records(final: boolean): Generator<HistoryCommit> {
    let pos = 0;
    for (;;) {
      const parsed = this.record(pos, final);
      if (!parsed) break;
      yield parsed.commit;
      pos = parsed.next;
    }
    this.buffer = this.buffer.slice(pos);
  }

  private record(pos: number, final: boolean): { commit: HistoryCommit; next: number } | undefined {
    const buf = this.buffer;
    if (buf.charCodeAt(pos) !== 1) return undefined;
    const fields: string[] = [];
    let at = pos + 1;
    for (let i = 0; i < 6; i++) {
      const end = buf.indexOf("\0", at);
      if (end < 0) return undefined;
      fields.push(buf.slice(at, end));
      at = end + 1;
    }
    const changes: FileChange[] = [];
    for (;;) {
      while (at < buf.length && (buf[at] === "\0" || buf[at] === "\n")) at++;
      if (at >= buf.length) {
        if (!final) return undefined; // the next record, or more changes, may still come
        break;
      }
      if (buf[at] !== ":") break;
      // :<old mode> <new mode> <old blob> <new blob> <status>\0<path>\0
      const meta = buf.indexOf("\0", at);
      const end = meta < 0 ? -1 : buf.indexOf("\0", meta + 1);
      if (end < 0) return undefined;
      const [, newMode, , newBlob, status] = buf.slice(at + 1, meta).split(" ");
      const path = utf8(buf.slice(meta + 1, end));
      const deleted = status === "D" || !newBlob || ZERO.test(newBlob);
      changes.push(deleted ? { path, status: "D" } : { path, status: status ?? "M", mode: newMode, blob: newBlob });
      at = end + 1;
    }
    const [sha, parents, name, email, date, message] = fields as [string, string, string, string, string, string];
    return {
      commit: {
        sha,
        parents: parents.split(" ").filter(Boolean),
        author: { name: utf8(name), email: utf8(email) },
        at: new Date(date).toISOString(),
        message: utf8(message),
        changes,
      },
      next: at,
    };
  }
}

function utf8(latin1: string): string {
  return Buffer.from(latin1, "latin1").toString("utf8");
}

/** The commits a merge brought in (`<merge>^1..<merge>^2` and further parents), newest first. */
export async function mergedCommits(dir: string, merge: HistoryCommit): Promise<HistoryCommit[]> {
  const [first, ...others] = merge.parents;
  if (!first || others.length === 0) return [];
  const out = await runGit(dir, ["log", "--no-color", `--format=${FORMAT}`, ...others, `^${first}`, "--"]);
  const parser = new LogParser();
  parser.push(out);
  return [...parser.records(true)];
}

/** `.mailmap` for identities the log did not map (trailers): one `git check-mailmap --stdin` process. */
export class Mailmap {
  private child: ChildProcess | undefined;
  private lines: string[] = [];
  private partial = "";
  private waiting: ((line: string) => void)[] = [];
  private readonly known = new Map<string, Person>();

  constructor(private readonly dir: string) {}

  async map(person: Person): Promise<Person> {
    if (!person.email) return person;
    const contact = `${person.name.replace(/[<>\n]/g, "")} <${person.email.replace(/[<>\n]/g, "")}>`;
    const known = this.known.get(contact);
    if (known) return { ...person, ...known };
    const line = await this.ask(contact);
    const open = line.lastIndexOf("<");
    const mapped =
      open > 0 ? { name: line.slice(0, open).trim(), email: line.slice(open + 1, line.lastIndexOf(">")) } : {};
    this.known.set(contact, mapped as Person);
    return { ...person, ...mapped };
  }

  close(): void {
    this.child?.stdin?.end();
    this.child = undefined;
  }

  private ask(contact: string): Promise<string> {
    const child = this.process();
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      child.stdin?.write(`${contact}\n`);
      this.flush();
    });
  }

  private process(): ChildProcess {
    if (this.child) return this.child;
    const child = spawn("git", ["-C", this.dir, "check-mailmap", "--stdin"], { stdio: ["pipe", "pipe", "ignore"] });
    child.stdin?.on("error", () => undefined);
    child.stdout?.on("data", (d: Buffer) => {
      const text = this.partial + d.toString("utf8");
      const parts = text.split("\n");
      this.partial = parts.pop()!;
      this.lines.push(...parts);
      this.flush();
    });
    // without git, or on its failure, identities stay as written
    const giveUp = () => {
      for (const resolve of this.waiting.splice(0)) resolve("");
      this.child = undefined;
    };
    child.on("error", giveUp);
    child.on("close", giveUp);
    this.child = child;
    return child;
  }

  private flush(): void {
    while (this.lines.length > 0 && this.waiting.length > 0) this.waiting.shift()!(this.lines.shift()!);
  }
}
