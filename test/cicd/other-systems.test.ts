import { describe, expect, it } from "vitest";
import { analyze, readFolder } from "../helpers.js";
import { fixture, lineOf } from "./support.js";

describe("CircleCI analyzer", () => {
  it("gates jobs behind approval jobs and turns orb jobs into jobs", async () => {
    const text = fixture("circleci/config.yml");
    const { facts } = await analyze({ ".circleci/config.yml": text });
    const [pipeline] = facts.all("ci");
    expect(pipeline!.jobs.map((j) => j.id)).toEqual(["test", "deploy", "aws-ecs/deploy-service-update"]);
    const [test, deploy, orb] = pipeline!.jobs;
    expect(test).toMatchObject({ cache: true, tests: [{ line: lineOf(text, "npm test"), what: "npm test" }] });
    expect(test!.manualApproval).toBeUndefined();
    expect(deploy).toMatchObject({
      manualApproval: true,
      approvalLine: lineOf(text, "- hold:"),
      deploys: [{ line: lineOf(text, "flyctl deploy"), what: "flyctl deploy" }],
    });
    expect(orb).toMatchObject({
      calls: "aws-ecs/deploy-service-update",
      deploys: [{ what: "aws-ecs/deploy-service-update" }],
    });
    expect(orb!.manualApproval).toBeUndefined();
    expect(pipeline!.triggers.pullRequest).toBe(true);
  });

  it("keeps << pipeline >> parameters out of the shell parser", async () => {
    const { facts, findings } = await analyze({ ".circleci/config.yml": fixture("circleci/config.yml") });
    expect(findings.filter((f) => f.rule === "ci/shell-syntax-error")).toEqual([]);
    expect(facts.all("command").find((c) => c.argv[0] === "flyctl")!.argv).toContain(
      "registry.fly.io/app:<< pipeline.git.revision >>",
    );
  });

  it("marks jobs of scheduled workflows, and leaves unreferenced jobs out", async () => {
    const text =
      "version: 2.1\njobs:\n  backup:\n    docker: [{ image: x }]\n    steps:\n" +
      "      - run: pg_dump db > d.sql\n  unused:\n    docker: [{ image: x }]\n" +
      "    steps: [{ run: kubectl apply -f k8s }]\nworkflows:\n  nightly:\n    triggers:\n" +
      '      - schedule:\n          cron: "0 1 * * *"\n' +
      "          filters: { branches: { only: main } }\n    jobs: [backup]\n";
    const { facts } = await analyze({ ".circleci/config.yml": text });
    expect(facts.all("ci")[0]!.jobs.map((j) => j.id)).toEqual(["backup"]);
    expect(facts.all("command")).toMatchObject([{ argv: ["pg_dump", "db"], schedule: "0 1 * * *", line: 6 }]);
  });
});

describe("Azure Pipelines analyzer", () => {
  it("reads stages, deployment jobs with environments, tasks and scripts", async () => {
    const text = fixture("azure/azure-pipelines.yml");
    const { facts } = await analyze({ "azure-pipelines.yml": text });
    const [pipeline] = facts.all("ci");
    expect(pipeline!.triggers).toMatchObject({ pullRequest: true, push: true, schedule: ["0 3 * * *"] });
    const [test, deploy] = pipeline!.jobs;
    expect(test).toMatchObject({ id: "test", cache: true, timeoutMinutes: 20 });
    expect(test!.tests!.map((t) => t.what)).toEqual(["npm test", "dotnet test task"]);
    expect(test!.tests![0]!.line).toBe(lineOf(text, "npm test"));
    expect(deploy).toMatchObject({
      id: "deploy_web",
      environment: { name: "production", line: lineOf(text, "environment: production") },
      deploys: [{ line: lineOf(text, "- task: HelmDeploy"), what: "HelmDeploy task" }],
    });
    expect(facts.all("command").find((c) => c.argv[0] === "kubectl")).toMatchObject({
      line: lineOf(text, "kubectl rollout"),
      unit: "deploy_web",
    });
  });

  it("honours `pr: none` and disabled steps", async () => {
    const { facts } = await analyze({
      "azure-pipelines.yml":
        "pr: none\nsteps:\n  - script: kubectl apply -f k8s\n    enabled: false\n  - script: make test\n",
    });
    const [pipeline] = facts.all("ci");
    expect(pipeline!.triggers.pullRequest).toBe(false);
    expect(pipeline!.jobs[0]!.deploys).toBeUndefined();
    expect(pipeline!.jobs[0]!.tests).toMatchObject([{ what: "make test", line: 5 }]);
  });
});

describe("Azure Pipelines at other paths", () => {
  const repo = readFolder(new URL("../../fixtures/ci/azure-paths/", import.meta.url).pathname);

  it("reads a pipeline-shaped file in .azdo/pipelines, and not other tools' YAML in a pipelines folder", async () => {
    const { facts, findings } = await analyze(repo);
    const paths = facts
      .all("ci")
      .filter((p) => p.system === "azure-pipelines")
      .map((p) => p.path)
      .sort();
    expect(paths).toEqual([
      ".azdo/pipelines/deploy.yml",
      ".azdo/pipelines/preview.yml",
      ".azdo/pipelines/templates/test-steps.yml",
    ]);
    expect(findings.filter((f) => f.path.startsWith("pipelines/"))).toEqual([]);
    const deploy = facts.all("ci").find((p) => p.path === ".azdo/pipelines/deploy.yml")!;
    expect(deploy.triggers).toMatchObject({ push: true, pullRequest: true });
    expect(deploy.jobs[0]!.deploys!.map((d) => d.what)).toEqual(["azd provision", "azd deploy"]);
  });

  it("runs a template only where it is included, and takes azd --preview for no deploy", async () => {
    const { facts } = await analyze(repo);
    const template = facts.all("ci").find((p) => p.path.endsWith("test-steps.yml"))!;
    expect(template.triggers).toMatchObject({ push: false, pullRequest: false });
    expect(template.jobs[0]!.tests).toMatchObject([{ what: "npm test" }]);
    const preview = facts.all("ci").find((p) => p.path.endsWith("preview.yml"))!;
    expect(preview.jobs[0]!.deploys).toBeUndefined();
  });

  it("still reports a broken azure-pipelines.yml, wherever it is", async () => {
    const { findings } = await analyze({ "ci/azure-pipelines.release.yml": "steps:\n  - script: [\n" });
    expect(findings.map((f) => f.rule)).toContain("ci/parse-error");
    const quiet = await analyze({ ".azdo/pipelines/broken.yml": "steps:\n  - script: [\n" });
    expect(quiet.findings).toEqual([]);
  });
});

describe("Travis analyzer", () => {
  it("reads phases and the deploy provider", async () => {
    const text = fixture("travis/.travis.yml");
    const { facts } = await analyze({ ".travis.yml": text });
    const [pipeline] = facts.all("ci");
    expect(pipeline!.cache).toEqual({ line: lineOf(text, "cache:") });
    expect(pipeline!.jobs[0]).toMatchObject({
      tests: [{ line: lineOf(text, "pytest"), what: "pytest" }],
      deploys: [{ line: lineOf(text, "provider:"), what: "Travis deploy provider heroku" }],
    });
  });
});

describe("Bitbucket analyzer", () => {
  it("reads sections, deployments, manual triggers and pipes", async () => {
    const text = fixture("bitbucket/bitbucket-pipelines.yml");
    const { facts } = await analyze({ "bitbucket-pipelines.yml": text });
    const [pipeline] = facts.all("ci");
    expect(pipeline!.triggers).toMatchObject({ pullRequest: true, push: true });
    expect(pipeline!.timeout).toEqual({ line: lineOf(text, "max-time") });
    expect(pipeline!.jobs.map((j) => j.id)).toEqual([
      "pull-requests:**:Test",
      "branches:main:Test",
      "branches:main:Deploy",
    ]);
    const deploy = pipeline!.jobs[2]!;
    expect(deploy).toMatchObject({
      environment: { name: "production" },
      manualApproval: true,
      approvalLine: lineOf(text, "trigger: manual"),
      deploys: [{ line: lineOf(text, "- pipe:"), what: "atlassian/aws-ecs-deploy" }],
    });
    expect(pipeline!.jobs[0]!.cache).toBe(true);
  });
});

describe("Drone analyzer", () => {
  it("reads each pipeline document; promote pipelines are manual, with a target", async () => {
    const text = fixture("drone/.drone.yml");
    const { facts } = await analyze({ ".drone.yml": text });
    const [test, deploy] = facts.all("ci");
    expect(test!.triggers).toMatchObject({ pullRequest: true, push: true });
    expect(test!.jobs[0]!.tests).toEqual([{ line: lineOf(text, "go test"), what: "go test" }]);
    expect(deploy!.triggers).toMatchObject({ pullRequest: false, push: false, manual: true });
    expect(deploy!.jobs[0]).toMatchObject({
      manualApproval: true,
      environment: { name: "production" },
      concurrency: { line: lineOf(text, "concurrency:") },
      deploys: [{ line: lineOf(text, "- name: helm"), what: "pelotech/drone-helm3" }],
    });
  });

  it("takes `compose up -d` on the host's Docker socket for a deploy, and a draft release for none", async () => {
    const text = [
      "kind: pipeline",
      "name: deploy",
      "steps:",
      "  - name: up",
      "    image: docker:cli",
      "    volumes: [{ name: sock, path: /var/run/docker.sock }]",
      "    commands: [docker compose up -d --build]",
      "  - name: tests",
      "    image: docker:cli",
      "    commands: [docker compose up -d db, npm test]",
      "  - name: release",
      "    image: plugins/github-release",
      "    settings: { draft: true, files: dist/* }",
      "volumes: [{ name: sock, host: { path: /var/run/docker.sock } }]",
      "",
    ].join("\n");
    const { facts } = await analyze({ ".drone.yml": text });
    const [job] = facts.all("ci")[0]!.jobs;
    expect(job!.deploys).toEqual([{ line: 7, what: "docker compose up -d on the host's Docker engine" }]);
    expect(job!.publishes).toBeUndefined();
  });
});

describe("Buildkite analyzer", () => {
  it("gates the steps after a block step", async () => {
    const text = fixture("buildkite/pipeline.yml");
    const { facts } = await analyze({ ".buildkite/pipeline.yml": text });
    const [test, deploy] = facts.all("ci")[0]!.jobs;
    expect(test).toMatchObject({
      id: "test",
      timeoutLine: lineOf(text, "timeout_in_minutes: 20"),
      tests: [{ what: "make test" }],
    });
    expect(test!.manualApproval).toBeUndefined();
    expect(deploy).toMatchObject({
      id: "deploy",
      manualApproval: true,
      approvalLine: lineOf(text, "- block:"),
      concurrency: { line: lineOf(text, "concurrency: 1") },
      deploys: [{ line: lineOf(text, "cap production deploy"), what: "cap deploy" }],
    });
  });
});

describe("every CI analyzer survives bad input", () => {
  const files = [
    ".circleci/config.yml",
    "azure-pipelines.yml",
    ".travis.yml",
    "bitbucket-pipelines.yml",
    ".drone.yml",
    ".buildkite/pipeline.yml",
    ".gitlab-ci.yml",
  ];
  it.each(files)("%s: malformed YAML is a parse finding", async (path) => {
    const { findings } = await analyze({ [path]: "a: [1, 2\nb: {\n" });
    expect(findings.map((f) => f.rule)).toContain("ci/parse-error");
    expect(findings.find((f) => f.rule === "ci/parse-error")!.path).toBe(path);
  });
  it.each(files)("%s: wrong types are tolerated", async (path) => {
    const { findings } = await analyze({
      [path]:
        "jobs: 5\nsteps: 3\npipelines: { default: 7, branches: [1] }\n" +
        "workflows: { w: { jobs: [1, { x: 2 }] } }\nscript: {}\ndeploy: 3\ntrigger: 9\n",
    });
    expect(findings.filter((f) => f.rule === "scan/analyzer-error")).toEqual([]);
  });
  it.each(files)("%s: an empty file is a finding", async (path) => {
    const { findings } = await analyze({ [path]: "" });
    expect(findings.map((f) => f.rule)).toEqual(["ci/invalid-config"]);
  });
});
