// `devops-ladder people` on generated git repositories: the history is replayed with no checkout, each change
// credited to the people who made it.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import addFormats from "ajv-formats";
import { afterAll, describe, expect, it, vi } from "vitest";
import { run } from "../../src/cli.js";
import { type FixtureCommit, makeRepo, removeRepo } from "./git-repo.js";

const senior = (path: string) => readFileSync(join("fixtures/repos/senior", path), "utf8");
const DEPLOY = senior("scripts/deploy.sh");
const DOCS = senior("docs/deploy.md");
const ALERTS = senior("monitoring/alerts.yml");

const ALICE = "Alice <alice@example.com>";
const BOB = "Bob <bob@example.com>";
const ERIN = "Erin <12345+erin@users.noreply.github.com>";
const MAINTAINER = "Maintainer <maint@example.com>";

const repos: string[] = [];
afterAll(() => repos.forEach(removeRepo));
function repo(commits: FixtureCommit[], options?: Parameters<typeof makeRepo>[1]): string {
  const dir = makeRepo(commits, options);
  repos.push(dir);
  return dir;
}

/** Runs the CLI in this process; returns its exit code, stdout and stderr. */
async function people(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const out = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  try {
    const code = await run(["people", ...args]);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

async function json(dir: string, ...args: string[]) {
  const r = await people([dir, "--format", "json", ...args]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
}

const milestonesOf = (doc: any, email: string) =>
  doc.people.find((p: any) => p.email === email)?.milestones.map((m: any) => m.id) ?? [];

/** A history where three people reach each Senior milestone: a push, a co-authored push, a merged PR. */
const HISTORY: FixtureCommit[] = [
  { author: ALICE, date: "2024-01-01T10:00:00Z", message: "app", files: { "app.py": "print('hi')\n" } },
  { author: ALICE, date: "2024-01-02T10:00:00Z", message: "deploy script", files: { "scripts/deploy.sh": DEPLOY } },
  {
    author: BOB,
    date: "2024-01-03T10:00:00Z",
    message: "How to deploy (#4)\n\nCo-authored-by: Carol <carol@example.com>\n",
    files: { "docs/deploy.md": DOCS },
  },
  { author: "Dan <dan@example.com>", date: "2024-01-04T10:00:00Z", message: "fix", files: { "app.py": "print(1)\n" } },
  {
    branch: "alerts",
    from: "main",
    author: ERIN,
    date: "2024-01-05T10:00:00Z",
    message: "alerts",
    files: { "monitoring/alerts.yml": ALERTS },
  },
  {
    author: MAINTAINER,
    date: "2024-01-06T10:00:00Z",
    message: "Merge pull request #7 from erin/alerts\n\nalerts",
    merge: "alerts",
  },
];

describe("devops-ladder people", () => {
  it("credits a push, a co-authored squash and a merged pull request; the merger and the app code earn nothing", async () => {
    const doc = await json(repo(HISTORY));
    expect(doc.stats.commits).toBe(5); // first-parent: the branch's own commit comes with its merge
    expect(doc.stats.scanned).toBeLessThan(5);
    expect(doc.people.map((p: any) => p.email)).toEqual([
      "alice@example.com",
      "bob@example.com",
      "carol@example.com",
      "12345+erin@users.noreply.github.com",
    ]);
    expect(milestonesOf(doc, "alice@example.com")).toEqual(["deploy_script"]);
    expect(milestonesOf(doc, "carol@example.com")).toEqual(["deploy_docs"]);
    const erin = doc.people.find((p: any) => p.login === "erin");
    expect(erin.milestones).toEqual([
      expect.objectContaining({ id: "alerts", level: "senior", pr: 7, at: "2024-01-06T10:00:00.000Z" }),
    ]);
    expect(erin.next).toEqual({ level: "senior", earned: ["alerts"], missing: ["deploy_script", "deploy_docs"] });
    expect(doc.people.find((p: any) => p.email === "bob@example.com").milestones[0].pr).toBe(4);
    expect(JSON.stringify(doc)).not.toContain("maint@example.com");
    expect(JSON.stringify(doc)).not.toContain("dan@example.com");
    expect(doc.credits.find((c: any) => c.id === "deploy_script").evidence[0].path).toBe("scripts/deploy.sh");
  });

  it("one person who made every Senior milestone is Senior; the text names the level and the progress", async () => {
    const dir = repo([
      { author: ALICE, date: "2024-02-01T10:00:00Z", message: "deploy", files: { "scripts/deploy.sh": DEPLOY } },
      {
        author: ALICE,
        date: "2024-02-02T10:00:00Z",
        message: "docs and alerts",
        files: { "docs/deploy.md": DOCS, "monitoring/alerts.yml": ALERTS },
      },
    ]);
    const doc = await json(dir);
    expect(doc.people).toHaveLength(1);
    expect(doc.people[0]).toMatchObject({ level: "senior", next: { level: "lead", earned: [] } });
    const text = await people([dir]);
    expect(text.stdout).toContain("Alice <alice@example.com> · Senior DevOps · 0 of 5 milestones to Lead DevOps");
    expect(text.stdout).toContain("✓ Alerting (Senior)");
    expect(text.stdout).toContain("still to earn for Lead: Infrastructure as code, Log aggregation,");
    const md = await people([dir, "--format", "markdown"]);
    expect(md.stdout).toContain(
      "| Alice &lt;alice@example.com&gt; | Senior DevOps | 0 of 5 milestones to Lead DevOps |",
    );
  });

  it("a regression is the repository's; a revert earns nothing; earning it again is credited to whoever did", async () => {
    const doc = await json(
      repo([
        { author: ALICE, date: "2024-03-01T10:00:00Z", message: "alerts", files: { "monitoring/alerts.yml": ALERTS } },
        {
          author: BOB,
          date: "2024-03-02T10:00:00Z",
          message: "Remove alerts",
          files: { "monitoring/alerts.yml": null },
        },
        {
          author: BOB,
          date: "2024-03-03T10:00:00Z",
          message: 'Revert "Remove alerts"\n\nThis reverts commit 0123456789abcdef0123456789abcdef01234567.\n',
          files: { "monitoring/alerts.yml": ALERTS },
        },
        {
          author: BOB,
          date: "2024-03-04T10:00:00Z",
          message: "Remove alerts again",
          files: { "monitoring/alerts.yml": null },
        },
        {
          author: ERIN,
          date: "2024-03-05T10:00:00Z",
          message: "Alerts back",
          files: { "monitoring/alerts.yml": ALERTS },
        },
      ]),
    );
    expect(doc.people.map((p: any) => [p.email, p.milestones.map((m: any) => m.id)])).toEqual([
      ["alice@example.com", ["alerts"]],
      ["12345+erin@users.noreply.github.com", ["alerts"]],
    ]);
    expect(
      doc.regressions.filter((r: any) => r.kind === "milestone").map((r: any) => [r.id, r.at.slice(0, 10)]),
    ).toEqual([
      ["alerts", "2024-03-02"],
      ["alerts", "2024-03-04"],
    ]);
    expect(doc.regressions.every((r: any) => !("email" in r) && !("name" in r))).toBe(true);
  });

  it("respects .mailmap for authors and co-authors", async () => {
    const dir = repo(
      [
        {
          author: "alice <alice@old.example>",
          date: "2024-04-01T10:00:00Z",
          message: "deploy",
          files: { "scripts/deploy.sh": DEPLOY },
        },
        {
          author: BOB,
          date: "2024-04-02T10:00:00Z",
          message: "docs\n\nCo-authored-by: alice <alice@old.example>",
          files: { "docs/deploy.md": DOCS },
        },
      ],
      { mailmap: "Alice Liddell <alice@example.com> <alice@old.example>\n" },
    );
    const doc = await json(dir);
    expect(doc.people.map((p: any) => [p.name, p.email, p.milestones.map((m: any) => m.id)])).toEqual([
      ["Alice Liddell", "alice@example.com", ["deploy_script", "deploy_docs"]],
      ["Bob", "bob@example.com", ["deploy_docs"]],
    ]);
  });

  it("--since: the tree before the date is the baseline, only later changes are credited", async () => {
    const dir = repo(HISTORY);
    const doc = await json(dir, "--since", "2024-01-03T00:00:00Z");
    expect(doc.since).toBe("2024-01-03T00:00:00Z");
    expect(doc.stats.commits).toBe(3);
    expect(doc.people.map((p: any) => p.email)).not.toContain("alice@example.com");
    expect(milestonesOf(doc, "bob@example.com")).toEqual(["deploy_docs"]);
  });

  it("bots and people.exclude (the config at the head) get nothing; people: false turns the command off", async () => {
    const base: FixtureCommit[] = [
      {
        author: "dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>",
        date: "2024-05-01T10:00:00Z",
        message: "deploy",
        files: { "scripts/deploy.sh": DEPLOY },
      },
      { author: BOB, date: "2024-05-02T10:00:00Z", message: "docs", files: { "docs/deploy.md": DOCS } },
      { author: ALICE, date: "2024-05-03T10:00:00Z", message: "alerts", files: { "monitoring/alerts.yml": ALERTS } },
    ];
    const excluded = await json(
      repo([
        ...base,
        {
          author: ALICE,
          date: "2024-05-04T10:00:00Z",
          message: "config",
          files: { ".github/devops-ladder.yml": "people:\n  exclude: [bob@example.com]\n" },
        },
      ]),
    );
    expect(excluded.people.map((p: any) => p.email)).toEqual(["alice@example.com"]);

    const off = repo([
      ...base,
      {
        author: ALICE,
        date: "2024-05-04T10:00:00Z",
        message: "off",
        files: { ".github/devops-ladder.yml": "people: false\n" },
      },
    ]);
    const r = await people([off]);
    expect(r).toMatchObject({ code: 0, stdout: "" });
    expect(r.stderr).toContain("turned off");
  });

  it("reads a bare repository (as mirrors are) and follows a symbolic link inside the tree", async () => {
    const dir = repo(
      [
        // a file no analyzer reads by its name: this commit is not scanned
        { author: ALICE, date: "2024-06-01T10:00:00Z", message: "ops", files: { "ops/ship.txt": DEPLOY } },
        {
          author: BOB,
          date: "2024-06-02T10:00:00Z",
          message: "link",
          files: { "scripts/deploy.sh": { link: "../ops/ship.txt" } },
        },
        {
          author: ALICE,
          date: "2024-06-03T10:00:00Z",
          message: "escape",
          files: { "deploy.sh": { link: "../../etc/passwd" } },
        },
      ],
      { bare: true },
    );
    const doc = await json(dir);
    expect(doc.people.map((p: any) => [p.email, p.milestones.map((m: any) => m.id)])).toEqual([
      ["bob@example.com", ["deploy_script"]],
    ]);
  });

  it("the JSON follows schema/people.schema.json", async () => {
    const doc = await json(repo(HISTORY));
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats.default(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync("schema/people.schema.json", "utf8")));
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
  });

  it("usage errors exit 2 with a message", async () => {
    const notGit = makeRepo([]);
    repos.push(notGit);
    expect(await people(["/definitely/not/here"])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("no such directory"),
    });
    expect(await people([".", "--format", "xml"])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("--format must be"),
    });
    expect(await people([".", "--since", "yesterday-ish"])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("--since"),
    });
    expect(await people([notGit])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("not a git repository with commits"),
    });
  });
});
