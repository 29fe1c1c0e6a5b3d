// RepoScanner's request budget, pinned: plan (the trees), fetch (ONE GraphQL batch with the files of both trees
// and the config), scan (no request). A config that widens the selection costs one more batch, for both trees.
import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import { RepoScanner } from "../../src/github/scan.js";
import { cliOctokit } from "../../src/sources/github-cli.js";
import { blobSha, FakeGitHub } from "./fake-github.js";

const api = () => cliOctokit({ GITHUB_TOKEN: "ghp_test" }, { retryAfterBaseValue: 1, noSpacing: true });
const repo = { owner: "acme", repo: "shop" };

const DOCKERFILE = 'FROM node:20.11-alpine\nUSER node\nCMD ["node", "server.js"]\n';
const WORKFLOW =
  "name: ci\non: [pull_request]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm test\n";
const CONFIG = { ".github/devops-ladder.yml": "min_score: 50\nignore: [legacy/**]\n" };
/** Over the default max_file_size (1 MiB): read only under a config that raises it. */
const big = (from: string) => `FROM ${from}\n${"# padding\n".repeat(110_000)}`;

const blobsAsked = (body: { variables: Record<string, string> }) =>
  Object.entries(body.variables)
    .filter(([k]) => /^b\d+$/.test(k))
    .map(([, v]) => v);

afterEach(() => {
  nock.cleanAll();
});

describe("RepoScanner: plan → fetch → scan", () => {
  it("a pull request on a repository with a config: two trees and one GraphQL batch", async () => {
    const gh = new FakeGitHub();
    const base = gh.commit("acme/shop", { ...CONFIG, "legacy/Dockerfile": DOCKERFILE, "README.md": "# shop\n" });
    const head = gh.commit("acme/shop", {
      ...CONFIG,
      "legacy/Dockerfile": DOCKERFILE,
      Dockerfile: DOCKERFILE,
      ".github/workflows/ci.yml": WORKFLOW,
    });
    const result = await new RepoScanner().scan(api(), {
      repo,
      head: { sha: head, ref: "feature" },
      base: { sha: base, ref: "main" },
      defaultBranch: "main",
    });
    expect(gh.requests()).toEqual([
      `GET /repos/acme/shop/git/trees/${head}?recursive=1`,
      `GET /repos/acme/shop/git/trees/${base}?recursive=1`,
      "POST /graphql",
    ]);
    // the config from the base's tree (the default branch), in the batch; no look-up of another ref
    const batch = gh.log[2]!.body;
    expect(Object.keys(batch.variables).filter((k) => k.startsWith("le"))).toEqual([]);
    expect(blobsAsked(batch)).toEqual(
      expect.arrayContaining([blobSha(DOCKERFILE), blobSha(WORKFLOW), blobSha(CONFIG[".github/devops-ladder.yml"])]),
    );
    expect(result.config.min_score).toBe(50);
    expect(result.report.stats.read).toBe(2); // Dockerfile and workflow; legacy/ is ignored
    expect(result.base?.target).toMatchObject({ kind: "github", sha: base });
  });

  it("a config that raises max_file_size costs one more batch, for the files it adds in both trees", async () => {
    const gh = new FakeGitHub();
    const config = { ".github/devops-ladder.yml": "max_file_size: 4194304\n" };
    const base = gh.commit("acme/shop", { ...config, Dockerfile: big("alpine:3.19") });
    const head = gh.commit("acme/shop", {
      ...config,
      Dockerfile: big("alpine:3.20"),
      ".github/workflows/ci.yml": WORKFLOW,
    });
    const scanner = new RepoScanner();
    const req = {
      repo,
      head: { sha: head, ref: "feature" },
      base: { sha: base, ref: "main" },
      defaultBranch: "main",
    };
    const result = await scanner.scan(api(), req);
    expect(gh.requests().slice(2)).toEqual(["POST /graphql", "POST /graphql"]);
    expect(blobsAsked(gh.log[3]!.body).sort()).toEqual(
      [blobSha(big("alpine:3.19")), blobSha(big("alpine:3.20"))].sort(),
    );
    expect(result.report.stats.read).toBe(2);
    expect(result.base?.stats.read).toBe(1);
    expect(result.report.findings.filter((f) => f.rule === "scan/file-too-large")).toEqual([]);

    // the same pull request again: trees, contents and reports come from the caches; the batch holds only
    // the org config's look-ups (the repository's own config is cached from the base's tree)
    await scanner.scan(api(), req);
    expect(gh.requests().slice(4)).toEqual(["POST /graphql"]);
    expect(blobsAsked(gh.log[4]!.body)).toEqual([]);
  });

  it("a push to the default branch without a config looks the repository's and the org's up in the batch", async () => {
    const gh = new FakeGitHub();
    const head = gh.commit("acme/shop", { Dockerfile: DOCKERFILE });
    gh.commit("acme/.github", { ".github/devops-ladder.yml": "min_level: lead\n" });
    const result = await new RepoScanner().scan(api(), {
      repo,
      head: { sha: head, ref: "main" },
      defaultBranch: "main",
    });
    expect(gh.requests()).toEqual([`GET /repos/acme/shop/git/trees/${head}?recursive=1`, "POST /graphql"]);
    expect(result.config.min_level).toBe("lead");
    expect(result.report.stats.read).toBe(1);
  });
});
