import { describe, expect, it } from "vitest";
import { docTopicEvidence, releaseProgram } from "../../src/detectors/coordination.js";
import type { FactStore } from "../../src/engine/facts.js";
import type { CiPipelineFact } from "../../src/facts/ci.js";
import { contextOf } from "../helpers.js";
import { detectWith, fixture } from "./run.js";

const workflow = (steps: CiPipelineFact["jobs"][number]["steps"], disabled = false): CiPipelineFact =>
  ({
    path: ".github/workflows/release.yml",
    system: "github-actions",
    triggers: {
      pullRequest: false,
      push: true,
      tags: false,
      release: false,
      manual: false,
      schedule: [],
      reusable: false,
    },
    jobs: [{ id: "release", line: 5, steps, needs: [], ...(disabled ? { disabled } : {}) }],
  }) as CiPipelineFact;

describe("coordination/codeowners", () => {
  it("passes on the file GitHub reads, with each owning rule's line", async () => {
    const result = await detectWith("coordination/codeowners", fixture("coordinated"));
    expect(result.status).toBe("pass");
    expect(result.evidence?.map((e) => `${e.path}:${e.line}`)).toEqual([
      ".github/CODEOWNERS:2",
      ".github/CODEOWNERS:5",
      ".github/CODEOWNERS:6",
      ".github/CODEOWNERS:7",
    ]);
  });
  it("fails on a file with only comments", async () => {
    const result = await detectWith("coordination/codeowners", fixture("uncoordinated"));
    expect(result).toMatchObject({
      status: "fail",
      reasonId: "no-owner-assigned",
      evidence: [{ path: "CODEOWNERS", line: 1 }],
    });
  });
  it("fails without a file, and with only un-assignments or invalid owners", async () => {
    expect(await detectWith("coordination/codeowners", { "README.md": "# x\n" })).toMatchObject({
      status: "fail",
      reasonId: "no-codeowners",
    });
    expect(await detectWith("coordination/codeowners", { CODEOWNERS: "/docs/\n* platform-team\n" })).toMatchObject({
      status: "fail",
      reasonId: "no-owner-assigned",
    });
    // a binary file is not read: there is a CODEOWNERS, but no rule of it
    expect(
      await detectWith("coordination/codeowners", { CODEOWNERS: new Uint8Array([0, 159, 146, 150, 0]) }),
    ).toMatchObject({ status: "fail", reasonId: "unreadable-codeowners" });
  });
  it("judges the .github/ file when the root one is shadowed, and says so", async () => {
    const result = await detectWith("coordination/codeowners", {
      ".github/CODEOWNERS": "# soon\n",
      CODEOWNERS: "* @acme/devs\n",
    });
    expect(result).toMatchObject({ status: "fail", reasonId: "no-owner-assigned" });
    expect(result.findings).toMatchObject([{ path: "CODEOWNERS", rule: "codeowners/shadowed" }]);
  });
});

describe("coordination/codeowners-devops", () => {
  it("passes when every workflow, Dockerfile and IaC file has an owner", async () => {
    const result = await detectWith("coordination/codeowners-devops", fixture("coordinated"));
    expect(result.status).toBe("pass");
    expect(result.evidence?.map((e) => `${e.line}:${e.note}`)).toEqual([
      "5:@acme/platform own .github/workflows/release.yml",
      "6:@acme/platform own Dockerfile",
      "7:@acme/platform ops@acme.example own infra/main.tf",
    ]);
  });
  it("fails naming the files a later ownerless rule un-assigns", async () => {
    const files = { ".github/CODEOWNERS": "* @acme/devs\n/infra/\n", "infra/main.tf": "", Dockerfile: "FROM x\n" };
    const result = await detectWith("coordination/codeowners-devops", files);
    expect(result).toMatchObject({ status: "fail", reasonId: "unowned-devops-files" });
    expect(result.evidence).toEqual([{ path: "infra/main.tf", note: "un-assigned by line 2 of .github/CODEOWNERS" }]);
  });
  it("fails when the rules miss the DevOps paths", async () => {
    const files = { CODEOWNERS: "/src/ @acme/devs\n", ".github/workflows/ci.yml": "on: push\n", "deploy/k8s.yaml": "" };
    const result = await detectWith("coordination/codeowners-devops", files, {}, (facts: FactStore) =>
      facts.add("k8s", { path: "deploy/k8s.yaml", line: 1, apiVersion: "apps/v1", kind: "Deployment", doc: {} }),
    );
    expect(result).toMatchObject({ status: "fail", reasonId: "unowned-devops-files" });
    expect(result.evidence?.map((e) => e.path)).toEqual([".github/workflows/ci.yml", "deploy/k8s.yaml"]);
  });
  it("is not applicable without DevOps files, and ignores vendored ones", async () => {
    expect(await detectWith("coordination/codeowners-devops", { CODEOWNERS: "* @a\n", "src/a.ts": "" })).toMatchObject({
      status: "na",
      reasonId: "no-devops-files",
    });
    expect(
      await detectWith("coordination/codeowners-devops", {
        CODEOWNERS: "/src/ @a\n",
        "node_modules/x/Dockerfile": "FROM x\n",
      }),
    ).toMatchObject({ status: "na", reasonId: "no-devops-files" });
  });
});

describe("templates, contributing, changelog", () => {
  it("pass on the coordinated fixture with path and line", async () => {
    const files = fixture("coordinated");
    expect(await detectWith("coordination/pr-template", files)).toMatchObject({
      status: "pass",
      evidence: [{ path: ".github/pull_request_template.md", line: 1 }],
    });
    expect(await detectWith("coordination/issue-templates", files)).toMatchObject({
      status: "pass",
      evidence: [{ path: ".github/ISSUE_TEMPLATE/bug.yml", line: 4 }],
    });
    expect(await detectWith("coordination/contributing", files)).toMatchObject({
      status: "pass",
      evidence: [{ path: "CONTRIBUTING.md", line: 1 }],
      reason: "the contributing guide covers setup, tests, pull-requests",
    });
    expect(await detectWith("coordination/changelog", files)).toMatchObject({
      status: "pass",
      evidence: [{ path: "CHANGELOG.md", line: 3 }],
    });
  });
  it(
    "fail on the uncoordinated fixture: empty PR template, issue template without content, " +
      "thin CONTRIBUTING, changelog without versions",
    async () => {
      const files = fixture("uncoordinated");
      expect(await detectWith("coordination/pr-template", files)).toMatchObject({
        status: "fail",
        reasonId: "invalid-pr-template",
        evidence: [{ path: ".github/pull_request_template.md", line: 1 }],
        reason: ".github/pull_request_template.md: empty or invalid, so no pull request template is offered",
      });
      expect(await detectWith("coordination/issue-templates", files)).toMatchObject({
        status: "fail",
        reasonId: "invalid-issue-template",
        evidence: [{ path: ".github/ISSUE_TEMPLATE/bug.md" }],
      });
      expect(await detectWith("coordination/pr-template", {})).toMatchObject({
        status: "fail",
        reasonId: "no-pr-template",
        evidence: [],
      });
      for (const [signal, reasonId] of [
        ["issue-templates", "no-issue-template"],
        ["contributing", "no-contributing-guide"],
        ["changelog", "no-changelog"],
      ])
        expect(await detectWith(`coordination/${signal}`, { "README.md": "# x\n" })).toMatchObject({
          status: "fail",
          reasonId,
          evidence: [],
        });
      expect(await detectWith("coordination/contributing", files)).toMatchObject({
        status: "fail",
        reasonId: "thin-contributing-guide",
        evidence: [{ path: "CONTRIBUTING.md", line: 1 }],
      });
      expect(await detectWith("coordination/changelog", files)).toMatchObject({
        status: "fail",
        reasonId: "no-version-heading",
        reason: "CHANGELOG.md has no version heading yet",
      });
    },
  );
  it("a README contributing section with steps counts as a guide", async () => {
    const readme = "# App\n\n## Contributing\n\n1. Fork the repository\n2. Run `npm test`\n3. Open a pull request\n";
    expect(await detectWith("coordination/contributing", { "README.md": readme })).toMatchObject({
      status: "pass",
      evidence: [{ path: "README.md", line: 3 }],
    });
  });
});

describe("coordination/release-automation", () => {
  it("passes on a config file", async () => {
    expect(await detectWith("coordination/release-automation", fixture("coordinated"))).toMatchObject({
      status: "pass",
      evidence: expect.arrayContaining([
        { path: "release-please-config.json", line: 1, note: "release-please config" },
      ]),
    });
  });
  it("passes on a release action in a workflow, not in a disabled job", async () => {
    const step = { line: 9, uses: "googleapis/release-please-action@v4" };
    expect(
      await detectWith("coordination/release-automation", {}, {}, (f) => f.add("ci", workflow([step]))),
    ).toMatchObject({
      status: "pass",
      evidence: [{ path: ".github/workflows/release.yml", line: 9, note: "release-please in job release" }],
    });
    expect(
      await detectWith("coordination/release-automation", {}, {}, (f) => f.add("ci", workflow([step], true))),
    ).toMatchObject({ status: "fail", reasonId: "no-release-tooling" });
  });
  it("passes on a command that cuts a release, from CI or package.json", async () => {
    const result = await detectWith("coordination/release-automation", {}, {}, (f) =>
      f.add("command", {
        path: ".github/workflows/release.yml",
        line: 12,
        argv: ["npx", "semantic-release"],
        origin: "ci",
        unit: "release",
      }),
    );
    expect(result).toMatchObject({
      status: "pass",
      evidence: [{ path: ".github/workflows/release.yml", line: 12, note: "semantic-release in release" }],
    });
  });
  it("fails on a dev dependency that nothing runs, and on a changelog alone", async () => {
    expect(await detectWith("coordination/release-automation", fixture("uncoordinated"))).toMatchObject({
      status: "fail",
      reasonId: "no-release-tooling",
    });
    expect(await detectWith("coordination/release-automation", { "CHANGELOG.md": "# C\n\n## 1.0.0\n" })).toMatchObject({
      status: "fail",
      reasonId: "no-release-tooling",
    });
  });
  it("knows which command lines cut a release", () => {
    expect(releaseProgram(["npx", "semantic-release"])).toBe("semantic-release");
    expect(releaseProgram(["npx", "--yes", "semantic-release@22", "--dry-run"])).toBe("semantic-release");
    expect(releaseProgram(["pnpm", "changeset", "publish"])).toBe("changesets");
    expect(releaseProgram(["yarn", "changeset", "add"])).toBeUndefined();
    expect(releaseProgram(["goreleaser", "release", "--clean"])).toBe("goreleaser");
    expect(releaseProgram(["goreleaser", "check"])).toBeUndefined();
    expect(releaseProgram(["echo", "semantic-release"])).toBeUndefined();
    expect(releaseProgram(["npm", "run", "release"])).toBeUndefined();
  });
});

describe("docTopicEvidence (shared by other tasks' detectors)", () => {
  it("cites the heading that establishes any of the topics", async () => {
    const evidence = docTopicEvidence(await contextOf(fixture("ops-docs")), ["restore", "rollback"]);
    expect(evidence.map((e) => `${e.path}:${e.line}`)).toEqual(["README.md:29", "docs/runbooks/restore-database.md:1"]);
  });
  it("finds nothing in words in passing", async () => {
    expect(docTopicEvidence(await contextOf(fixture("prose-only")), ["deploy"])).toEqual([]);
  });
});
