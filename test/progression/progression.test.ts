// The progression issue through the real Probot runtime: push payloads from @octokit/webhooks-examples, the
// real scanner and engine on the bundled level fixtures (fixtures/repos/junior, senior, lead), GitHub behind
// nock (FakeGitHub for trees/contents/check runs, FakeIssues for issues), and assertions on every write.
import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import { join } from "node:path";
import nock from "nock";
import { Probot } from "probot";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { scan } from "../../src/engine/index.js";
import { memorySnapshot } from "../../src/engine/snapshot.js";
import { appOctokit } from "../../src/github/octokit.js";
import { badgeSnippets, ProgressionIssues, type ProgressionScan } from "../../src/github/progression.js";
import { LABEL, MARKER, parseState } from "../../src/github/progression-state.js";
import { badgeToken } from "../../src/http/token.js";
import { FakeGitHub, privateKey, sha } from "../app/fake-github.js";
import { readFolder } from "../helpers.js";
import { FakeIssues } from "./fake-issues.js";

const examples = createRequire(import.meta.url)("@octokit/webhooks-examples") as { name: string; examples: any[] }[];
const PUSH = examples
  .find((e) => e.name === "push")!
  .examples.find((p) => p.installation && p.ref === "refs/heads/master")!;
const REPO = "Codertocat/Hello-World";
const TODAY = "2025-03-04";

type Files = Record<string, string>;

function fixture(name: string): Files {
  return readFolder(join("fixtures/repos", name));
}

const JUNIOR = fixture("junior");
const SENIOR = fixture("senior");
const LEAD = fixture("lead");
/** the lead fixture without its log shipping: log aggregation is lost, so the level drops to Senior */
const LEAD_WITHOUT_LOGS = Object.fromEntries(Object.entries(LEAD).filter(([p]) => p !== "monitoring/promtail.yml"));

beforeAll(async () => {
  // the fixtures must sit where these tests need them (test/levels.test.ts says why they do)
  for (const [files, level] of [
    [JUNIOR, "junior"],
    [SENIOR, "senior"],
    [LEAD, "lead"],
    [LEAD_WITHOUT_LOGS, "senior"],
  ] as const) {
    expect((await scan(memorySnapshot(files))).level).toBe(level);
  }
});

afterEach(() => {
  nock.cleanAll();
});

async function setup(options: { progression?: ProgressionIssues } = {}) {
  const gh = new FakeGitHub();
  const issues = new FakeIssues();
  const logged: unknown[] = [];
  const errors: unknown[] = [];
  const progression = options.progression ?? new ProgressionIssues({ now: () => new Date(`${TODAY}T10:00:00Z`) });
  progression.log = { info: (obj) => void logged.push(obj), warn: (obj) => void logged.push(obj) };
  const probot = new Probot({
    appId: 1,
    privateKey: privateKey(),
    secret: "s",
    logLevel: "fatal",
    Octokit: appOctokit({ retryAfterBaseValue: 1, noSpacing: true }),
  });
  const app = createApp({ graceMs: 60_000, onScanComplete: [progression.hook] });
  await probot.load(app);
  probot.log.error = ((obj: unknown) => void errors.push(obj)) as never;
  let before = "0".repeat(40);
  /** a push of these files to the default branch; returns the commit */
  const push = async (files: Files, commit = sha(JSON.stringify(files))) => {
    gh.commit(REPO, files, commit);
    await probot.receive({
      id: randomUUID(),
      name: "push",
      payload: { ...structuredClone(PUSH), before, after: commit },
    } as never);
    await app.idle();
    before = commit;
    return commit;
  };
  issues.contributors.set(REPO, [
    { login: "octo" },
    { login: "dependabot[bot]", type: "Bot" },
    { login: "renovate-bot", type: "Bot" },
    { login: "hubot" },
    { login: "mona" },
  ]);
  for (const login of ["octo", "mona", "dependabot[bot]", "carol", "dave", "alice"]) issues.assignable.add(login);
  return { gh, issues, probot, app, push, logged, errors, progression };
}

const only = (issues: FakeIssues) => {
  const all = issues.all(REPO);
  expect(all).toHaveLength(1);
  return all[0]!;
};

describe("creation", () => {
  it("the first scan below Lead opens one labelled issue with the checklist, tasks, history and top contributors", async () => {
    const { gh, issues, push } = await setup();
    await push(JUNIOR);
    expect(gh.count("POST", "/check-runs")).toBe(1);
    const issue = only(issues);
    expect(issue.title).toBe(`DevOps Ladder: Junior → Senior (${issue.title.match(/\((\d+)\/100\)/)![1]}/100)`);
    expect(issue.labels).toEqual([{ name: LABEL }]);
    expect(issue.body.startsWith(`${MARKER}\n## Junior · `)).toBe(true);
    expect(issue.body).toContain("**Next: Senior** — 0 of 3 milestones met.");
    expect(issue.body).toContain("- [ ] **Automated deployment** — ");
    expect(issue.body).toContain("- [ ] **Alerting** — ");
    expect(issue.body).toMatch(/\| Containerisation \| \d+ \| `[█░]{10}` \|/);
    expect(issue.body).toContain(`- ${TODAY}: first seen at Junior`);
    // contributors by commits: bots are skipped, hubot is not assignable here
    expect(issue.assignees.map((a) => a.login)).toEqual(["octo", "mona"]);
    expect(issues.count("GET", /\/assignees\/hubot$/)).toBe(1);
    expect(issues.count("GET", /\/assignees\/dependabot/)).toBe(0);
    const state = parseState(issue.body)!;
    expect(state).toMatchObject({ level: "junior", open: true, met: [] });
    // it was searched for (label, every state) before it was created
    expect(issues.log[0]!.path).toMatch(/\/issues\?.*labels=devops-ladder/);
    expect(issues.log[0]!.path).toContain("state=all");
  });

  it("at Lead no issue is opened", async () => {
    const { issues, push } = await setup();
    await push(LEAD);
    expect(issues.all(REPO)).toEqual([]);
    expect(issues.writes()).toEqual([]);
  });

  it("progression_issue: false turns it off; other branches and pull requests never touch it", async () => {
    const { issues, push, gh, probot, app } = await setup();
    await push({ ...JUNIOR, ".github/devops-ladder.yml": "progression_issue: false\n" });
    expect(issues.log).toEqual([]);
    expect(gh.count("POST", "/check-runs")).toBe(1);

    const other = gh.commit(REPO, JUNIOR, "c".repeat(40));
    await probot.receive({
      id: randomUUID(),
      name: "push",
      payload: { ...structuredClone(PUSH), ref: "refs/heads/feature", after: other },
    } as never);
    const pr = structuredClone(
      examples.find((e) => e.name === "pull_request")!.examples.find((p) => p.action === "opened" && p.installation),
    );
    gh.commit(pr.repository.full_name, JUNIOR, pr.pull_request.head.sha);
    gh.commit(pr.repository.full_name, JUNIOR, pr.pull_request.base.sha);
    await probot.receive({ id: randomUUID(), name: "pull_request", payload: pr } as never);
    await app.idle();
    expect(issues.log).toEqual([]);
  });
});

describe("keeping it current", () => {
  it("a rescan that changes nothing costs one read and no write", async () => {
    const { issues, push, gh } = await setup();
    await push(JUNIOR);
    const body = only(issues).body;
    const reads = issues.log.length;
    await push({ ...JUNIOR, "src/server.js": "// a change no signal sees\n" });
    expect(gh.count("POST", "/check-runs")).toBe(2);
    expect(issues.log.slice(reads).map((r) => `${r.method} ${r.path.split("?")[0]}`)).toEqual([
      `GET /repos/${REPO}/issues`,
    ]);
    expect(only(issues).body).toBe(body);
  });

  it("a changed score rewrites the body and title once, without a comment", async () => {
    const { issues, push } = await setup();
    await push(JUNIOR);
    const before = only(issues);
    const oldTitle = before.title;
    await push({
      ...JUNIOR,
      ".dockerignore": "node_modules\n.git\n",
      "SECURITY.md":
        "# Security\n\nReport vulnerabilities with GitHub's private vulnerability reporting (Security tab → Report a vulnerability).\n",
    });
    const after = only(issues);
    expect(after.title).not.toBe(oldTitle);
    expect(issues.count("PATCH", /\/issues\/1$/)).toBe(1);
    expect(after.comments).toEqual([]);
    expect(parseState(after.body)!.level).toBe("junior");
    const writes = issues.writes().length;
    await push({
      ...JUNIOR,
      ".dockerignore": "node_modules\n.git\n",
      "SECURITY.md":
        "# Security\n\nReport vulnerabilities with GitHub's private vulnerability reporting (Security tab → Report a vulnerability).\n",
      "x.txt": "x",
    });
    expect(issues.writes()).toHaveLength(writes);
  });

  it("a level up is announced with the merged pull request and its author", async () => {
    const { issues, push } = await setup();
    await push(JUNIOR);
    const next = sha("senior");
    issues.pulls.set(next, [
      {
        number: 12,
        title: "Deploy script, docs and alerts",
        merged_at: "2025-03-04T09:00:00Z",
        merge_commit_sha: next,
        user: { login: "octocat" },
      },
    ]);
    await push(SENIOR, next);
    const issue = only(issues);
    expect(issue.state).toBe("open");
    expect(issue.title).toMatch(/^DevOps Ladder: Senior → Lead \(\d+\/100\)$/);
    expect(issue.comments).toHaveLength(1);
    expect(issue.comments[0]).toMatch(
      /^⬆️ \*\*Level up: Junior → Senior\*\* \(\d+\/100\) with #12 \(Deploy script, docs and alerts\) by @octocat\./,
    );
    expect(issue.body).toContain("### Checklist for Lead");
    expect(issue.body).toMatch(/- \[ \] \*\*Log aggregation\*\*/);
    expect(issue.body).toContain(`- ${TODAY}: Junior → Senior`);
    expect(issue.body).toContain("with #12 by @octocat");
    expect(issue.body).toContain(`- ${TODAY}: first seen at Junior`);
    expect(parseState(issue.body)).toMatchObject({ level: "senior", met: ["deploy_script", "deploy_docs", "alerts"] });
  });
});

describe("lifecycle", () => {
  it("closes with a congratulation at Lead, and reopens on a regression naming what broke", async () => {
    const { issues, push } = await setup();
    await push(SENIOR);
    await push(LEAD);
    let issue = only(issues);
    expect(issue).toMatchObject({ state: "closed", state_reason: "completed" });
    expect(issue.title).toMatch(/^DevOps Ladder: Lead \(\d+\/100\)$/);
    expect(issue.comments).toEqual([
      expect.stringMatching(/^🎉 \*\*Lead reached\*\* \(Senior → Lead\), \d+\/100\. .*It reopens if one is lost\./),
    ]);
    expect(issue.body).toContain("### Milestones of Lead");
    expect(issue.body).toContain("- [x] **Log aggregation** — `monitoring/promtail.yml");

    // still Lead: nothing to say, nothing to write
    const writes = issues.writes().length;
    await push({ ...LEAD, "src/server.js": "// unrelated\n" });
    expect(issues.writes()).toHaveLength(writes);

    await push(LEAD_WITHOUT_LOGS);
    issue = only(issues);
    expect(issue).toMatchObject({ state: "open", state_reason: "reopened" });
    expect(issue.comments).toHaveLength(2);
    expect(issue.comments[1]).toMatch(
      /^⬇️ \*\*Level down: Lead → Senior\*\* \(\d+\/100\)\.\n\nWhat broke:\n\n- \*\*Log aggregation\*\* is no longer met\n {2}- /,
    );
    expect(issue.body).toMatch(/- \[ \] \*\*Log aggregation\*\*/);
  });

  it("a person's close is respected until the level changes", async () => {
    const { issues, push } = await setup();
    await push(JUNIOR);
    only(issues).state = "closed"; // a maintainer closes it on GitHub
    await push({ ...JUNIOR, ".dockerignore": "node_modules\n" }); // junior still, the score moves
    let issue = only(issues);
    expect(issue.state).toBe("closed");
    const edits = issues.log.filter((r) => r.method === "PATCH");
    expect(edits.every((e) => e.body.state === undefined)).toBe(true);
    expect(issue.comments).toEqual([]);

    await push(SENIOR);
    issue = only(issues);
    expect(issue.state).toBe("open");
    expect(issue.comments).toEqual([expect.stringMatching(/^⬆️ \*\*Level up: Junior → Senior\*\*/)]);
  });

  it("a person who reopens it at Lead keeps it open until the level changes", async () => {
    const { issues, push } = await setup();
    await push(SENIOR);
    await push(LEAD);
    only(issues).state = "open";
    await push({ ...LEAD, ".dockerignore": "node_modules\n" });
    expect(only(issues).state).toBe("open");
    expect(only(issues).comments).toHaveLength(1);
  });
});

describe("badge snippet", () => {
  const withBadges = (secret?: string) =>
    new ProgressionIssues({
      now: () => new Date(`${TODAY}T10:00:00Z`),
      badge: badgeSnippets("https://ladder.example.com/", secret),
    });

  it("a public repository's snippet has no token; its visibility is looked up once, not on every rescan", async () => {
    const { issues, push } = await setup({ progression: withBadges("s3cret") });
    await push(JUNIOR);
    expect(only(issues).body).toContain(
      "```markdown\n![DevOps ladder](https://ladder.example.com/badges/Codertocat/Hello-World.svg)\n```",
    );
    await push({ ...JUNIOR, "x.txt": "x" });
    expect(issues.count("GET", /^\/repos\/Codertocat\/Hello-World$/)).toBe(1);
    expect(issues.writes()).toHaveLength(1);
  });

  it("a private repository's snippet carries its token; without BADGE_SECRET there is no snippet", async () => {
    const first = await setup({ progression: withBadges("s3cret") });
    first.issues.privateRepos.add(REPO);
    await first.push(JUNIOR);
    expect(only(first.issues).body).toContain(
      `/badges/Codertocat/Hello-World.svg?token=${badgeToken("s3cret", REPO)})`,
    );
    nock.cleanAll();

    const second = await setup({ progression: withBadges(undefined) });
    second.issues.privateRepos.add(REPO);
    await second.push(JUNIOR);
    expect(only(second.issues).body).not.toContain("### Badge");
  });

  it("a visibility that cannot be read leaves the snippet out, and the issue is still kept", async () => {
    const { issues, push } = await setup({ progression: withBadges("s3cret") });
    issues.fail("GET", /^\/repos\/Codertocat\/Hello-World$/, 403);
    await push(JUNIOR);
    expect(only(issues).body).not.toContain("### Badge");
    expect(only(issues).body).toContain("**Next: Senior**");
  });
});

describe("assignees", () => {
  it("the config's assignees, those GitHub accepts; no contributor lookup", async () => {
    const { issues, push } = await setup();
    await push({ ...JUNIOR, ".github/devops-ladder.yml": "assignees: [alice, ghost]\n" });
    expect(only(issues).assignees.map((a) => a.login)).toEqual(["alice"]);
    expect(issues.count("GET", /\/assignees\/ghost$/)).toBe(1);
    expect(issues.count("GET", /\/contributors/)).toBe(0);
  });

  it("CODEOWNERS owners of the DevOps files: users assigned, teams mentioned, owners named per milestone", async () => {
    const { issues, push, gh } = await setup();
    const codeowners =
      "* @acme/devs\n/.github/workflows/ @carol @acme/platform\nDockerfile @dave @ghost\nmonitoring/ @acme/sre\n";
    await push({ ...JUNIOR, ".github/CODEOWNERS": codeowners });
    const issue = only(issues);
    expect(issue.assignees.map((a) => a.login).sort()).toEqual(["carol", "dave"]);
    expect(issues.count("GET", /\/contributors/)).toBe(0);
    expect(issue.body).toContain("@acme/platform");
    // alerting touches no file yet: whoever would own monitoring/alerts.yml
    expect(issue.body).toMatch(/- \[ \] \*\*Alerting\*\* — [^\n]*\n {2}- Owners: @acme\/sre\n/);
    // the CODEOWNERS file came with the scan's batch: no extra request for it
    expect(gh.count("POST", "/graphql")).toBe(1);
    expect(gh.count("GET", "/git/")).toBe(1);
  });

  it("nobody assignable: the issue is opened without assignees", async () => {
    const { issues, push } = await setup();
    issues.assignable.clear();
    await push(JUNIOR);
    expect(only(issues).assignees).toEqual([]);
  });
});

describe("issues unavailable", () => {
  it("issues disabled (410): logged and skipped, the check run is still posted, the repo is left alone for a while", async () => {
    const { issues, push, gh, logged, errors } = await setup();
    issues.fail("GET", /\/issues\?/, 410);
    await push(JUNIOR);
    expect(gh.count("POST", "/check-runs")).toBe(1);
    expect(issues.writes()).toEqual([]);
    expect(logged).toEqual([expect.objectContaining({ repo: REPO.toLowerCase(), status: 410 })]);
    expect(errors).toEqual([]);
    await push({ ...JUNIOR, "x.txt": "x" });
    expect(issues.log).toHaveLength(1);
    expect(gh.count("POST", "/check-runs")).toBe(2);
  });

  it("no issues permission (403 on create): logged and skipped, the check run is still posted", async () => {
    const { issues, push, gh, logged, errors } = await setup();
    issues.fail("POST", /\/issues$/, 403);
    await push(JUNIOR);
    expect(gh.count("POST", "/check-runs")).toBe(1);
    expect(issues.all(REPO)).toEqual([]);
    expect(logged).toEqual([expect.objectContaining({ status: 403 })]);
    expect(errors).toEqual([]);
  });
});

describe("never a second issue", () => {
  it("20 concurrent deliveries (redeliveries and concurrent pushes) for one repository create exactly one issue", async () => {
    const { issues, gh, probot, app } = await setup();
    const commits = [JUNIOR, { ...JUNIOR, "a.txt": "a" }, { ...JUNIOR, "b.txt": "b" }, { ...JUNIOR, "c.txt": "c" }].map(
      (files) => gh.commit(REPO, files),
    );
    const deliveries = Array.from({ length: 20 }, (_, i) => {
      const after = commits[i % commits.length]!;
      // every other delivery is a redelivery: the same id again
      const id = `delivery-${Math.floor(i / 2)}`;
      return probot.receive({ id, name: "push", payload: { ...structuredClone(PUSH), after } } as never);
    });
    await Promise.all(deliveries);
    await app.idle();
    expect(issues.count("POST", /\/issues$/)).toBe(1);
    expect(issues.all(REPO)).toHaveLength(1);
    expect(gh.count("POST", "/check-runs")).toBeGreaterThanOrEqual(1);
  });

  it("20 concurrent syncs outside the queue create one issue; a restarted process finds it again", async () => {
    const { issues, probot } = await setup();
    const octokit = await probot.auth(1);
    const report = await scan(memorySnapshot(JUNIOR));
    const done: ProgressionScan = {
      repo: { owner: "Codertocat", repo: "Hello-World" },
      headSha: sha(1),
      branch: "master",
      defaultBranch: "master",
      report,
      octokit,
    };
    const first = new ProgressionIssues({ now: () => new Date(`${TODAY}T10:00:00Z`) });
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => first.sync(done)));
    expect(outcomes.filter((o) => o === "created")).toHaveLength(1);
    expect(outcomes.filter((o) => o === "unchanged")).toHaveLength(19);
    const restarted = new ProgressionIssues({ now: () => new Date(`${TODAY}T10:00:00Z`) });
    expect(await restarted.sync(done)).toBe("unchanged");
    expect(issues.count("POST", /\/issues$/)).toBe(1);
  });

  it("an update that fails half-way is finished by the next scan: one level-up comment, no second issue", async () => {
    const { issues, push, errors } = await setup();
    await push(JUNIOR);
    issues.fail("PATCH", /\/issues\/1$/, 422);
    await push(SENIOR);
    expect(errors).toHaveLength(1); // the hook's failure, logged by the app
    expect(only(issues).comments).toEqual([]);
    expect(parseState(only(issues).body)!.level).toBe("junior");
    await push({ ...SENIOR, "x.txt": "x" });
    expect(only(issues).comments).toEqual([expect.stringMatching(/^⬆️ \*\*Level up: Junior → Senior\*\*/)]);
    expect(parseState(only(issues).body)!.level).toBe("senior");
    expect(issues.count("POST", /\/issues$/)).toBe(1);
  });

  it("two issues left by a past crash: the oldest is kept, the other closed as its duplicate", async () => {
    const { issues, push } = await setup();
    const body = `${MARKER}\nold\n`;
    issues.seed(REPO, { body: "an unrelated issue with the label but no marker" });
    const kept = issues.seed(REPO, { body });
    const dup = issues.seed(REPO, { body });
    await push(JUNIOR);
    expect(issues.count("POST", /\/issues$/)).toBe(0);
    expect(dup).toMatchObject({
      state: "closed",
      state_reason: "not_planned",
      comments: [`Duplicate of #${kept.number}, which devops-ladder keeps up to date. Closing this one.\n`],
    });
    expect(kept.state).toBe("open");
    expect(kept.body).toContain("**Next: Senior**");
    expect(issues.all(REPO)[0]!.body).toBe("an unrelated issue with the label but no marker");
  });
});
