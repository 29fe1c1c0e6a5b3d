// The GitHub source: tree + one GraphQL batch, caches, truncated trees, blob fallbacks, the CLI entry.
import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_CONFIG } from "../../src/config/config.js";
import { planReads, scan } from "../../src/engine/index.js";
import { GitHubReader } from "../../src/sources/github.js";
import { cliOctokit, openGithubRepo } from "../../src/sources/github-cli.js";
import { BlobCache } from "../../src/sources/github-contents.js";
import { FakeGitHub } from "./fake-github.js";

const fast = { retryAfterBaseValue: 1, noSpacing: true };
const env = { GITHUB_TOKEN: "ghp_test" };
const api = () => cliOctokit(env, fast);
const repo = { owner: "acme", repo: "shop" };

const DOCKERFILE = 'FROM node:20.11-alpine\nUSER node\nCMD ["node", "server.js"]\n';
const WORKFLOW =
  "name: ci\non: [pull_request]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm test\n";

afterEach(() => {
  nock.cleanAll();
});

describe("GitHubReader", () => {
  it("reads a repository with one tree request and one GraphQL batch, then from its caches", async () => {
    const gh = new FakeGitHub();
    const files = { Dockerfile: DOCKERFILE, ".github/workflows/ci.yml": WORKFLOW, "src/index.js": "console.log(1)\n" };
    const first = gh.commit("acme/shop", files);
    const reader = new GitHubReader();
    const tree = await reader.tree(api(), repo, first);
    const report = await scan(reader.snapshot(api(), tree));
    expect(gh.requests()).toEqual([`GET /repos/acme/shop/git/trees/${first}?recursive=1`, "POST /graphql"]);
    const query = gh.log[1]!.body;
    expect(Object.values(query.variables)).toEqual(expect.arrayContaining([expect.stringMatching(/^[0-9a-f]{40}$/)]));
    expect(query.query).toContain("b0: object(oid: $b0)");
    expect(report.stats.read).toBe(2); // Dockerfile and workflow; src/index.js is no candidate
    expect(report.target).toMatchObject({ kind: "github", root: "acme/shop", sha: first });

    // the same commit again: nothing at all
    await scan(reader.snapshot(api(), await reader.tree(api(), repo, first)));
    expect(gh.log).toHaveLength(2);

    // a new commit that changes no candidate: its tree, no contents
    const second = gh.commit("acme/shop", { ...files, "src/index.js": "console.log(2)\n" });
    await scan(reader.snapshot(api(), await reader.tree(api(), repo, second)));
    expect(gh.requests().slice(2)).toEqual([`GET /repos/acme/shop/git/trees/${second}?recursive=1`]);

    // a changed Dockerfile: only that blob is fetched
    const third = gh.commit("acme/shop", { ...files, Dockerfile: DOCKERFILE.replace("USER node\n", "") });
    await scan(reader.snapshot(api(), await reader.tree(api(), repo, third)));
    expect(gh.requests().slice(3)).toEqual([`GET /repos/acme/shop/git/trees/${third}?recursive=1`, "POST /graphql"]);
    expect(Object.keys(gh.log[4]!.body.variables).filter((k) => /^b\d+$/.test(k))).toEqual(["b0"]);
  });

  it("fetches 300 candidates in one request and splits larger sets", async () => {
    const gh = new FakeGitHub();
    const files: Record<string, string> = {};
    for (let i = 0; i < 301; i++) files[`services/s${i}/Dockerfile`] = `FROM alpine:3.${i}\n`;
    const commit = gh.commit("acme/shop", files);
    const reader = new GitHubReader();
    const tree = await reader.tree(api(), repo, commit);
    const wanted = planReads(tree.entries, DEFAULT_CONFIG);
    expect(wanted).toHaveLength(301);
    await reader.fetch(api(), [tree], [wanted.slice(0, 300)]);
    expect(gh.count("POST", "/graphql")).toBe(1);
    const report = await scan(reader.snapshot(api(), tree));
    expect(report.stats.read).toBe(301);
    expect(gh.count("POST", "/graphql")).toBe(2); // the 301st file
  });

  it("walks subtrees when GitHub truncates the recursive tree, skipping vendored folders", async () => {
    const gh = new FakeGitHub();
    const commit = gh.commit("acme/shop", {
      Dockerfile: DOCKERFILE,
      "deploy/k8s/Dockerfile": DOCKERFILE,
      "node_modules/x/Dockerfile": DOCKERFILE,
    });
    gh.truncatedTrees.add(commit);
    const reader = new GitHubReader();
    const tree = await reader.tree(api(), repo, commit);
    expect(tree.entries.map((e) => e.path).sort()).toEqual(["Dockerfile", "deploy/k8s/Dockerfile"]);
    expect(gh.requests()).toEqual([
      `GET /repos/acme/shop/git/trees/${commit}?recursive=1`,
      `GET /repos/acme/shop/git/trees/${commit}`,
      `GET /repos/acme/shop/git/trees/${encodeURIComponent(`${commit}:deploy`)}?recursive=1`,
    ]);
  });

  it("falls back to the blobs API for binary or truncated blobs", async () => {
    const gh = new FakeGitHub();
    const commit = gh.commit("acme/shop", {
      Dockerfile: "FROM alpine\0\0binary",
      "docker-compose.yml": "services: {}\n",
    });
    const reader = new GitHubReader();
    const report = await scan(reader.snapshot(api(), await reader.tree(api(), repo, commit)));
    expect(gh.count("GET", "/git/blobs/")).toBe(1);
    expect(report.findings).toContainEqual(expect.objectContaining({ path: "Dockerfile", rule: "scan/binary-file" }));
  });

  it("reports files removed mid-scan as missing, and a deleted repository as an error", async () => {
    const gh = new FakeGitHub();
    const commit = gh.commit("acme/shop", { Dockerfile: DOCKERFILE });
    const reader = new GitHubReader();
    const tree = await reader.tree(api(), repo, commit);
    gh.missing.add("acme/shop");
    await expect(scan(reader.snapshot(api(), tree))).rejects.toThrow(/acme\/shop was not found/);
    await expect(reader.tree(api(), repo, "f".repeat(40))).rejects.toThrow(/was not found/);
  });

  it("revalidates a tree read by branch name with its ETag", async () => {
    nock.disableNetConnect();
    const seen: (string | undefined)[] = [];
    nock("https://api.github.com")
      .get("/repos/acme/shop/git/trees/main?recursive=1")
      .reply(function () {
        seen.push(this.req.headers["if-none-match"] as string | undefined);
        return [
          200,
          {
            sha: "t1",
            truncated: false,
            tree: [{ path: "Dockerfile", mode: "100644", type: "blob", sha: "a".repeat(40), size: 3 }],
          },
          { etag: '"v1"' },
        ];
      })
      .get("/repos/acme/shop/git/trees/main?recursive=1")
      .reply(function () {
        seen.push(this.req.headers["if-none-match"] as string | undefined);
        return [304, ""];
      });
    const reader = new GitHubReader();
    const first = await reader.tree(api(), repo, "main");
    const second = await reader.tree(api(), repo, "main");
    expect(seen).toEqual([undefined, '"v1"']);
    expect(second.entries).toEqual(first.entries);
  });
});

describe("BlobCache", () => {
  it("evicts the least recently used blobs past its byte budget", () => {
    const cache = new BlobCache(100);
    cache.set("a", "x".repeat(20)); // 40 bytes
    cache.set("b", "y".repeat(20));
    cache.get("a");
    cache.set("c", "z".repeat(20)); // 120 > 100: b goes
    expect(cache.get("b")).toBeUndefined();
    expect(cache.get("a")).toBeDefined();
    expect(cache.get("c")).toBeDefined();
    cache.set("huge", "h".repeat(100)); // larger than the whole cache: not kept
    expect(cache.get("huge")).toBeUndefined();
  });
});

describe("openGithubRepo (the CLI's source)", () => {
  it("costs three requests: repository info, tree, one batch with the config", async () => {
    const gh = new FakeGitHub();
    const commit = gh.commit("acme/shop", { Dockerfile: DOCKERFILE, ".github/devops-ladder.yml": "min_score: 50\n" });
    const { snapshot, configText } = await openGithubRepo("acme/shop", undefined, env, { tuning: fast });
    expect(configText).toEqual({ text: "min_score: 50\n", path: ".github/devops-ladder.yml" });
    const report = await scan(snapshot);
    expect(gh.requests()).toEqual([
      "POST /graphql",
      `GET /repos/acme/shop/git/trees/${commit}?recursive=1`,
      "POST /graphql",
    ]);
    expect(report.stats.read).toBe(1);
  });

  it("talks to GitHub Enterprise Server through GITHUB_API_URL (GraphQL at /api/graphql)", async () => {
    const gh = new FakeGitHub("https://ghe.example.com");
    gh.commit("acme/shop", { Dockerfile: DOCKERFILE });
    await openGithubRepo(
      "acme/shop",
      undefined,
      { ...env, GITHUB_API_URL: "https://ghe.example.com/api/v3" },
      { tuning: fast },
    );
    expect(gh.requests()[0]).toBe("POST /api/graphql");
    expect(gh.requests()[1]).toMatch(/^GET \/api\/v3\/repos\/acme\/shop\/git\/trees\//);
  });

  it("explains a missing token, an unknown repository and an unknown ref", async () => {
    const gh = new FakeGitHub();
    await expect(openGithubRepo("acme/shop", undefined, {})).rejects.toThrow(/GITHUB_TOKEN/);
    gh.missing.add("acme/gone");
    await expect(openGithubRepo("acme/gone", undefined, env, { tuning: fast })).rejects.toThrow(
      /acme\/gone was not found/,
    );
    expect(gh.log).toHaveLength(1);
  });

  it("retries a 5xx and waits out a secondary rate limit", async () => {
    const gh = new FakeGitHub();
    gh.commit("acme/shop", { Dockerfile: DOCKERFILE });
    gh.fail("GET", /git\/trees/, 502);
    gh.fail("POST", /graphql/, 403, {
      body: { message: "You have exceeded a secondary rate limit" },
      headers: { "retry-after": "1" },
      times: 1,
    });
    const { snapshot } = await openGithubRepo("acme/shop", undefined, env, { tuning: fast });
    expect((await scan(snapshot)).stats.read).toBe(1);
    expect(gh.requests().map((r) => r.replace(/[0-9a-f]{40}.*$/, "…"))).toEqual([
      "POST /graphql",
      "POST /graphql",
      "GET /repos/acme/shop/git/trees/…",
      "GET /repos/acme/shop/git/trees/…",
      "POST /graphql",
    ]);
  });
});
