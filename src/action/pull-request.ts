// On pull requests the Action also scans the base commit, to show what the change does and to apply
// fail-on-regression. The commit comes from git when it can (a checkout usually has it, or fetches it in one
// shallow request with the credentials actions/checkout keeps); otherwise the caller reads it through the API.
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface PullRequestBase {
  sha: string;
  /** the base branch, e.g. main */
  ref: string;
}

const PULL_REQUEST_EVENTS = new Set(["pull_request", "pull_request_target"]);

/** The base of the pull request the workflow runs for; undefined on other events. */
export function pullRequestBase(
  eventName: string | undefined,
  eventPath: string | undefined,
): PullRequestBase | undefined {
  if (!eventName || !PULL_REQUEST_EVENTS.has(eventName) || !eventPath) return undefined;
  let event: unknown;
  try {
    event = JSON.parse(readFileSync(eventPath, "utf8"));
  } catch {
    return undefined;
  }
  const base = (event as { pull_request?: { base?: { sha?: unknown; ref?: unknown } } }).pull_request?.base;
  if (typeof base?.sha !== "string" || !/^[0-9a-f]{40}$/.test(base.sha)) return undefined;
  return { sha: base.sha, ref: typeof base.ref === "string" ? base.ref : "" };
}

export interface BaseCheckout {
  /** the repository at the base commit */
  dir: string;
  remove(): Promise<void>;
}

/** A detached worktree of `sha` in a temporary folder, fetched first if the clone lacks it. Throws with git's words. */
export async function checkoutBase(repo: string, sha: string, tempRoot: string): Promise<BaseCheckout> {
  const git = (...args: string[]) => run("git", ["-C", repo, ...args], { maxBuffer: 16 * 1024 * 1024 });
  try {
    await git("cat-file", "-e", `${sha}^{commit}`);
  } catch {
    await git("fetch", "--no-tags", "--no-recurse-submodules", "--depth=1", "origin", sha).catch((err: unknown) => {
      throw new Error(`git cannot fetch the base commit ${sha.slice(0, 7)}: ${gitMessage(err)}`);
    });
  }
  mkdirSync(tempRoot, { recursive: true });
  const dir = join(mkdtempSync(join(tempRoot, "devops-ladder-base-")), "tree");
  await git("worktree", "add", "--detach", dir, sha).catch((err: unknown) => {
    throw new Error(`git cannot check out the base commit ${sha.slice(0, 7)}: ${gitMessage(err)}`);
  });
  return {
    dir,
    async remove() {
      await git("worktree", "remove", "--force", dir).catch(() => undefined);
      rmSync(join(dir, ".."), { recursive: true, force: true });
    },
  };
}

function gitMessage(err: unknown): string {
  const stderr = (err as { stderr?: string }).stderr?.trim();
  return stderr ? (stderr.split("\n").pop() ?? stderr) : err instanceof Error ? err.message : String(err);
}
