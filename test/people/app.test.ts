// People's credits in the app, through the real Probot runtime: push payloads from @octokit/webhooks-examples,
// the real scanner on the bundled level fixtures, GitHub behind nock (FakeGitHub, FakeIssues, FakeHistory), and
// the real SQLite store (in memory). A merged pull request that completes milestones is credited to its people,
// announced on the pull request when `credit: comment`, and named in the progression issue.
import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import { join } from "node:path";
import nock from "nock";
import { Probot } from "probot";
import { afterEach, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { defaultRules, scan } from "../../src/engine/index.js";
import { memorySnapshot } from "../../src/engine/snapshot.js";
import { creditJob, queueCredits, runCreditJob } from "../../src/github/credit-job.js";
import { CreditRecorder, milestoneEarners } from "../../src/github/credits.js";
import { appOctokit } from "../../src/github/octokit.js";
import { ProgressionIssues } from "../../src/github/progression.js";
import { EmbeddedQueue } from "../../src/jobs/embedded.js";
import { handlers } from "../../src/jobs/job.js";
import { SqliteStore } from "../../src/store/sqlite/index.js";
import { FakeGitHub, privateKey, sha } from "../app/fake-github.js";
import { readFolder } from "../helpers.js";
import { FakeIssues } from "../progression/fake-issues.js";
import { type FakeCommit, FakeHistory } from "./fake-history.js";

const examples = createRequire(import.meta.url)("@octokit/webhooks-examples") as { name: string; examples: any[] }[];
const PUSH = examples
  .find((e) => e.name === "push")!
  .examples.find((p) => p.installation && p.ref === "refs/heads/master")!;
const REPO = "Codertocat/Hello-World";

type Files = Record<string, string>;
const JUNIOR = readFolder(join("fixtures/repos", "junior"));
const SENIOR = readFolder(join("fixtures/repos", "senior"));

const OCTOCAT = { name: "Mona Octocat", email: "octocat@example.com", login: "octocat" };
const CAROL = { name: "Carol", email: "carol@example.com", login: "carol" };

const opened: SqliteStore[] = [];
const queues: EmbeddedQueue[] = [];
afterEach(async () => {
  for (const queue of queues.splice(0)) await queue.stop(0);
  nock.cleanAll();
  for (const store of opened.splice(0)) await store.close();
});

async function setup(
  options: { backfill?: ConstructorParameters<typeof CreditRecorder>[0]["backfill"]; viaQueue?: boolean } = {},
) {
  const gh = new FakeGitHub();
  const issues = new FakeIssues();
  const history = new FakeHistory();
  const store = SqliteStore.open(":memory:");
  opened.push(store);
  const sleeps: number[] = [];
  const credits = new CreditRecorder({
    store,
    levels: defaultRules().levels,
    backfill: options.backfill ?? { pauseMs: 250, sleep: async (ms) => void sleeps.push(ms) },
  });
  const progression = new ProgressionIssues({
    now: () => new Date("2025-03-04T10:00:00Z"),
    earners: (repo) => milestoneEarners(store, repo),
  });
  const errors: unknown[] = [];
  const probot = new Probot({
    appId: 1,
    privateKey: privateKey(),
    secret: "s",
    logLevel: "fatal",
    Octokit: appOctokit({ retryAfterBaseValue: 1, noSpacing: true }),
  });
  // as the runtime runs it: a credits job on the durable queue, or the hook itself
  const queue = options.viaQueue ? new EmbeddedQueue(store, { pollMs: 20, retryBaseMs: 50 }) : undefined;
  const hooks = queue ? [queueCredits(queue)] : [credits.hook, progression.hook];
  const app = createApp({ graceMs: 60_000, onScanComplete: hooks });
  await probot.load(app);
  if (queue) {
    queues.push(queue);
    const octokit = async (id: number) => (await probot.auth(id)) as never;
    queue.work(handlers([creditJob as never, runCreditJob({ octokit, credits }) as never]), {
      concurrency: { followups: 1 },
    });
  }
  probot.log.error = ((obj: unknown) => void errors.push(obj)) as never;
  credits.log = { info: () => undefined, warn: (obj) => void errors.push(obj) };
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
    await queue?.idle();
    const previous = before;
    before = commit;
    return { commit, previous };
  };
  for (const login of ["octocat", "carol", "Codertocat"]) issues.assignable.add(login);
  return { gh, issues, history, store, push, errors, sleeps, queue };
}

/** Pull request #12 by @octocat with a commit of Carol's, squash-merged as `merged` (GitHub writes the trailer). */
function mergedPullRequest(issues: FakeIssues, history: FakeHistory, base: string, merged: string): void {
  // the pull request is an issue too: its comments go there
  issues.seed(REPO, { number: 12, title: "Deploys, docs and alerts", body: "", labels: [], pull_request: {} } as never);
  issues.pulls.set(merged, [
    {
      number: 12,
      title: "Deploys, docs and alerts",
      merged_at: "2025-03-04T09:00:00Z",
      merge_commit_sha: merged,
      user: { login: "octocat" },
    },
  ]);
  history.prCommits.set(`${REPO}#12`, [
    { sha: sha("p1"), message: "Add the deploy script", author: OCTOCAT },
    { sha: sha("p2"), message: "Alert on errors", author: CAROL },
  ]);
  history.comparisons.set(`${REPO}@${base}...${merged}`, [
    {
      sha: merged,
      message:
        "Deploys, docs and alerts (#12)\n\n* Add the deploy script\n\n* Alert on errors\n\nCo-authored-by: Carol <carol@example.com>",
      author: OCTOCAT,
    },
  ]);
}

const SENIOR_MILESTONES = ["deploy_script", "deploy_docs", "alerts"];

describe("credits for a merged pull request", () => {
  it("stores the credits of each milestone it completes, comments when asked, and the issue names who", async () => {
    const { issues, history, store, push, errors } = await setup();
    const config = { ".github/devops-ladder.yml": "credit: comment\n" };
    const { commit: base } = await push({ ...JUNIOR, ...config });
    const merged = sha("merged");
    mergedPullRequest(issues, history, base, merged);
    await push({ ...SENIOR, ...config }, merged);
    expect(errors).toEqual([]);

    const rows = await store.credits.ofRepo(REPO);
    const milestones = rows.filter((r) => r.kind === "milestone");
    expect(milestones.map((r) => [r.login, r.item, r.pr, r.commit])).toEqual(
      SENIOR_MILESTONES.flatMap((id) => [
        ["octocat", id, 12, merged],
        ["carol", id, 12, merged],
      ]),
    );
    expect(milestones[0]).toMatchObject({
      repo: REPO,
      private: false,
      name: "Mona Octocat",
      email: "octocat@example.com",
      at: "2025-03-04T09:00:00.000Z",
      backfilled: false,
    });
    expect(rows.some((r) => r.kind === "signal" && r.item === "deploy/deploy-script")).toBe(true);

    // one comment on the pull request: both people, what they earned, where they stand
    const pr = issues.all(REPO).find((i) => i.number === 12)!;
    expect(pr.comments).toHaveLength(1);
    expect(pr.comments[0]).toContain("@octocat, @carol earned:");
    expect(pr.comments[0]).toContain("- **Automated deployment** (Senior milestone) — `scripts/deploy.sh");
    expect(pr.comments[0]).toContain("- @octocat: Senior DevOps, 0 of 5 milestones to Lead DevOps");
    expect(pr.comments[0]).toContain("- @carol: Senior DevOps, 0 of 5 milestones to Lead DevOps");

    // the progression issue's checklist is now Lead's; the Senior milestones met name the people of #12
    const issue = issues.all(REPO).find((i) => !i.pull_request)!;
    expect(issue.body).toContain("### Checklist for Lead");
    expect(issue.body).toContain(
      "### Earned so far\n\n- **Automated deployment** · earned by @octocat, @carol in #12\n" +
        "- **Written deploy instructions** · earned by @octocat, @carol in #12\n" +
        "- **Alerting** · earned by @octocat, @carol in #12\n",
    );
    // the three requests that found the people: the pull request, its commits, what landed
    expect(history.count(/\/pulls\/12\/commits/)).toBe(1);
    expect(history.count(/\/compare\//)).toBe(1);
  });

  it("credit is silent by default: stored, no comment; the issue names who earned each met milestone", async () => {
    const { issues, history, store, push } = await setup();
    const { commit: base } = await push(JUNIOR);
    const merged = sha("half");
    // only the deploy script and its docs: the issue still shows Senior's checklist, two of three met
    const half = {
      ...JUNIOR,
      "scripts/deploy.sh": SENIOR["scripts/deploy.sh"]!,
      "docs/deploy.md": SENIOR["docs/deploy.md"]!,
    };
    mergedPullRequest(issues, history, base, merged);
    await push(half, merged);
    expect(issues.all(REPO).find((i) => i.number === 12)!.comments).toEqual([]);
    const items = (await store.credits.ofRepo(REPO)).filter((r) => r.kind === "milestone").map((r) => r.item);
    expect(new Set(items)).toEqual(new Set(["deploy_script", "deploy_docs"]));
    const issue = issues.all(REPO).find((i) => !i.pull_request)!;
    expect(issue.body).toContain("### Checklist for Senior");
    expect(issue.body).toMatch(/- \[x\] \*\*Automated deployment\*\* — .* · earned by @octocat, @carol in #12/);
    expect(issue.body).toMatch(/- \[x\] \*\*Written deploy instructions\*\* — .* · earned by @octocat, @carol in #12/);
    expect(issue.body).toMatch(/- \[ \] \*\*Alerting\*\*/);
  });

  it("a bot's pull request earns nobody anything; people.exclude and people: false are respected", async () => {
    const { issues, history, store, push } = await setup();
    const { commit: base } = await push({ ...JUNIOR, ".github/devops-ladder.yml": "people:\n  exclude: [carol]\n" });
    const merged = sha("excluded");
    mergedPullRequest(issues, history, base, merged);
    await push({ ...SENIOR, ".github/devops-ladder.yml": "people:\n  exclude: [carol]\n" }, merged);
    expect(new Set((await store.credits.ofRepo(REPO)).map((r) => r.login))).toEqual(new Set(["octocat"]));

    // a regression is the repository's; dependabot's pull request that restores it earns nobody anything
    const { commit: lost } = await push({
      ...JUNIOR,
      ".github/devops-ladder.yml": "people:\n  exclude: [carol]\n",
      "CHANGES.txt": "the alerts go\n",
    });
    expect(await store.credits.regressions(REPO)).toContainEqual(
      expect.objectContaining({ kind: "milestone", item: "alerts", commit: lost }),
    );
    const bot = { name: "dependabot[bot]", email: "49699333+dependabot[bot]@users.noreply.github.com" };
    const restored = sha("restored");
    issues.pulls.set(restored, [
      {
        number: 13,
        title: "Bump",
        merged_at: "2025-03-05T09:00:00Z",
        merge_commit_sha: restored,
        user: { login: "dependabot[bot]" },
      },
    ]);
    history.prCommits.set(`${REPO}#13`, [{ sha: sha("b1"), message: "Bump", author: bot }]);
    history.comparisons.set(`${REPO}@${lost}...${restored}`, [{ sha: restored, message: "Bump (#13)", author: bot }]);
    await push({ ...SENIOR, ".github/devops-ladder.yml": "people:\n  exclude: [carol]\n" }, restored);
    expect((await store.credits.ofRepo(REPO)).filter((r) => r.commit === restored)).toEqual([]);
    expect((await store.credits.state(REPO))?.headSha).toBe(restored);

    // people: false records the state and asks GitHub for no one
    const off = { ".github/devops-ladder.yml": "people: false\n" };
    const { commit: offBase } = await push({ ...JUNIOR, ...off });
    const again = sha("again");
    issues.pulls.set(again, [
      {
        number: 14,
        title: "Again",
        merged_at: "2025-03-06T09:00:00Z",
        merge_commit_sha: again,
        user: { login: "octocat" },
      },
    ]);
    history.comparisons.set(`${REPO}@${offBase}...${again}`, [{ sha: again, message: "Again (#14)", author: OCTOCAT }]);
    await push({ ...SENIOR, ...off }, again);
    expect((await store.credits.ofRepo(REPO)).filter((r) => r.commit === again)).toEqual([]);
    expect(history.count(/\/pulls\/14\/commits/)).toBe(0);
    expect((await store.credits.state(REPO))?.headSha).toBe(again);
  });
});

describe("as a durable job", () => {
  it("the scan queues a credits job in the follow-ups lane, in the progression issue's group; a worker records", async () => {
    const { issues, history, store, push } = await setup({ viaQueue: true, backfill: false });
    const { commit: base } = await push(JUNIOR);
    const merged = sha("queued");
    mergedPullRequest(issues, history, base, merged);
    await push(SENIOR, merged);
    const milestones = (await store.credits.ofRepo(REPO)).filter((r) => r.kind === "milestone");
    expect(milestones.map((r) => [r.login, r.item])).toEqual(
      SENIOR_MILESTONES.flatMap((id) => [
        ["octocat", id],
        ["carol", id],
      ]),
    );
    const jobs = await store.jobs.counts();
    expect(jobs).toContainEqual({ lane: "followups", state: "done", count: 2 });
    expect(creditJob.group({ repo: { owner: "Octo", repo: "App" } } as never)).toBe("octo/app#progression");
  });
});

describe("backfill at installation", () => {
  /** The oldest commit of each evidence file, three pages deep, by a different person. */
  async function seedPathHistory(history: FakeHistory) {
    const report = await scan(memorySnapshot(SENIOR));
    const firsts: Record<string, FakeCommit> = {};
    for (const [i, m] of report.milestones.filter((x) => x.status === "pass").entries()) {
      const path = m.evidence[0]!.path;
      const first: FakeCommit = {
        sha: sha(`first-${path}`),
        message: "first",
        author: { name: `Author ${i}`, email: `author${i}@example.com`, login: `author${i}` },
        date: `2024-0${i + 1}-01T00:00:00Z`,
      };
      history.pathHistory.set(`${REPO}:${path}`, [
        { sha: sha(`late-${path}`), message: "later", author: CAROL },
        { sha: sha(`mid-${path}`), message: "later", author: CAROL },
        first,
      ]);
      firsts[m.id] = first;
    }
    return firsts;
  }

  it("credits the author of the commit that first added each milestone's main evidence, once, paced", async () => {
    const { history, store, push, sleeps } = await setup();
    const firsts = await seedPathHistory(history);
    await push(SENIOR);
    const rows = await store.credits.ofRepo(REPO);
    expect(rows.map((r) => [r.item, r.login, r.commit, r.at, r.backfilled])).toEqual(
      SENIOR_MILESTONES.map((id) => [
        id,
        firsts[id]!.author.login,
        firsts[id]!.sha,
        new Date(firsts[id]!.date!).toISOString(),
        true,
      ]),
    );
    // two requests per file (the first page says how many pages; the last page is the oldest commit)
    const requests = history.count(/\/commits\?/);
    expect(requests).toBeLessThanOrEqual(2 * SENIOR_MILESTONES.length);
    expect(sleeps).toEqual(Array(requests - 1).fill(250));
    expect((await store.credits.state(REPO))?.backfilledAt).toBeTypeOf("number");

    // the next scan does not backfill again
    await push({ ...SENIOR, "x.txt": "x" });
    expect(history.count(/\/commits\?/)).toBe(requests);
  });

  it("stops at its request budget, or when the rate limit runs low, and records nothing half done", async () => {
    const tight = await setup({ backfill: { maxRequests: 3, pauseMs: 0 } });
    await seedPathHistory(tight.history);
    await tight.push(SENIOR);
    expect(tight.history.count(/\/commits\?/)).toBeLessThanOrEqual(3);
    expect(await tight.store.credits.ofRepo(REPO)).toEqual([]);
    expect((await tight.store.credits.state(REPO))?.backfilledAt).toBeUndefined();
    nock.cleanAll();

    const low = await setup({ backfill: { pauseMs: 0, reserve: 1000 } });
    await seedPathHistory(low.history);
    low.history.rateLimitRemaining = 999;
    await low.push(SENIOR);
    expect(low.history.count(/\/commits\?/)).toBeLessThanOrEqual(2);
    expect(await low.store.credits.ofRepo(REPO)).toEqual([]);
  });
});
