// Community docs wherever they are (issue 9, group 8): CONTRIBUTING and CHANGELOG in documentation subfolders, a
// one-file decision log, the craft release tool and reusable release workflows; an issue "template" that only sends
// people elsewhere is no template.
import { describe, expect, it } from "vitest";
import { isDocCandidate } from "../../src/analyzers/repo/docs.js";
import type { CiPipelineFact } from "../../src/facts/ci.js";
import { detectWith, topicsOf } from "./run.js";

const wants = (path: string) => isDocCandidate(path.toLowerCase(), path.slice(path.lastIndexOf("/") + 1).toLowerCase());

const CONTRIBUTING = `# Contributing

## Development setup

\`\`\`sh
make dev
\`\`\`

## Running the tests

\`\`\`sh
make test
\`\`\`
`;
const CHANGELOG = "# Changelog\n\n## v1.2.0\n\n- Added a thing.\n";

describe("community docs in documentation subfolders", () => {
  it("reads CONTRIBUTING and CHANGELOG anywhere under docs/, not in packages", () => {
    expect(wants("docs/reference/contributing.md")).toBe(true);
    expect(wants("docs/reference/changelog.md")).toBe(true);
    expect(wants("doc/dev/CONTRIBUTING.md")).toBe(true);
    expect(wants("packages/ui/CHANGELOG.md")).toBe(false);
    expect(wants("src/lib/contributing.md")).toBe(false);
  });
  it("a contributing guide and a changelog under docs/reference/ pass", async () => {
    const files = { "docs/reference/contributing.md": CONTRIBUTING, "docs/reference/changelog.md": CHANGELOG };
    expect(await detectWith("coordination/contributing", files)).toMatchObject({
      status: "pass",
      evidence: [{ path: "docs/reference/contributing.md" }],
    });
    expect(await detectWith("coordination/changelog", files)).toMatchObject({
      status: "pass",
      evidence: [{ path: "docs/reference/changelog.md", line: 3 }],
    });
  });
  it("an empty changelog under docs/ is named, and does not pass", async () => {
    const result = await detectWith("coordination/changelog", { "docs/reference/changelog.md": "# Changelog\n" });
    expect(result).toMatchObject({
      status: "fail",
      reasonId: "no-version-heading",
      evidence: [{ path: "docs/reference/changelog.md" }],
    });
  });
});

describe("a one-file decision log", () => {
  const LOG = `# Decision log

## 2024-03-01: PostgreSQL for everything

We chose PostgreSQL over MongoDB because the team knows it and the data is relational.
Consequences: one backup story.

## 2024-05-12: Deploy with Flux

We decided to let Flux reconcile the cluster instead of running helm from CI, so that drift is corrected.
`;
  it("is read at the root and in docs/", () => {
    expect(wants("DECISIONS.md")).toBe(true);
    expect(wants("docs/decision-log.md")).toBe(true);
    expect(wants("src/decisions.md")).toBe(false);
  });
  it("two or more decisions with their reasons make a decision record", async () => {
    expect(await topicsOf("docs/decision-log.md", LOG)).toEqual({ adr: 3 });
    expect(await topicsOf("DECISIONS.md", LOG)).toEqual({ adr: 3 });
  });
  it("a stub or a single note is not", async () => {
    expect(await topicsOf("DECISIONS.md", "# Decisions\n\nTBD.\n")).toEqual({});
    expect(
      await topicsOf(
        "DECISIONS.md",
        "# Decisions\n\n## Database\n\nWe chose PostgreSQL because the team knows it well.\n",
      ),
    ).toEqual({});
    // headings without reasons: a list of names, not decisions
    expect(await topicsOf("docs/decisions.md", "# Decisions\n\n## One\n\nlorem\n\n## Two\n\nipsum\n")).toEqual({});
  });
});

describe("release tools: craft, reusable release workflows", () => {
  const job = (extra: Partial<CiPipelineFact["jobs"][number]>): CiPipelineFact =>
    ({
      path: ".github/workflows/release.yml",
      system: "github-actions",
      triggers: { pullRequest: false, push: true, tags: false, release: false, manual: true, schedule: [] },
      jobs: [{ id: "release", line: 7, steps: [], needs: [], ...extra }],
    }) as unknown as CiPipelineFact;

  it(".craft.yml with targets is a release tool config", async () => {
    const craft = "minVersion: 2.21.6\nchangelogPolicy: auto\ntargets:\n  - name: github\n";
    expect(await detectWith("coordination/release-automation", { ".craft.yml": craft })).toMatchObject({
      status: "pass",
      evidence: [{ path: ".craft.yml", line: 1, note: "craft config" }],
    });
    // another tool's file of that name, or an empty one, is not
    expect(await detectWith("coordination/release-automation", { ".craft.yml": "name: x\n" })).toMatchObject({
      status: "fail",
      reasonId: "no-release-tooling",
    });
    expect(await detectWith("coordination/release-automation", { ".craft.yml": "\n" })).toMatchObject({
      status: "fail",
      reasonId: "no-release-tooling",
    });
  });
  it("the craft action and the craft CLI cut releases", async () => {
    const step = { line: 12, uses: "getsentry/craft@v2" };
    expect(
      await detectWith("coordination/release-automation", {}, {}, (f) => f.add("ci", job({ steps: [step] }))),
    ).toMatchObject({ status: "pass", evidence: [{ line: 12, note: "craft in job release" }] });
    const run = (argv: string[]) =>
      detectWith("coordination/release-automation", {}, {}, (f) =>
        f.add("command", { path: "scripts/release.sh", line: 3, argv, origin: "shell" }),
      );
    expect((await run(["npx", "@sentry/craft", "prepare", "1.2.0"])).status).toBe("pass");
    expect((await run(["craft", "prepare", "1.2.0"])).status).toBe("pass");
    expect(await run(["craft", "targets"])).toMatchObject({ status: "fail", reasonId: "no-release-tooling" });
  });
  it("a job that calls a reusable release-please workflow cuts releases; another reusable workflow does not", async () => {
    const called = (calls: string) =>
      detectWith("coordination/release-automation", {}, {}, (f) => f.add("ci", job({ calls })));
    expect(await called("acme/.github/.github/workflows/release-please.yml@v1")).toMatchObject({
      status: "pass",
      evidence: [{ line: 7, note: "release-please workflow called by job release" }],
    });
    expect(await called("acme/.github/.github/workflows/build.yml@v1")).toMatchObject({
      status: "fail",
      reasonId: "no-release-tooling",
    });
    expect(await called("./.github/workflows/github-release.yml")).toMatchObject({
      status: "fail",
      reasonId: "no-release-tooling",
    });
  });
});

describe("issue templates that only send people elsewhere", () => {
  const redirect = `---
name: Questions go to the forum
about: Please do not submit issues here
---

Please do not submit issues here. Ask in [the forum](https://example.org/forum). Thanks!
`;
  it("is not an issue template, and says why", async () => {
    const result = await detectWith("coordination/issue-templates", {
      ".github/ISSUE_TEMPLATE/forum.md": redirect,
    });
    expect(result).toMatchObject({ status: "fail", reasonId: "invalid-issue-template" });
  });
  it("a real template that asks not to report security issues here still counts", async () => {
    const real = `---
name: Bug report
about: Something does not work
---

Do not report security vulnerabilities here: see SECURITY.md.

## What happened

## How to reproduce
`;
    expect((await detectWith("coordination/issue-templates", { ".github/ISSUE_TEMPLATE/bug.md": real })).status).toBe(
      "pass",
    );
  });
  it("a legacy single-file .github/ISSUE_TEMPLATE.md counts", async () => {
    const legacy = "### Expected behaviour\n\n### Actual behaviour\n\n### Steps to reproduce\n";
    expect(await detectWith("coordination/issue-templates", { ".github/ISSUE_TEMPLATE.md": legacy })).toMatchObject({
      status: "pass",
      evidence: [{ path: ".github/ISSUE_TEMPLATE.md" }],
    });
  });
});
