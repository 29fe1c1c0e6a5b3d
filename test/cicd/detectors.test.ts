import { describe, expect, it } from "vitest";
import { condition, detect, scanFiles, signalOf } from "../helpers.js";
import { fixture, lineOf } from "./support.js";

const WF = ".github/workflows/ci.yml";
const workflow = (on: string, jobs: string) => `on: ${on}\njobs:\n${jobs}`;
const job = (id: string, body: string, steps: string[]) =>
  `  ${id}:\n    runs-on: ubuntu-latest\n${body}    steps:\n${steps.map((s) => `      - ${s}\n`).join("")}`;

describe("cicd/ci-pipeline", () => {
  it("passes with a runnable job and fails with none", async () => {
    expect((await detect("cicd/ci-pipeline", { ".gitlab-ci.yml": "test:\n  script: [make test]\n" })).evidence).toEqual(
      [{ path: ".gitlab-ci.yml", line: 1, note: "GitLab CI" }],
    );
    expect(
      await detect("cicd/ci-pipeline", { [WF]: workflow("push", job("a", "    if: false\n", ["run: make"])) }),
    ).toMatchObject({ status: "fail", reasonId: "no-ci-pipeline" });
    expect(
      await detect("cicd/ci-pipeline", { "README.md": "We use GitHub Actions and a .gitlab-ci.yml" }),
    ).toMatchObject({ status: "fail", reasonId: "no-ci-pipeline" });
  });
});

describe("cicd/pull-request-checks", () => {
  it("passes on pull_request, fails for push-only workflows and for PR workflows whose jobs are all disabled", async () => {
    expect(
      await detect("cicd/pull-request-checks", { [WF]: workflow("[push, pull_request]", job("a", "", ["run: make"])) }),
    ).toMatchObject({ status: "pass", evidence: [{ path: WF, line: 1 }] });
    expect(
      await detect("cicd/pull-request-checks", { [WF]: workflow("push", job("a", "", ["run: make"])) }),
    ).toMatchObject({ status: "fail", reasonId: "no-pull-request-trigger" });
    expect(
      await detect("cicd/pull-request-checks", {
        [WF]: workflow("pull_request", job("a", "    if: ${{ false }}\n", ["run: make"])),
      }),
    ).toMatchObject({ status: "fail", reasonId: "no-ci-pipeline" });
  });
});

describe("cicd/ci-tests", () => {
  it("passes on a test command, not on an echo or a build", async () => {
    expect(
      await detect("cicd/ci-tests", { [WF]: workflow("push", job("a", "", ["run: go test ./..."])) }),
    ).toMatchObject({
      status: "pass",
      evidence: [{ path: WF, line: 6, note: "go test in job a" }],
    });
    expect(
      await detect("cicd/ci-tests", {
        [WF]: workflow("push", job("a", "", ["run: echo npm test", "run: go build ./..."])),
      }),
    ).toMatchObject({ status: "fail", reasonId: "no-test-command" });
  });
});

describe("cicd/cd-deploy", () => {
  it("passes on a real deploy step with its line", async () => {
    const text = fixture("github/deploy.yml");
    expect(await detect("cicd/cd-deploy", { [WF]: text })).toMatchObject({
      status: "pass",
      evidence: [{ path: WF, line: lineOf(text, "kubectl apply"), note: "kubectl apply in job deploy" }],
    });
  });
  it("fails on echoes, comments, dry runs, disabled jobs and an image push alone", async () => {
    expect(await detect("cicd/cd-deploy", { [WF]: fixture("github/fake-deploy.yml") })).toMatchObject({
      status: "fail",
      reasonId: "no-delivery-job",
    });
    expect(
      await detect("cicd/cd-deploy", { [WF]: workflow("push", job("a", "", ["run: docker push ghcr.io/o/app:1"])) }),
    ).toMatchObject({ status: "fail", reasonId: "no-delivery-job" });
  });
  it("ignores pipelines in vendored folders", async () => {
    expect(
      await detect("cicd/cd-deploy", { "vendor/lib/.gitlab-ci.yml": "deploy:\n  script: [kubectl apply -f k8s]\n" }),
    ).toMatchObject({ status: "fail", reasonId: "no-delivery-job" });
  });
});

describe("cicd/deploy-approval", () => {
  it("passes when every deploy job has an environment or an approval", async () => {
    expect(await detect("cicd/deploy-approval", { [WF]: fixture("github/deploy.yml") })).toMatchObject({
      status: "pass",
      evidence: [{ note: "job deploy deploys to environment production" }],
    });
    expect((await detect("cicd/deploy-approval", { Jenkinsfile: fixture("jenkins/Jenkinsfile") })).status).toBe("pass");
  });
  it("fails with the unguarded deploy job, and is N/A without deploys", async () => {
    const files = { [WF]: workflow("push", job("ship", "", ["run: flyctl deploy"])) };
    expect(await detect("cicd/deploy-approval", files)).toMatchObject({
      status: "fail",
      reasonId: "unguarded-deploy",
      evidence: [{ path: WF, line: 3 }],
    });
    expect(await detect("cicd/deploy-approval", { [WF]: workflow("push", job("a", "", ["run: make"])) })).toMatchObject(
      { status: "na", reasonId: "no-deploy-job" },
    );
  });
});

describe("cicd/pinned-actions", () => {
  it("passes with SHAs (and first-party tags), fails on a third-party tag", async () => {
    expect((await detect("cicd/pinned-actions", { [WF]: fixture("github/deploy.yml") })).status).toBe("pass");
    const risky = fixture("github/risky.yml");
    const result = await detect("cicd/pinned-actions", { [WF]: risky });
    expect(result).toMatchObject({ status: "fail", reasonId: "mutable-action-ref" });
    expect(result.evidence!.map((e) => e.line)).toEqual([lineOf(risky, "tj-actions"), lineOf(risky, "someone/tool")]);
  });
  it("checks reusable workflow refs too, and is N/A without GitHub Actions", async () => {
    expect(
      await detect("cicd/pinned-actions", {
        [WF]: "on: push\njobs:\n  call:\n    uses: org/repo/.github/workflows/deploy.yml@main\n",
      }),
    ).toMatchObject({ status: "fail", reasonId: "mutable-action-ref" });
    expect((await condition("has-github-actions", { ".gitlab-ci.yml": "a:\n  script: [make]\n" })).holds).toBe(false);
    expect(await detect("cicd/pinned-actions", { [WF]: workflow("push", job("a", "", ["run: make"])) })).toMatchObject({
      status: "na",
      reasonId: "no-remote-actions",
    });
  });
});

describe("cicd/token-permissions", () => {
  it("passes with top-level or per-job permissions, fails without or with write-all", async () => {
    expect((await detect("cicd/token-permissions", { [WF]: fixture("github/deploy.yml") })).status).toBe("pass");
    expect(
      (
        await detect("cicd/token-permissions", {
          [WF]: workflow("push", job("a", "    permissions: { contents: read }\n", ["run: make"])),
        })
      ).status,
    ).toBe("pass");
    expect(
      await detect("cicd/token-permissions", { [WF]: workflow("push", job("a", "", ["run: make"])) }),
    ).toMatchObject({ status: "fail", reasonId: "default-permissions" });
    const risky = fixture("github/risky.yml");
    expect(await detect("cicd/token-permissions", { [WF]: risky })).toMatchObject({
      status: "fail",
      reasonId: "write-all-permissions",
      evidence: [{ line: lineOf(risky, "write-all") }],
    });
  });
  it("is N/A without a GitHub Actions workflow", async () => {
    expect(await detect("cicd/token-permissions", { ".gitlab-ci.yml": "a:\n  script: [make]\n" })).toMatchObject({
      status: "na",
      reasonId: "no-github-actions",
    });
  });
});

describe("cicd/deploy-concurrency", () => {
  it("passes with a concurrency group or resource_group, fails without", async () => {
    expect((await detect("cicd/deploy-concurrency", { [WF]: fixture("github/deploy.yml") })).status).toBe("pass");
    expect(
      (await detect("cicd/deploy-concurrency", { ".gitlab-ci.yml": fixture("gitlab/.gitlab-ci.yml") })).status,
    ).toBe("pass");
    expect(
      await detect("cicd/deploy-concurrency", { [WF]: workflow("push", job("ship", "", ["run: flyctl deploy"])) }),
    ).toMatchObject({ status: "fail", reasonId: "concurrent-deploys" });
  });
});

describe("cicd/ci-caching", () => {
  it("passes with a cache and fails without", async () => {
    expect((await detect("cicd/ci-caching", { ".circleci/config.yml": fixture("circleci/config.yml") })).status).toBe(
      "pass",
    );
    expect(
      await detect("cicd/ci-caching", {
        [WF]: workflow("push", job("a", "", ["uses: actions/setup-node@v4", "run: npm ci"])),
      }),
    ).toMatchObject({ status: "fail", reasonId: "no-cache" });
  });
});

describe("cicd/job-timeouts", () => {
  it("passes when every long-default job is bounded, fails on the first unbounded one, N/A for short-default systems", async () => {
    expect((await detect("cicd/job-timeouts", { [WF]: fixture("github/deploy.yml") })).status).toBe("pass");
    expect((await detect("cicd/job-timeouts", { Jenkinsfile: fixture("jenkins/Jenkinsfile") })).status).toBe("pass");
    expect(
      await detect("cicd/job-timeouts", {
        [WF]: workflow("push", job("a", "    timeout-minutes: 5\n", ["run: make"]) + job("b", "", ["run: make"])),
      }),
    ).toMatchObject({
      status: "fail",
      reasonId: "job-without-timeout",
      evidence: [{ line: 8, note: "job b has no timeout" }],
    });
    expect(await detect("cicd/job-timeouts", { ".gitlab-ci.yml": "a:\n  script: [make]\n" })).toMatchObject({
      status: "na",
      reasonId: "no-long-default-timeout",
    });
  });
});

describe("end to end", () => {
  it("cicd/cd-deploy passes with evidence path and line, and meets the deploy_script milestone", async () => {
    const text = fixture("github/deploy.yml");
    const report = await scanFiles({ ".github/workflows/deploy.yml": text });
    const signal = signalOf(report, "cicd/cd-deploy");
    expect(signal.status).toBe("pass");
    expect(signal.evidence).toContainEqual(
      expect.objectContaining({ path: ".github/workflows/deploy.yml", line: lineOf(text, "kubectl apply") }),
    );
    const milestone = report.milestones.find((m) => m.id === "deploy_script")!;
    expect(milestone.status).toBe("pass");
  });

  it("a repository whose only deploy is commented out or echoed does not pass cicd/cd-deploy", async () => {
    const report = await scanFiles({ ".github/workflows/deploy.yml": fixture("github/fake-deploy.yml") });
    expect(signalOf(report, "cicd/cd-deploy")).toMatchObject({ status: "fail", reasonId: "no-delivery-job" });
    expect(signalOf(report, "cicd/deploy-approval")).toMatchObject({ status: "na", reasonId: "not-has-ci-deploy-job" });
  });

  it("scores every cicd signal on a well-kept repository", async () => {
    const report = await scanFiles({ ".github/workflows/deploy.yml": fixture("github/deploy.yml") });
    const cicd = report.tasks.find((t) => t.id === "cicd")!;
    expect(cicd.signals.filter((s) => s.status !== "pass").map((s) => s.id)).toEqual([]);
    expect(cicd.score).toBe(100);
  });
});

describe("cd-deploy through the repository's own scripts", () => {
  const wf = (run: string) => workflow("push", job("ship", "    environment: production\n", [`run: ${run}`]));
  it("passes when a step runs a script, Makefile target or npm script that deploys, with the CI line as evidence", async () => {
    const script = await detect("cicd/cd-deploy", {
      [WF]: wf("./scripts/deploy.sh production"),
      "scripts/deploy.sh": "#!/bin/sh\nset -eu\nhelm upgrade --install app ./chart\n",
    });
    expect(script).toMatchObject({
      status: "pass",
      evidence: [{ path: WF, line: 7, note: "./scripts/deploy.sh production (helm upgrade --install) in job ship" }],
    });
    const make = await detect("cicd/cd-deploy", {
      [WF]: wf("make deploy"),
      Makefile: "deploy:\n\tkubectl apply -f k8s/\n",
    });
    expect(make.status).toBe("pass");
    const npm = await detect("cicd/cd-deploy", {
      [WF]: wf("npm run release"),
      "package.json": '{"scripts":{"release":"semantic-release"}}',
    });
    expect(npm.status).toBe("pass");
    expect(
      (
        await detect("cicd/deploy-approval", {
          [WF]: wf("make deploy"),
          Makefile: "deploy:\n\tkubectl apply -f k8s/\n",
        })
      ).status,
    ).toBe("pass");
  });
  it("fails when the script only echoes, or the target does not deploy", async () => {
    expect(
      await detect("cicd/cd-deploy", {
        [WF]: wf("bash scripts/deploy.sh"),
        "scripts/deploy.sh": "#!/bin/sh\necho 'kubectl apply -f k8s'\n# helm upgrade app\n",
      }),
    ).toMatchObject({ status: "fail", reasonId: "no-delivery-job" });
    expect(
      await detect("cicd/cd-deploy", {
        [WF]: wf("make build"),
        Makefile: "build:\n\tgo build ./...\ndeploy:\n\tkubectl apply -f k8s/\n",
      }),
    ).toMatchObject({ status: "fail", reasonId: "no-delivery-job" });
  });
});

describe("ci-tests through the repository's own code", () => {
  const WF = ".github/workflows/test.yml";
  const wf = (run: string) =>
    `on: [pull_request]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: ${run}\n`;

  it("passes on a Makefile target, a script function and a script named for tests", async () => {
    const make = await detect("cicd/ci-tests", {
      [WF]: wf("make richtest"),
      Makefile: "richtest:\n\trichgo test -v ./...\n",
    });
    expect(make).toMatchObject({
      status: "pass",
      evidence: [{ line: 7, note: "make richtest (richgo test) in job test" }],
    });
    const dispatcher = await detect("cicd/ci-tests", {
      [WF]: wf("./scripts.sh test-backend"),
      "scripts.sh":
        '#!/bin/sh\ntest_backend() {\n  go test ./...\n}\ncase "$1" in test-backend) test_backend ;; esac\n',
    });
    expect(dispatcher.status).toBe("pass");
    const named = await detect("cicd/ci-tests", {
      [WF]: wf('IMAGE="app:${{ github.sha }}" ./test.sh'),
      "test.sh": "#!/bin/bash\nset -e\ndocker compose run --rm app ./manage.py check\n",
    });
    expect(named).toMatchObject({ status: "pass", evidence: [{ note: "./test.sh (test.sh) in job test" }] });
  });

  it("fails when the test-named script is not in the repository, or the target only builds", async () => {
    expect(await detect("cicd/ci-tests", { [WF]: wf("./test.sh") })).toMatchObject({
      status: "fail",
      reasonId: "no-test-command",
    });
    expect(
      await detect("cicd/ci-tests", {
        [WF]: wf("./scripts/contest.sh"),
        "scripts/contest.sh": "#!/bin/sh\necho hi\n",
      }),
    ).toMatchObject({ status: "fail", reasonId: "no-test-command" });
    expect(
      await detect("cicd/ci-tests", { [WF]: wf("make build"), Makefile: "build:\n\tgo build ./...\n" }),
    ).toMatchObject({ status: "fail", reasonId: "no-test-command" });
  });

  it("runs `make x` from the root in a CI step, not a sub-project's Makefile of the same target", async () => {
    const files = {
      [WF]: wf("make deploy"),
      Makefile: "deploy:\n\techo 'see docs'\n",
      "services/demo/Makefile": "deploy:\n\tkubectl apply -f k8s/\n",
    };
    expect(await detect("cicd/cd-deploy", files)).toMatchObject({ status: "fail", reasonId: "no-delivery-job" });
    expect((await detect("cicd/cd-deploy", { ...files, Makefile: "build:\n\tgo build\n" })).status).toBe("pass");
  });
});
