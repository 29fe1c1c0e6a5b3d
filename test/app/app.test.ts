// The app through the real Probot runtime: webhook payloads from @octokit/webhooks-examples, GitHub behind
// nock (FakeGitHub), and assertions on the exact requests, the check run's content and the request counts.
// Counted: GitHub API requests; the installation-token request is not (Probot caches the token for an hour).
import { createHmac, randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import nock from "nock";
import { createNodeMiddleware, Probot } from "probot";
import { afterEach, describe, expect, it } from "vitest";
import { type AppOptions, type CompletedScan, createApp } from "../../src/app.js";
import { appOctokit } from "../../src/github/octokit.js";
import { EmbeddedQueue } from "../../src/jobs/embedded.js";
import { createMetrics } from "../../src/metrics.js";
import { SqliteStore } from "../../src/store/sqlite/index.js";
import { blobSha, FakeGitHub, privateKey } from "./fake-github.js";

const examples = createRequire(import.meta.url)("@octokit/webhooks-examples") as { name: string; examples: any[] }[];

/** A real payload from @octokit/webhooks-examples (one that names an installation), deep-copied. */
function example(name: string, action?: string, pick: (p: any) => boolean = () => true): any {
  const found = examples
    .find((e) => e.name === name)!
    .examples.find((p) => (action === undefined || p.action === action) && p.installation && pick(p));
  if (!found) throw new Error(`no ${name}.${action} example`);
  return structuredClone(found);
}

const REPO = "Codertocat/Hello-World";
const PUSH_SHA = "6113728f27ae82c7b1a177c8d03f9e96e0adf246";
const PR_HEAD = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
const PR_BASE = "f95f852bd8fca8fcc58a9a2d6c842781e32a215e";

const DOCKERFILE =
  'FROM node:20.11-alpine\nUSER node\nHEALTHCHECK CMD wget -q localhost:3000/health || exit 1\nCMD ["node", "server.js"]\n';
const WORKFLOW =
  "name: ci\non: [pull_request]\npermissions:\n  contents: read\njobs:\n  test:\n" +
  "    runs-on: ubuntu-latest\n    timeout-minutes: 10\n    steps:\n      - run: npm test\n";
const BASE_FILES = { "README.md": "# Hello\n", "src/index.js": "console.log('hi')\n" };
const HEAD_FILES = { ...BASE_FILES, Dockerfile: DOCKERFILE, ".github/workflows/ci.yml": WORKFLOW };

const SECRET = "webhook-secret";

async function setup(options: AppOptions = {}) {
  const gh = new FakeGitHub();
  const errors: unknown[] = [];
  const probot = new Probot({
    appId: 1,
    privateKey: privateKey(),
    secret: SECRET,
    logLevel: "fatal",
    Octokit: appOctokit({ retryAfterBaseValue: 1, noSpacing: true }),
  });
  const queue = new EmbeddedQueue(await SqliteStore.open(":memory:"), { retryBaseMs: 5, pollMs: 20 });
  const app = createApp({ graceMs: 60_000, queue, ...options });
  await probot.load(app);
  probot.log.error = ((obj: unknown) => void errors.push(obj)) as never;
  const deliver = async (name: string, payload: unknown, id: string = randomUUID()) => {
    await probot.receive({ id, name, payload } as never);
    await app.idle();
  };
  return { gh, probot, app, deliver, errors };
}

function checkRunBodies(gh: FakeGitHub): any[] {
  return gh.checkRunWrites().map((r) => r.body);
}

afterEach(() => {
  nock.cleanAll();
});

describe("push to the default branch", () => {
  it("costs three requests: tree, one GraphQL batch, one completed check run", async () => {
    const { gh, deliver } = await setup();
    gh.commit(REPO, HEAD_FILES, PUSH_SHA);
    await deliver(
      "push",
      example("push", undefined, (p) => p.ref === "refs/heads/master"),
    );

    expect(gh.requests()).toEqual([
      `GET /repos/${REPO}/git/trees/${PUSH_SHA}?recursive=1`,
      "POST /graphql",
      `POST /repos/${REPO}/check-runs`,
    ]);
    const query = gh.log[1]!.body;
    const blobs = Object.entries(query.variables)
      .filter(([k]) => /^b\d+$/.test(k))
      .map(([, v]) => v);
    expect(blobs.sort()).toEqual([DOCKERFILE, WORKFLOW, BASE_FILES["README.md"]].map(blobSha).sort()); // not src/index.js
    expect(query.variables).toMatchObject({ lo0: "Codertocat", ln0: ".github", le0: "HEAD:.github/devops-ladder.yml" });
    const [run] = checkRunBodies(gh);
    expect(run).toMatchObject({
      name: "DevOps Ladder",
      head_sha: PUSH_SHA,
      status: "completed",
      conclusion: "neutral",
    });
    expect(run.output.title).toMatch(/^(Junior|Senior|Lead) · \d{1,3}\/100$/);
    expect(run.output.summary).toContain("| Task | Score | |");
    expect(run.output.summary).toMatch(/\| Containerisation \| \d+ \| `[█░]{10}` \|/);
    expect(run.output.summary).toContain("### Next: Senior");
    expect(run.output.summary.length).toBeLessThan(65_535);
    expect(run.output.text).toMatch(/<details><summary><b>Containerisation<\/b>/); // every task's signals
    expect(run.output.text.length).toBeLessThan(65_535);
  });

  it("a rescan of an unchanged tree fetches no contents; the same commit costs only the check run", async () => {
    const { gh, deliver } = await setup();
    gh.commit(REPO, HEAD_FILES, PUSH_SHA);
    const push = example("push", undefined, (p) => p.ref === "refs/heads/master");
    await deliver("push", push);
    const next = gh.commit(REPO, { ...HEAD_FILES, "src/index.js": "console.log('changed')\n" }, "a".repeat(40));
    await deliver("push", { ...push, before: PUSH_SHA, after: next });
    expect(gh.requests().slice(3)).toEqual([
      `GET /repos/${REPO}/git/trees/${next}?recursive=1`,
      `POST /repos/${REPO}/check-runs`,
    ]);
    // the previous head was scanned: the title shows the change against it
    expect(checkRunBodies(gh)[1].output.title).toMatch(/\(±0\)$/);

    const rerun = example("check_run", "rerequested");
    rerun.repository = push.repository;
    Object.assign(rerun.check_run, { name: "DevOps Ladder", head_sha: next, pull_requests: [] });
    await deliver("check_run", rerun);
    expect(gh.requests().slice(5)).toEqual([`POST /repos/${REPO}/check-runs`]);
  });

  it("ignores other branches, tags, deleted branches and archived repositories", async () => {
    const { gh, deliver } = await setup();
    gh.commit(REPO, HEAD_FILES, PUSH_SHA);
    await deliver(
      "push",
      example("push", undefined, (p) => p.ref === "refs/tags/simple-tag"),
    );
    const archived = example("push", undefined, (p) => p.ref === "refs/heads/master");
    archived.repository.archived = true;
    await deliver("push", archived);
    const deleted = example("push", undefined, (p) => p.ref === "refs/heads/master");
    Object.assign(deleted, { deleted: true, after: "0".repeat(40) });
    await deliver("push", deleted);
    expect(gh.log).toEqual([]);
  });
});

describe("pull requests", () => {
  for (const action of ["opened", "synchronize", "reopened"]) {
    it(`${action}: scans head and base, and the check run shows what the PR changed`, async () => {
      const { gh, deliver } = await setup();
      gh.commit(REPO, BASE_FILES, PR_BASE);
      gh.commit(REPO, HEAD_FILES, PR_HEAD);
      await deliver("pull_request", example("pull_request", action));

      expect(gh.requests()).toEqual([
        `GET /repos/${REPO}/git/trees/${PR_HEAD}?recursive=1`,
        `GET /repos/${REPO}/git/trees/${PR_BASE}?recursive=1`,
        "POST /graphql",
        `POST /repos/${REPO}/check-runs`,
      ]);
      const [run] = checkRunBodies(gh);
      expect(run.head_sha).toBe(PR_HEAD);
      expect(run.output.title).toMatch(/ · \d+\/100 \(\+\d+\)$/);
      expect(run.output.summary).toContain("| Task | Score | | Change |");
      expect(run.output.summary).toContain("### What this change does");
      const added = run.output.summary.split("Added:\n")[1].split("\n\n")[0];
      expect(added).toMatch(/^- ✓ \*\*[^*]+\*\* — `Dockerfile:\d+`$/m);
      expect(added).toMatch(/^- ✓ \*\*[^*]+\*\* — `\.github\/workflows\/ci\.yml:\d+`$/m);
    });
  }

  it("costs three requests when the base commit was scanned on push", async () => {
    const { gh, deliver } = await setup();
    gh.commit(REPO, BASE_FILES, PR_BASE);
    gh.commit(REPO, HEAD_FILES, PR_HEAD);
    const push = example("push", undefined, (p) => p.ref === "refs/heads/master");
    await deliver("push", { ...push, after: PR_BASE });
    const before = gh.log.length;
    await deliver("pull_request", example("pull_request", "opened"));
    expect(gh.requests().slice(before)).toEqual([
      `GET /repos/${REPO}/git/trees/${PR_HEAD}?recursive=1`,
      "POST /graphql",
      `POST /repos/${REPO}/check-runs`,
    ]);
  });

  it("reports what a PR broke, and fail_on_regression turns it into a failure", async () => {
    const { gh, deliver } = await setup();
    const config = { ".github/devops-ladder.yml": "fail_on_regression: true\n" };
    gh.commit(REPO, { ...HEAD_FILES, ...config }, PR_BASE);
    gh.commit(REPO, { ...BASE_FILES, ...config }, PR_HEAD);
    await deliver("pull_request", example("pull_request", "synchronize"));
    const [run] = checkRunBodies(gh);
    expect(run.conclusion).toBe("failure");
    expect(run.output.title).toMatch(/\(−\d+\)$/);
    expect(run.output.summary).toMatch(
      /^\*\*Gate failed\*\*: the score dropped from \d+ to \d+ \(fail_on_regression\)/,
    );
    expect(run.output.summary).toContain("Broke:\n- ✗ **");
  });
});

describe("check suites, check runs and installations", () => {
  it("check_suite.requested scans the suite's head; a push of the same commit is not scanned twice", async () => {
    const { gh, deliver } = await setup();
    gh.commit(REPO, HEAD_FILES, PR_BASE);
    await deliver("check_suite", example("check_suite", "requested"));
    const push = example("push", undefined, (p) => p.ref === "refs/heads/master");
    await deliver("push", { ...push, after: PR_BASE });
    expect(gh.requests()).toEqual([
      `GET /repos/${REPO}/git/trees/${PR_BASE}?recursive=1`,
      "POST /graphql",
      `POST /repos/${REPO}/check-runs`,
    ]);
    expect(checkRunBodies(gh)[0].head_sha).toBe(PR_BASE);
  });

  it("check_suite.rerequested re-runs the pull request's scan, with its delta", async () => {
    const { gh, deliver } = await setup();
    gh.commit(REPO, BASE_FILES, PR_BASE);
    gh.commit(REPO, HEAD_FILES, PR_HEAD);
    await deliver("check_suite", example("check_suite", "rerequested"));
    await deliver("check_suite", example("check_suite", "rerequested"));
    const runs = checkRunBodies(gh);
    expect(runs).toHaveLength(2);
    expect(runs[1].output.summary).toContain("### What this change does");
    // the second run is served from the caches: one check-run write, nothing else
    expect(gh.requests().slice(4)).toEqual([`POST /repos/${REPO}/check-runs`]);
  });

  it("check_run.rerequested re-runs our check run only", async () => {
    const { gh, deliver } = await setup();
    const payload = example("check_run", "rerequested");
    const repo = payload.repository.full_name;
    gh.commit(repo, HEAD_FILES, payload.check_run.head_sha);
    await deliver("check_run", payload); // another app's check run ("randscape")
    expect(gh.log).toEqual([]);
    payload.check_run.name = "DevOps Ladder";
    await deliver("check_run", payload);
    expect(gh.requests()).toEqual([
      `GET /repos/${repo}/git/trees/${payload.check_run.head_sha}?recursive=1`,
      "POST /graphql",
      `POST /repos/${repo}/check-runs`,
    ]);
  });

  it("installation.created scans every repository's default branch (repository info + the three requests)", async () => {
    const { gh, deliver } = await setup();
    const head = gh.commit(REPO, HEAD_FILES);
    gh.defaultBranches.set(REPO, "master");
    await deliver("installation", example("installation", "created"));
    expect(gh.requests()).toEqual([
      "POST /graphql",
      `GET /repos/${REPO}/git/trees/${head}?recursive=1`,
      "POST /graphql",
      `POST /repos/${REPO}/check-runs`,
    ]);
    expect(checkRunBodies(gh)[0].head_sha).toBe(head);
  });

  it("installation_repositories.added scans the added repositories; empty ones are skipped", async () => {
    const { gh, deliver, errors } = await setup();
    const payload = example("installation_repositories", "added");
    payload.repositories_added.push({ ...payload.repositories_added[0], name: "Empty", full_name: "Codertocat/Empty" });
    const head = gh.commit("Codertocat/Space", HEAD_FILES);
    await deliver("installation_repositories", payload);
    expect(gh.requests().filter((r) => r.includes("check-runs"))).toEqual(["POST /repos/Codertocat/Space/check-runs"]);
    expect(checkRunBodies(gh)[0].head_sha).toBe(head);
    expect(gh.count("POST", "/graphql")).toBe(3); // two repository infos, one batch
    expect(errors).toEqual([]);
  });
});

describe("config", () => {
  it("an invalid config is explained with an annotation at its line, and the scan goes on with defaults", async () => {
    const { gh, deliver } = await setup();
    gh.commit(REPO, { ...HEAD_FILES, ".github/devops-ladder.yml": "annotations: 10\nmin_score: high\n" }, PUSH_SHA);
    await deliver(
      "push",
      example("push", undefined, (p) => p.ref === "refs/heads/master"),
    );
    expect(gh.requests()).toHaveLength(3);
    const [run] = checkRunBodies(gh);
    expect(run.conclusion).toBe("neutral");
    expect(run.output.summary).toContain(
      "**Config** `.github/devops-ladder.yml` is invalid, so the scan used the defaults",
    );
    expect(run.output.summary).toContain("- `.github/devops-ladder.yml:2`: min_score must be integer");
    expect(run.output.annotations).toContainEqual(
      expect.objectContaining({
        path: ".github/devops-ladder.yml",
        start_line: 2,
        annotation_level: "failure",
        title: "config/invalid",
      }),
    );
    expect(run.output.title).toMatch(/ · \d+\/100$/);
  });

  it("min_score and min_level gates fail the check run; the org's .github config applies when the repo has none", async () => {
    const { gh, deliver } = await setup();
    gh.commit(REPO, HEAD_FILES, PUSH_SHA);
    gh.commit("Codertocat/.github", { ".github/devops-ladder.yml": "min_score: 95\nmin_level: lead\n" });
    await deliver(
      "push",
      example("push", undefined, (p) => p.ref === "refs/heads/master"),
    );
    const [run] = checkRunBodies(gh);
    expect(run.conclusion).toBe("failure");
    expect(run.output.summary).toMatch(
      /^\*\*Gate failed\*\*: the score \d+ is under min_score 95; the level \w+ is under min_level lead\./,
    );
    expect(gh.requests()).toHaveLength(3);
  });

  it("reads .github/devops-ladder.yaml too, in the repository's tree", async () => {
    const own = await setup();
    own.gh.commit(REPO, { ...HEAD_FILES, ".github/devops-ladder.yaml": "min_score: 96\n" }, PUSH_SHA);
    await own.deliver(
      "push",
      example("push", undefined, (p) => p.ref === "refs/heads/master"),
    );
    const [run] = checkRunBodies(own.gh);
    expect(run.conclusion).toBe("failure");
    expect(run.output.summary).toMatch(/^\*\*Gate failed\*\*: the score \d+ is under min_score 96\./);
    expect(own.gh.requests()).toHaveLength(3);
  });

  it("reads the org's .github/devops-ladder.yaml in the same batch as .yml: no extra request", async () => {
    const org = await setup();
    org.gh.commit(REPO, HEAD_FILES, PUSH_SHA);
    org.gh.commit("Codertocat/.github", { ".github/devops-ladder.yaml": "min_level: lead\n" });
    await org.deliver(
      "push",
      example("push", undefined, (p) => p.ref === "refs/heads/master"),
    );
    expect(checkRunBodies(org.gh)[0].output.summary).toMatch(/the level \w+ is under min_level lead/);
    expect(org.gh.requests()).toHaveLength(3);
  });

  it("_extends pulls in another repository's config (one more request, only then)", async () => {
    const { gh, deliver } = await setup();
    gh.commit("Codertocat/policies", { ".github/devops-ladder.yml": "min_score: 99\n" });
    gh.commit(REPO, { ...HEAD_FILES, ".github/devops-ladder.yml": "_extends: policies\nannotations: 5\n" }, PUSH_SHA);
    await deliver(
      "push",
      example("push", undefined, (p) => p.ref === "refs/heads/master"),
    );
    expect(gh.count("POST", "/graphql")).toBe(2);
    expect(gh.log[2]!.body.variables).toMatchObject({
      lo0: "Codertocat",
      ln0: "policies",
      le0: "HEAD:.github/devops-ladder.yml",
    });
    expect(checkRunBodies(gh)[0].conclusion).toBe("failure");
  });
});

describe("check-run lifecycle", () => {
  it("a slow scan shows in_progress first and is completed after (graceMs 0)", async () => {
    const { gh, deliver } = await setup({ graceMs: 0 });
    gh.commit(REPO, HEAD_FILES, PUSH_SHA);
    await deliver(
      "push",
      example("push", undefined, (p) => p.ref === "refs/heads/master"),
    );
    expect(gh.requests().filter((r) => r.includes("check-runs"))).toEqual([
      `POST /repos/${REPO}/check-runs`,
      `PATCH /repos/${REPO}/check-runs/1`,
    ]);
    const [created, completed] = checkRunBodies(gh);
    expect(created).toMatchObject({ status: "in_progress", head_sha: PUSH_SHA });
    expect(completed).toMatchObject({ status: "completed", conclusion: "neutral" });
    expect(completed.output.title).toMatch(/ · \d+\/100$/);
  });

  it("is never left in_progress: a rejected completion is retried without annotations", async () => {
    const { gh, deliver } = await setup({ graceMs: 0 });
    gh.commit(REPO, { ...HEAD_FILES, ".github/devops-ladder.yml": "min_score: high\n" }, PUSH_SHA);
    gh.fail("PATCH", /check-runs/, 422, { body: { message: "Invalid annotation" } });
    await deliver(
      "push",
      example("push", undefined, (p) => p.ref === "refs/heads/master"),
    );
    const [, rejected, completed] = checkRunBodies(gh);
    expect(rejected.output.annotations).toHaveLength(1);
    expect(completed).toMatchObject({ status: "completed", conclusion: "neutral" });
    expect(completed.output.annotations).toBeUndefined();
  });

  it("sends annotations 50 per request, up to the configured cap", async () => {
    const { gh, deliver } = await setup();
    const files: Record<string, string> = { ...HEAD_FILES, ".github/devops-ladder.yml": "annotations: 120\n" };
    for (let i = 0; i < 130; i++) files[`.github/workflows/broken-${i}.yml`] = "on: [push\njobs: {\n";
    gh.commit(REPO, files, PUSH_SHA);
    await deliver(
      "push",
      example("push", undefined, (p) => p.ref === "refs/heads/master"),
    );
    const writes = gh.checkRunWrites();
    expect(writes.map((w) => w.method)).toEqual(["POST", "PATCH", "PATCH"]);
    expect(writes.map((w) => w.body.output.annotations.length)).toEqual([50, 50, 20]);
    expect(writes[0]!.body.output.annotations[0]).toMatchObject({
      annotation_level: "failure",
      start_line: expect.any(Number),
    });
    expect(gh.count("POST", "/graphql")).toBe(1); // 131 files, one batch
  });
});

describe("faults", () => {
  const push = () => example("push", undefined, (p) => p.ref === "refs/heads/master");

  it("retries GitHub 5xx", async () => {
    const { gh, deliver } = await setup();
    gh.commit(REPO, HEAD_FILES, PUSH_SHA);
    gh.fail("GET", /git\/trees/, 502, { times: 2 });
    await deliver("push", push());
    expect(gh.count("GET", "/git/trees/")).toBe(3);
    expect(checkRunBodies(gh)[0].output.title).toMatch(/ · \d+\/100$/);
  });

  it("waits out secondary rate limits (403 and 429 with retry-after)", async () => {
    const { gh, deliver } = await setup();
    gh.commit(REPO, HEAD_FILES, PUSH_SHA);
    gh.fail("POST", /graphql/, 403, {
      body: { message: "You have exceeded a secondary rate limit." },
      headers: { "retry-after": "2" },
    });
    gh.fail("POST", /check-runs/, 429, {
      body: { message: "You have exceeded a secondary rate limit." },
      headers: { "retry-after": "1" },
    });
    await deliver("push", push());
    expect(gh.requests()).toEqual([
      `GET /repos/${REPO}/git/trees/${PUSH_SHA}?recursive=1`,
      "POST /graphql",
      "POST /graphql",
      `POST /repos/${REPO}/check-runs`,
      `POST /repos/${REPO}/check-runs`,
    ]);
    expect(checkRunBodies(gh)[1].conclusion).toBe("neutral");
  });

  it("a repository deleted mid-scan completes the check run with 'could not scan'", async () => {
    const { gh, deliver } = await setup();
    gh.commit(REPO, HEAD_FILES, PUSH_SHA);
    gh.missing.add(REPO);
    await deliver("push", push());
    const [run] = checkRunBodies(gh);
    expect(run).toMatchObject({ status: "completed", conclusion: "neutral" });
    expect(run.output.summary).toMatch(/^could not scan: Codertocat\/Hello-World was not found/);
  });

  it("an emptied repository (409) and a missing contents permission (403) are explained", async () => {
    const { gh, deliver } = await setup();
    gh.commit(REPO, HEAD_FILES, PUSH_SHA);
    gh.fail("GET", /git\/trees/, 409, { body: { message: "Git Repository is empty." } });
    await deliver("push", push());
    gh.fail("GET", /git\/trees/, 403, { body: { message: "Resource not accessible by integration" } });
    await deliver("check_suite", {
      ...example("check_suite", "rerequested"),
      check_suite: { ...example("check_suite", "rerequested").check_suite, head_sha: PUSH_SHA, pull_requests: [] },
    });
    const [emptied, forbidden] = checkRunBodies(gh);
    expect(emptied.output.summary).toMatch(
      /^could not scan: the tree of Codertocat\/Hello-World@6113728f27ae is empty/,
    );
    expect(forbidden.output.summary).toContain(
      "could not scan: the app is not allowed to read the tree of " +
        'Codertocat/Hello-World@6113728f27ae (it needs the "contents: read" permission)',
    );
  });

  it("a check run GitHub keeps refusing with 502 is created by a later attempt of the durable job", async () => {
    const { gh, deliver } = await setup();
    gh.commit(REPO, HEAD_FILES, PUSH_SHA);
    // more failures than the client's own retries: the job fails and is tried again, with backoff
    gh.fail("POST", /check-runs$/, 502, { times: 6 });
    await deliver("push", push());
    const created = gh.log.filter((r) => r.method === "POST" && r.path.endsWith("/check-runs"));
    expect(created.length).toBeGreaterThan(6);
    expect(checkRunBodies(gh).at(-1)).toMatchObject({ head_sha: PUSH_SHA, status: "completed", conclusion: "neutral" });
  });

  it("a failed scan does not count as done: the same push sent again scans again", async () => {
    const { gh, deliver } = await setup();
    gh.commit(REPO, HEAD_FILES, PUSH_SHA);
    gh.fail("GET", /git\/trees/, 404);
    await deliver("push", push());
    await deliver("push", push()); // a new delivery of the same head
    const [failed, scanned] = checkRunBodies(gh);
    expect(failed.output.summary).toMatch(/^could not scan/);
    expect(scanned.output.title).toMatch(/^(Junior|Senior|Lead) · \d{1,3}\/100$/);
    await deliver("push", push()); // done now: not scanned a third time
    expect(checkRunBodies(gh)).toHaveLength(2);
  });

  it("check_run.rerequested on a run stuck in_progress completes that run rather than adding one", async () => {
    const { gh, deliver } = await setup();
    const payload = example("check_run", "rerequested");
    payload.check_run.name = "DevOps Ladder";
    payload.check_run.status = "in_progress";
    payload.check_run.id = 77;
    gh.commit(`${payload.repository.owner.login}/${payload.repository.name}`, HEAD_FILES, payload.check_run.head_sha);
    await deliver("check_run", payload);
    expect(gh.count("POST", "/check-runs")).toBe(0);
    const [done] = checkRunBodies(gh);
    expect(gh.log.find((r) => r.path.includes("/check-runs"))!.path).toMatch(/\/check-runs\/77$/);
    expect(done).toMatchObject({ status: "completed", conclusion: "neutral" });
  });

  it("a refused check run (no checks permission) is logged; the next event is still handled", async () => {
    const { gh, deliver, errors } = await setup();
    gh.commit(REPO, HEAD_FILES, PUSH_SHA);
    gh.fail("POST", /check-runs/, 403, { body: { message: "Resource not accessible by integration" } });
    await deliver("push", push());
    expect(errors).toHaveLength(1);
    const next = gh.commit(REPO, { ...HEAD_FILES, "x.txt": "x" }, "b".repeat(40));
    await deliver("push", { ...push(), after: next });
    expect(gh.count("POST", "/check-runs")).toBe(2);
  });

  it("a malformed payload or a failing hook never takes the process down", async () => {
    const hook = async (scan: CompletedScan) => {
      seen.push(scan.headSha);
      throw new Error("hook broke");
    };
    const seen: string[] = [];
    const { gh, deliver, errors } = await setup({ onScanComplete: [hook] });
    await deliver("pull_request", { action: "opened", installation: { id: 1 }, repository: push().repository });
    gh.commit(REPO, HEAD_FILES, PUSH_SHA);
    await deliver("push", push());
    expect(seen).toEqual([PUSH_SHA]);
    expect(errors).toHaveLength(2); // the payload, the hook
    expect(gh.count("POST", "/check-runs")).toBe(1);
  });

  it("the same delivery twice is handled once", async () => {
    const { gh, deliver } = await setup();
    gh.commit(REPO, HEAD_FILES, PUSH_SHA);
    const id = randomUUID();
    const rerun = example("check_suite", "rerequested");
    rerun.check_suite.head_sha = PUSH_SHA;
    rerun.check_suite.pull_requests = [];
    await deliver("check_suite", rerun, id);
    await deliver("check_suite", rerun, id);
    expect(gh.count("POST", "/check-runs")).toBe(1);
  });
});

describe("metrics", () => {
  it("counts webhooks by outcome, GitHub responses by status, the rate limit left and scans", async () => {
    const metrics = createMetrics({ processMetrics: false });
    const { gh, deliver } = await setup({ metrics });
    gh.commit(REPO, HEAD_FILES, PUSH_SHA);
    await deliver(
      "push",
      example("push", undefined, (p) => p.ref === "refs/tags/simple-tag"),
    );
    await deliver(
      "push",
      example("push", undefined, (p) => p.ref === "refs/heads/master"),
    );
    const text = await metrics.registry.metrics();
    expect(text).toContain('devops_ladder_webhooks_total{event="push",outcome="ignored"} 1');
    expect(text).toContain('devops_ladder_webhooks_total{event="push",outcome="success"} 1');
    expect(text).toContain('devops_ladder_github_requests_total{status="200"} 2'); // tree, GraphQL
    expect(text).toContain('devops_ladder_github_requests_total{status="201"} 2'); // installation token, check run
    expect(text).toMatch(/devops_ladder_scan_duration_seconds_count\{outcome="success"\} 1/);
    expect(text).toContain("devops_ladder_queue_depth 0");
  });
});

describe("webhook signatures (HTTP through Probot's middleware)", () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  it("rejects forged and unsigned deliveries before any work, and accepts signed ones", async () => {
    const gh = new FakeGitHub();
    gh.commit(REPO, HEAD_FILES, PUSH_SHA);
    const probot = new Probot({
      appId: 1,
      privateKey: privateKey(),
      secret: SECRET,
      logLevel: "fatal",
      Octokit: appOctokit({ retryAfterBaseValue: 1, noSpacing: true }),
    });
    const app = createApp({ graceMs: 60_000 });
    const middleware = await createNodeMiddleware(app, { probot });
    server = createServer((req, res) => void middleware(req, res, () => res.writeHead(404).end()));
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    nock.enableNetConnect("127.0.0.1");
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks`;
    const body = JSON.stringify(example("push", undefined, (p) => p.ref === "refs/heads/master"));
    const post = (signature?: string) =>
      fetch(url, {
        method: "POST",
        body,
        headers: {
          "content-type": "application/json",
          "x-github-event": "push",
          "x-github-delivery": randomUUID(),
          ...(signature ? { "x-hub-signature-256": signature } : {}),
        },
      });
    const sign = (secret: string) => `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;

    expect((await post(sign("not-the-secret"))).status).toBe(400);
    expect((await post()).status).toBe(400);
    await app.idle();
    expect(gh.log).toEqual([]);

    expect((await post(sign(SECRET))).status).toBe(200);
    await app.idle();
    expect(gh.requests()).toHaveLength(3);
  });
});
