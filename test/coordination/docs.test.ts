import { describe, expect, it } from "vitest";
import { isDocCandidate } from "../../src/analyzers/repo/docs.js";
import { analyzeRepo, docOf, fixture, topicsOf } from "./run.js";

const wants = (path: string) => isDocCandidate(path.toLowerCase(), path.slice(path.lastIndexOf("/") + 1).toLowerCase());

describe("docs: which files are read", () => {
  it("reads top-level community files and READMEs near the root", () => {
    for (const p of [
      "README.md",
      "README",
      "readme.rst",
      "services/api/README.md",
      "CONTRIBUTING.md",
      ".github/CONTRIBUTING.md",
      "docs/SECURITY.md",
      "CHANGELOG.md",
      "RUNBOOK.md",
      "deploy/DEPLOY.md",
      "docs/deployment.md",
      "ops/restore.adoc",
    ]) {
      expect(wants(p), p).toBe(true);
    }
  });
  it("reads every page of ops folders, and only ops-minded pages of generic doc folders", () => {
    expect(wants("runbooks/db-failover.md")).toBe(true);
    expect(wants("docs/adr/0007-queue.md")).toBe(true);
    expect(wants("doc/architecture/decisions/0001-record.md")).toBe(true);
    expect(wants("docs/guides/deploying-on-kubernetes.md")).toBe(true);
    expect(wants("docs/index.md")).toBe(true);
    expect(wants("docs/api/widgets.md")).toBe(false);
    expect(wants("docs/tutorial/first-steps.md")).toBe(false);
  });
  it("skips deep READMEs, package changelogs, templates and non-doc files", () => {
    for (const p of [
      "a/b/c/README.md",
      "packages/ui/CHANGELOG.md",
      ".github/PULL_REQUEST_TEMPLATE.md",
      ".github/ISSUE_TEMPLATE/bug.md",
      "docs/deploy.png",
      "runbooks/restore.sh",
      "src/notes/design.md",
      "a/b/c/d/e/runbooks/x.md",
    ]) {
      expect(wants(p), p).toBe(false);
    }
  });
  it("keeps a 2,000-page docs site within budget", () => {
    const pages: string[] = [];
    for (let i = 0; i < 2000; i++)
      pages.push(`docs/${["api", "guides", "reference", "blog"][i % 4]}/section-${i % 37}/page-${i}.md`);
    pages.push("docs/guides/deployment.md", "docs/operations/backups.md");
    expect(pages.filter(wants)).toEqual(["docs/guides/deployment.md", "docs/operations/backups.md"]);
  });
});

describe("docs: Markdown structure", () => {
  it("reads ATX and setext headings, not headings in fenced code or front matter", async () => {
    const doc = await docOf(
      "README.md",
      "---\ntitle: Not a heading\n---\n# Title\n\nSub\n---\n\n```md\n# fenced\n```\n\n~~~\n" +
        "## tilde fenced\n~~~\n\n    # indented code\n\n## Last\n",
    );
    expect(doc.headings).toEqual([
      { text: "Title", depth: 1, line: 4 },
      { text: "Sub", depth: 2, line: 6 },
      { text: "Last", depth: 2, line: 19 },
    ]);
    expect(doc.title).toBe("Title");
  });
  it("lists code blocks with language and the line of the fence", async () => {
    const doc = await docOf("README.md", "# A\n\n```Bash title=x\necho hi\n```\n\n```\nplain\n```\n");
    expect(doc.codeBlocks).toEqual([
      { lang: "bash", line: 3, text: "echo hi" },
      { line: 7, text: "plain" },
    ]);
  });
});

describe("docs: topics judged by headings and their content", () => {
  it("finds each ops topic of a real project with the line of its heading", async () => {
    const analysis = await analyzeRepo(fixture("ops-docs"));
    const topics = Object.fromEntries(
      analysis.facts.all("doc").map((d) => [d.path, d.topics.map((t) => `${t.topic}@${t.line}`)]),
    );
    expect(topics["README.md"]).toEqual(["deploy@16", "rollback@29", "environments@35"]);
    expect(topics["docs/architecture.md"]).toEqual(["architecture@1"]);
    expect(topics["docs/runbooks/restore-database.md"]).toEqual([
      "restore@1",
      "backup@1",
      "runbook@1",
      "disaster-recovery@1",
    ]);
    expect(topics["docs/adr/0001-use-postgres.md"]).toEqual(["adr@1"]);
    expect(topics["CHANGELOG.md"]).toEqual(["changelog@7"]);
    expect(analysis.facts.all("releaseTooling")).toEqual([{ path: "CHANGELOG.md", line: 7, tool: "changelog" }]);
  });

  it("establishes nothing from words in passing, fenced examples or prose-only sections", async () => {
    const analysis = await analyzeRepo(fixture("prose-only"));
    for (const doc of analysis.facts.all("doc")) expect(doc.topics, doc.path).toEqual([]);
    expect(analysis.facts.all("releaseTooling")).toEqual([]);
  });

  it("deploy: a deploy heading with an ordered list or a command block", async () => {
    expect(await topicsOf("README.md", "# X\n\n## How to deploy\n\n1. build\n2. push\n")).toEqual({ deploy: 3 });
    expect(await topicsOf("README.md", "# X\n\n## Deployment\n\n```\nfly deploy --app x\n```\n")).toEqual({
      deploy: 3,
    });
    expect(await topicsOf("README.md", "# X\n\n## Deployment\n\n```yaml\nreplicas: 2\n```\n")).toEqual({});
    expect(await topicsOf("README.md", "# X\n\n## Deploy keys\n\n1. create a key\n2. add it\n")).toEqual({});
    expect(await topicsOf("README.md", "# X\n\n## Deployment\n\n- item one\n- item two\n")).toEqual({});
  });
  it("deploy: a release heading counts only when it ships to an environment", async () => {
    expect(
      await topicsOf("README.md", "# X\n\n## Releasing\n\n1. tag\n2. the pipeline ships it to production\n"),
    ).toEqual({ deploy: 3 });
    expect(await topicsOf("README.md", "# X\n\n## Releasing\n\n1. tag\n2. npm publish\n")).toEqual({});
  });
  it("deploy: a file named for deploying needs steps somewhere", async () => {
    expect(await topicsOf("docs/deployment.md", "# Going to prod\n\nSome words.\n\n## Steps\n\n1. a\n2. b\n")).toEqual({
      deploy: 1,
    });
    expect(await topicsOf("docs/deployment.md", "# Going to prod\n\nAsk the platform team.\n")).toEqual({});
    expect(await topicsOf("docs/deployment/aws.md", "# AWS\n\n```sh\ncdk deploy\n```\n")).toEqual({ deploy: 1 });
    // only the page's own folder says what it is about, not every folder above it
    expect(await topicsOf("deploy/tools/cli/README.md", "# CLI\n\n```sh\nnpm i -g our-cli\n```\n")).toEqual({});
  });
  it("restore: steps about data, not `dotnet restore`", async () => {
    expect(await topicsOf("README.md", "# X\n\n## Restore\n\n```sh\npg_restore -d app latest.dump\n```\n")).toEqual({
      restore: 3,
    });
    expect(await topicsOf("README.md", "# X\n\n## Restore\n\n```sh\nnpm run restore-ui-state\n```\n")).toEqual({});
    expect(await topicsOf("README.md", "# X\n\n## Restore NuGet packages\n\n```sh\ndotnet restore\n```\n")).toEqual({});
  });
  it("backup, runbook and disaster recovery", async () => {
    expect(
      await topicsOf(
        "README.md",
        "# X\n\n## Backups\n\nA nightly CronJob dumps the database to S3 and keeps thirty days of dumps, encrypted with KMS keys.\n",
      ),
    ).toEqual({ backup: 3 });
    expect(await topicsOf("README.md", "# X\n\n## Backups\n\nTODO\n")).toEqual({});
    expect(
      await topicsOf("runbooks/high-latency.md", "# High latency\n\n1. Check the dashboard\n2. Scale out\n"),
    ).toEqual({ runbook: 1 });
    expect(await topicsOf("runbooks/README.md", "# Runbooks\n")).toEqual({});
    expect(await topicsOf("docs/ops/dr.md", "# DR\n\n## Targets\n\nRPO: 1 hour, RTO: 4 hours.\n")).toEqual({
      "disaster-recovery": 3,
    });
    expect(await topicsOf("README.md", "# X\n\nWe have no rpo yet.\n")).toEqual({ "disaster-recovery": 1 });
  });
  it("architecture: a diagram or a description of components", async () => {
    expect(await topicsOf("README.md", "# X\n\n## Architecture\n\n![diagram](docs/arch.png)\n")).toEqual({
      architecture: 3,
    });
    expect(
      await topicsOf("README.md", "# X\n\n## Architecture\n\n```plantuml\n@startuml\nA -> B\n@enduml\n```\n"),
    ).toEqual({ architecture: 3 });
    const components =
      "# X\n\n## Architecture\n\n- **api**: serves the public REST API behind the load balancer\n" +
      "- **worker**: consumes jobs from the queue and sends mail\n" +
      "- **db**: PostgreSQL holds the invoices and the customers\n";
    expect(await topicsOf("README.md", components)).toEqual({ architecture: 3 });
    expect(await topicsOf("README.md", "# X\n\n## Architecture\n\nIt is a monolith.\n")).toEqual({});
    const widgets =
      "# UI kit\n\n## Components\n\n" +
      "- **Button**: a clickable button with three sizes and two variants\n" +
      "- **Modal**: a dialog that traps focus until it is closed\n" +
      "- **Table**: sortable, paginated rows of data for admin pages\n";
    expect(await topicsOf("README.md", widgets)).toEqual({});
    expect(await topicsOf("README.md", widgets.replace("## Components", "## System components"))).toEqual({
      architecture: 3,
    });
    expect(
      await topicsOf(
        "docs/architecture/decisions/README.md",
        "# Architecture decisions\n\n- [1](0001.md)\n- [2](0002.md)\n- [3](0003.md)\n",
      ),
    ).toEqual({});
  });
  it("adr: Status, Context and Decision in a decisions folder, not a template", async () => {
    const adr = "# 2. Use SQS\n\nStatus: accepted\n\n## Context\n\nx\n\n## Decision\n\ny\n";
    expect(await topicsOf("docs/adr/0002-use-sqs.md", adr)).toEqual({ adr: 1 });
    expect(await topicsOf("docs/adr/template.md", adr)).toEqual({});
    expect(await topicsOf("docs/adr/0003-draft.md", "# 3. Draft\n\n## Context\n\nx\n")).toEqual({});
    expect(
      await topicsOf(
        "docs/decisions/0004-madr.md",
        "---\nstatus: accepted\n---\n# Use X\n\n## Context and Problem Statement\n\nx\n\n## Decision Outcome\n\ny\n",
      ),
    ).toEqual({ adr: 4 });
  });
  it("security policy, contributing guide, changelog and environments", async () => {
    expect(
      await topicsOf(
        "SECURITY.md",
        "# Security\n\nPlease report vulnerabilities to security@example.com; we answer within two days.\n",
      ),
    ).toEqual({ "security-policy": 1 });
    expect(await topicsOf("SECURITY.md", "# Security\n")).toEqual({});
    const contributing =
      "# Contributing\n\n## Development setup\n\n```sh\nnpm ci\n```\n\n## Running tests\n\n" +
      "```sh\nnpm test\n```\n\n## Pull requests\n\n" +
      "Open a PR against main; one approval from a code owner is needed before merge.\n";
    const doc = await docOf("CONTRIBUTING.md", contributing);
    expect(doc.topics.map((t) => t.topic)).toEqual(["contributing"]);
    expect(doc.contributingAreas).toEqual(["setup", "tests", "pull-requests"]);
    expect(await topicsOf("CONTRIBUTING.md", "# Contributing\n\nPRs welcome!\n")).toEqual({});
    expect(await topicsOf("README.md", "# X\n\n## Contributing\n\nSee CONTRIBUTING.md.\n")).toEqual({});
    expect(await topicsOf("CHANGELOG.md", "# Changelog\n\n## v2.0.0\n\n- breaking\n")).toEqual({ changelog: 3 });
    expect(await topicsOf("CHANGELOG.md", "# Changelog\n\n## Unreleased\n\nSee 1.2.3 notes in prose.\n")).toEqual({});
    // a history of changes is no runbook: its bullets about deploys, rollbacks and RPO/RTO are not topics
    const history =
      "# Changelog\n\n## [1.0.0]\n\n### Added\n\n- Added a DR plan (RPO 24 h, RTO 1 h).\n\n" +
      "## Disaster recovery\n\n" +
      "RPO: 24 hours, RTO: 1 hour; restore the database with these steps:\n\n```sh\n" +
      "pg_restore -d app latest.dump\n```\n";
    for (const path of [
      "CHANGELOG.md",
      "CHANGES.md",
      "HISTORY.md",
      "docs/release-notes-v2.md",
      "docs/release-notes.md",
      "docs/RELEASE_NOTES.md",
    ]) {
      expect(await topicsOf(path, history)).toEqual({ changelog: 3 });
    }
    // the same text in an operations page keeps its topics; a page whose name only starts like one is no changelog
    expect(await topicsOf("docs/operations.md", history)).toEqual({ "disaster-recovery": 9, restore: 9 });
    expect(await topicsOf("docs/operations/history-of-the-platform.md", history)).toHaveProperty(
      "disaster-recovery",
      9,
    );
    expect(
      await topicsOf(
        "README.md",
        "# X\n\n## Environments\n\n- staging: https://s.example.com\n- production: https://example.com\n",
      ),
    ).toEqual({ environments: 3 });
    expect(
      await topicsOf(
        "README.md",
        "# X\n\n## Local development environment\n\nSet NODE_ENV=development, not production.\n",
      ),
    ).toEqual({});
    expect(
      await topicsOf(
        "README.md",
        "# X\n\n## Production build\n\nRun the build for production; the dev server is for development.\n",
      ),
    ).toEqual({});
  });
});

describe("docs: reStructuredText and AsciiDoc (best effort)", () => {
  it("reads RST titles by adornment and code-block directives", async () => {
    const rst =
      "=====\nGuide\n=====\n\nDeploying\n---------\n\n.. code-block:: bash\n   :linenos:\n\n" +
      "   fly deploy\n\nArchitecture\n------------\n\n.. mermaid::\n\n   graph TD; a-->b\n";
    const doc = await docOf("docs/deploy.rst", rst);
    expect(doc.format).toBe("rst");
    expect(doc.headings).toEqual([
      { text: "Guide", depth: 1, line: 2 },
      { text: "Deploying", depth: 2, line: 5 },
      { text: "Architecture", depth: 2, line: 13 },
    ]);
    expect(doc.codeBlocks.map((c) => [c.lang, c.line, c.text])).toEqual([
      ["bash", 8, "fly deploy"],
      ["mermaid", 16, "graph TD; a-->b"],
    ]);
    expect(doc.topics.map((t) => `${t.topic}@${t.line}`)).toEqual(["deploy@5", "architecture@13"]);
  });
  it("reads AsciiDoc sections, source blocks and ordered lists", async () => {
    const adoc =
      "= Operations\n\n== Rollback\n\n. Find the last good release\n. Redeploy it\n\n== Restore\n" +
      "\n[source,bash]\n----\npg_restore -d app dump\n----\n\n// == Commented heading\n";
    const doc = await docOf("ops/guide.adoc", adoc);
    expect(doc.headings.map((h) => h.text)).toEqual(["Operations", "Rollback", "Restore"]);
    expect(doc.codeBlocks).toEqual([{ lang: "bash", line: 11, text: "pg_restore -d app dump" }]);
    expect(doc.topics.map((t) => `${t.topic}@${t.line}`)).toEqual(["rollback@3", "restore@8"]);
  });
});

describe("docs: malformed input never crashes", () => {
  it("binary content under a doc name is skipped with a note", async () => {
    const analysis = await analyzeRepo({ "README.md": new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1]) });
    expect(analysis.facts.all("doc")).toEqual([]);
    expect(analysis.findings.map((f) => f.rule)).toEqual(["scan/binary-file"]);
  });
  it("a huge single line is read", async () => {
    const doc = await docOf("README.md", `# Big\n\n${"word ".repeat(200_000)}\n\n## Deploy\n\n1. a\n2. b\n`);
    expect(doc.topics.map((t) => t.topic)).toEqual(["deploy"]);
  });
  it("inputs that make CommonMark parsers super-linear are read in one pass", async () => {
    const nested = await docOf(
      "README.md",
      `${"- ".repeat(20_000)}x\n\n${"> ".repeat(20_000)}## Deploy\n\n1. a\n2. b\n`,
    );
    expect(nested.headings).toEqual([{ text: "Deploy", depth: 2, line: 3 }]);
    const runs = await docOf(
      "README.md",
      `# T\n\n${"[".repeat(100_000)}\n\n${"![".repeat(100_000)}\n\n${"*".repeat(100_000)}a\n\n${"](".repeat(100_000)}\n`,
    );
    expect(runs.headings).toEqual([{ text: "T", depth: 1, line: 1 }]);
    const many = await docOf("CONTRIBUTING.md", "## Contributing\n\n1. a\n2. b\n\n".repeat(20_000));
    expect(many.headings).toHaveLength(20_000);
    expect(many.topics.map((t) => t.topic)).toEqual(["contributing"]);
  });
  it("headings in HTML comments, block quotes and lists are read as GitHub renders them", async () => {
    const doc = await docOf(
      "README.md",
      "<!--\n## Hidden\n-->\n> ## Quoted\n\n- item\n## After list\n\n#NoSpace\n####### seven\n## Closed ##\n",
    );
    expect(doc.headings.map((h) => h.text)).toEqual(["Quoted", "After list", "Closed"]);
  });
  it("an unclosed fence is a note, and headings after it are code", async () => {
    const analysis = await analyzeRepo({ "README.md": "# X\n\n```sh\nmake\n\n## Deploy\n\n1. a\n2. b\n" });
    expect(analysis.facts.all("doc")[0]!.headings.map((h) => h.text)).toEqual(["X"]);
    expect(analysis.findings).toMatchObject([
      { path: "README.md", line: 3, rule: "docs/unclosed-block", severity: "note" },
    ]);
  });
  it("empty files, unclosed front matter and stray adornments", async () => {
    expect((await docOf("README.md", "")).headings).toEqual([]);
    // front matter that never closes is not front matter: the text is read as Markdown
    expect((await docOf("README.md", "---\ntitle: x\n# Not closed\n")).headings).toEqual([
      { text: "Not closed", depth: 1, line: 3 },
    ]);
    expect((await docOf("docs/deploy.rst", "=====\n\n-----\n")).headings).toEqual([]);
    expect((await docOf("docs/deploy.adoc", "----\nunclosed\n")).codeBlocks).toHaveLength(1);
    expect(
      (await docOf("docs/deploy.adoc", `= a${" ".repeat(100_000)}b\n== Deploy\n`)).headings.map((h) => h.text),
    ).toEqual(["Deploy"]);
    expect(
      (await docOf("docs/deploy.rst", `${"=".repeat(100_000)}\nTitle\n${"=".repeat(100_000)}\n`)).headings.map(
        (h) => h.text,
      ),
    ).toEqual(["Title"]);
  });
});
