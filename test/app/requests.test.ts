// requestFor: which payload asks for which scan, as a table (no Probot, no network).
import { describe, expect, it } from "vitest";
import { Deliveries, requestFor } from "../../src/github/requests.js";

const repository = {
  name: "web",
  full_name: "acme/web",
  owner: { login: "acme" },
  default_branch: "main",
  private: true,
  archived: false,
};
const installation = { id: 7 };
const A = "a".repeat(40);
const B = "b".repeat(40);
const C = "c".repeat(40);
const repo = { owner: "acme", repo: "web" };

const push = (over: object = {}) => ({
  ref: "refs/heads/main",
  before: A,
  after: B,
  repository,
  installation,
  ...over,
});
const pr = (action: string, fork = false) => ({
  action,
  repository,
  installation,
  pull_request: {
    number: 12,
    head: { sha: B, ref: "feature", repo: { full_name: fork ? "someone/web" : "acme/web" } },
    base: { sha: A, ref: "main" },
  },
});
const suite = (action: string, prs: object[] = []) => ({
  action,
  repository,
  installation,
  check_suite: { head_sha: B, head_branch: "main", before: A, pull_requests: prs },
});
const run = (over: object = {}) => ({
  action: "rerequested",
  repository,
  installation,
  check_run: {
    id: 99,
    name: "DevOps Ladder",
    status: "completed",
    head_sha: B,
    check_suite: { head_branch: "main" },
    pull_requests: [],
    ...over,
  },
});

describe("requestFor", () => {
  const table: [string, string, unknown, unknown][] = [
    [
      "a push to the default branch scans its head, against the previous head if it was scanned",
      "push",
      push(),
      {
        type: "scan",
        installationId: 7,
        slot: "branch:main",
        force: false,
        private: true,
        request: {
          repo,
          defaultBranch: "main",
          head: { sha: B, ref: "main" },
          base: { sha: A, ref: "main", onlyIfCached: true },
        },
      },
    ],
    ["a push to another branch asks for nothing", "push", push({ ref: "refs/heads/dev" }), undefined],
    ["a tag asks for nothing", "push", push({ ref: "refs/tags/v1" }), undefined],
    ["a deleted branch asks for nothing", "push", push({ deleted: true }), undefined],
    [
      "an archived repository asks for nothing",
      "push",
      push({ repository: { ...repository, archived: true } }),
      undefined,
    ],
    ["a payload without an installation asks for nothing", "push", push({ installation: undefined }), undefined],
    [
      "an opened pull request scans its head against its base",
      "pull_request",
      pr("opened"),
      {
        type: "scan",
        installationId: 7,
        slot: "pr:12",
        force: false,
        private: true,
        request: { repo, defaultBranch: "main", head: { sha: B, ref: "feature" }, base: { sha: A, ref: "main" } },
      },
    ],
    [
      "a fork's branch name is dropped",
      "pull_request",
      pr("synchronize", true),
      expect.objectContaining({ request: expect.objectContaining({ head: { sha: B } }) }),
    ],
    ["a closed pull request asks for nothing", "pull_request", pr("closed"), undefined],
    [
      "check_suite.requested on a branch compares with the previous head if it was scanned",
      "check_suite",
      suite("requested"),
      expect.objectContaining({
        slot: "branch:main",
        force: false,
        request: expect.objectContaining({ base: { sha: A, ref: "main", onlyIfCached: true } }),
      }),
    ],
    [
      "check_suite.rerequested on a pull request is forced, in the pull request's slot",
      "check_suite",
      suite("rerequested", [{ number: 3, base: { sha: C, ref: "main" } }]),
      expect.objectContaining({
        slot: "pr:3",
        force: true,
        request: expect.objectContaining({ base: { sha: C, ref: "main" } }),
      }),
    ],
    ["check_suite.completed asks for nothing", "check_suite", suite("completed"), undefined],
    [
      "check_run.rerequested of our run is forced",
      "check_run",
      run(),
      expect.objectContaining({
        slot: "branch:main",
        force: true,
        request: expect.objectContaining({ base: undefined }),
      }),
    ],
    [
      "check_run.rerequested of a stuck run completes that run",
      "check_run",
      run({ status: "in_progress" }),
      expect.objectContaining({ runId: 99, force: true }),
    ],
    ["another app's check run asks for nothing", "check_run", run({ name: "CI" }), undefined],
    [
      "installation.created scans the repositories it brings",
      "installation",
      { action: "created", installation, repositories: [{ full_name: "acme/web" }, { full_name: "acme/api" }] },
      { type: "repositories", installationId: 7, repos: ["acme/web", "acme/api"] },
    ],
    [
      "installation_repositories.added scans the added ones",
      "installation_repositories",
      { action: "added", installation, repositories_added: [{ full_name: "acme/new" }] },
      { type: "repositories", installationId: 7, repos: ["acme/new"] },
    ],
    [
      "installation_repositories.removed asks for nothing",
      "installation_repositories",
      { action: "removed", installation, repositories_removed: [{ full_name: "acme/new" }] },
      undefined,
    ],
    [
      "an event the app does not scan on asks for nothing",
      "issues",
      { action: "opened", repository, installation },
      undefined,
    ],
  ];
  for (const [what, name, payload, expected] of table) {
    it(what, () => {
      expect(requestFor(name, payload)).toEqual(expected);
    });
  }

  it("a malformed payload throws (the handler logs it without the payload)", () => {
    expect(() => requestFor("pull_request", { action: "opened", installation, repository })).toThrow();
  });
});

describe("Deliveries", () => {
  it("says first once per id, and forgets the oldest past its size", () => {
    const d = new Deliveries(2);
    expect([d.first("a"), d.first("a"), d.first("b"), d.first("c"), d.first("a")]).toEqual([
      true,
      false,
      true,
      true,
      true,
    ]);
  });
});
