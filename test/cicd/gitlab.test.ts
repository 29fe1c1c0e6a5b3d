import { describe, expect, it } from "vitest";
import { analyze } from "../helpers.js";
import { fixture, lineOf } from "./support.js";

const FILE = ".gitlab-ci.yml";

describe("GitLab CI analyzer", () => {
  it("finds the jobs, not the keywords or hidden templates, and resolves merge keys", async () => {
    const text = fixture("gitlab/.gitlab-ci.yml");
    const { facts } = await analyze({ [FILE]: text });
    const [pipeline] = facts.all("ci");
    expect(pipeline!.jobs.map((j) => j.id)).toEqual([
      "test",
      "deploy_production",
      "stop_review",
      "old_deploy",
      "nightly_backup",
    ]);
    expect(pipeline!.timeout).toEqual({ line: lineOf(text, "timeout: 30m") });
    expect(pipeline!.cache).toEqual({ line: lineOf(text, "  cache:") });
    expect(pipeline!.includes).toEqual([
      { kind: "template", value: "Security/SAST.gitlab-ci.yml", line: lineOf(text, "template:") },
      { kind: "local", value: "ci/lint.yml", line: lineOf(text, "local:") },
    ]);
    expect(pipeline!.triggers).toMatchObject({ pullRequest: true, push: true });

    const deploy = pipeline!.jobs.find((j) => j.id === "deploy_production")!;
    expect(deploy).toMatchObject({
      environment: { name: "production", line: lineOf(text, "name: production") - 1 },
      manualApproval: true,
      deploys: [{ line: lineOf(text, "helm upgrade"), what: "helm upgrade --install" }],
    });
    expect(deploy.concurrency).toBeDefined(); // resource_group from the merged template
  });

  it("does not treat stop actions as environments, nor `when: never` jobs as runnable", async () => {
    const { facts } = await analyze({ [FILE]: fixture("gitlab/.gitlab-ci.yml") });
    const jobs = facts.all("ci")[0]!.jobs;
    expect(jobs.find((j) => j.id === "stop_review")!.environment).toBeUndefined();
    expect(jobs.find((j) => j.id === "old_deploy")!.disabled).toBe(true);
    expect(facts.all("command").some((c) => c.unit === "old_deploy")).toBe(false);
  });

  it("emits script lines at their file lines and marks schedule-only jobs", async () => {
    const text = fixture("gitlab/.gitlab-ci.yml");
    const { facts } = await analyze({ [FILE]: text });
    const commands = facts.all("command");
    expect(commands.find((c) => c.argv[0] === "npm" && c.argv[1] === "test")).toMatchObject({
      line: lineOf(text, "- npm test"),
      unit: "test",
    });
    expect(commands.find((c) => c.argv[0] === "pg_dump")).toMatchObject({
      line: lineOf(text, "pg_dump"),
      unit: "nightly_backup",
      schedule: "scheduled",
    });
    expect(commands.find((c) => c.argv[0] === "npm")!.schedule).toBeUndefined();
  });

  it("applies extends and !reference", async () => {
    const text = [
      ".setup:",
      "  script:",
      "    - kubectl apply -f k8s/",
      ".base:",
      "  environment: staging",
      "",
      "deploy:",
      "  extends: .base",
      "  script:",
      "    - !reference [.setup, script]",
      "    - echo done",
      "",
    ].join("\n");
    const { facts } = await analyze({ [FILE]: text });
    const [job] = facts.all("ci")[0]!.jobs;
    expect(job).toMatchObject({ id: "deploy", environment: { name: "staging" }, deploys: [{ what: "kubectl apply" }] });
  });

  it("reads workflow rules that exclude merge requests", async () => {
    const text =
      "workflow:\n  rules:\n    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH\n    - if: $CI_COMMIT_TAG\ntest:\n  script: [make test]\n";
    const { facts } = await analyze({ [FILE]: text });
    expect(facts.all("ci")[0]!.triggers).toMatchObject({ pullRequest: false, tags: true, line: 1 });
  });

  it("reports malformed YAML with its line", async () => {
    const { findings, facts } = await analyze({ [FILE]: "test:\n  script:\n    - make\n  bad: [\n" });
    expect(findings.map((f) => f.rule)).toContain("ci/parse-error");
    expect(facts.all("ci")).toEqual([]);
  });
});
