// The pull request's base: read from the event, then checked out from git (fetched first when a shallow clone
// lacks it), in a worktree that is removed afterwards.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkoutBase, pullRequestBase } from "../../src/action/pull-request.js";
import { commit, git, initRepo, removeTempDirs, tempDir } from "./git.js";

afterAll(removeTempDirs);

const SHA = "0123456789abcdef0123456789abcdef01234567";

function event(payload: unknown): string {
  const path = join(tempDir("dl-event-"), "event.json");
  writeFileSync(path, JSON.stringify(payload));
  return path;
}

describe("pullRequestBase", () => {
  it("reads the base SHA and branch of pull_request and pull_request_target events", () => {
    const path = event({ pull_request: { base: { sha: SHA, ref: "main" } } });
    expect(pullRequestBase("pull_request", path)).toEqual({ sha: SHA, ref: "main" });
    expect(pullRequestBase("pull_request_target", path)).toEqual({ sha: SHA, ref: "main" });
  });

  it("has none on other events, without an event file, or with a payload that is not a pull request's", () => {
    const path = event({ pull_request: { base: { sha: SHA, ref: "main" } } });
    expect(pullRequestBase("push", path)).toBeUndefined();
    expect(pullRequestBase("pull_request", undefined)).toBeUndefined();
    expect(pullRequestBase("pull_request", join(tempDir("dl-event-"), "missing.json"))).toBeUndefined();
    expect(pullRequestBase("pull_request", event({ ref: "refs/heads/main" }))).toBeUndefined();
    expect(pullRequestBase("pull_request", event({ pull_request: { base: { sha: "HEAD~1" } } }))).toBeUndefined();
  });
});

describe("checkoutBase", () => {
  it("checks the base commit out beside the workspace, and removes it afterwards", async () => {
    const repo = initRepo();
    const base = commit(repo, { "a.txt": "base\n" });
    commit(repo, { "a.txt": "head\n", "b.txt": "new\n" });
    const checkout = await checkoutBase(repo, base, tempDir("dl-runner-temp-"));
    expect(readFileSync(join(checkout.dir, "a.txt"), "utf8")).toBe("base\n");
    expect(existsSync(join(checkout.dir, "b.txt"))).toBe(false);
    expect(readFileSync(join(repo, "a.txt"), "utf8")).toBe("head\n"); // the workspace is untouched
    await checkout.remove();
    expect(existsSync(checkout.dir)).toBe(false);
    expect(git(repo, "worktree", "list")).not.toContain(checkout.dir);
  });

  it("fetches the base commit from origin when a shallow clone lacks it", async () => {
    const origin = initRepo();
    const base = commit(origin, { "a.txt": "base\n" });
    commit(origin, { "a.txt": "head\n" });
    const clone = join(tempDir("dl-clone-"), "repo");
    git(origin, "clone", "-q", "--depth=1", `file://${origin}`, clone);
    expect(() => git(clone, "cat-file", "-e", `${base}^{commit}`)).toThrow();
    const checkout = await checkoutBase(clone, base, tempDir("dl-runner-temp-"));
    expect(readFileSync(join(checkout.dir, "a.txt"), "utf8")).toBe("base\n");
    await checkout.remove();
  });

  it("says why when the commit cannot be had", async () => {
    const repo = initRepo();
    commit(repo, { "a.txt": "x\n" });
    await expect(checkoutBase(repo, SHA, tempDir("dl-runner-temp-"))).rejects.toThrow(
      /git cannot fetch the base commit 0123456/,
    );
  });
});
