import { describe, expect, it } from "vitest";
import { analyze, detect, readFolder } from "../helpers.js";
import { lineOf } from "./support.js";

const repo = readFolder(new URL("../../fixtures/ci/concourse/", import.meta.url).pathname);
const text = repo["ci/pipeline.yml"]!;

describe("Concourse analyzer", () => {
  it("takes triggering gets for the pipeline's triggers: commits, pull requests, a time resource", async () => {
    const { facts } = await analyze({ "ci/pipeline.yml": text });
    const [pipeline] = facts.all("ci");
    expect(pipeline).toMatchObject({
      system: "concourse",
      triggers: { push: true, pullRequest: true, manual: true, schedule: ["every 24h"] },
    });
    expect(pipeline!.jobs.map((j) => j.id)).toEqual(["test", "deploy-staging", "plan-infra", "ship-production"]);
  });

  it("reads inline task scripts, deploying puts, and jobs only a person starts", async () => {
    const { facts } = await analyze({ "ci/pipeline.yml": text });
    const [test, staging, plan, production] = facts.all("ci")[0]!.jobs;
    expect(test).toMatchObject({
      tests: [{ line: lineOf(text, "npm test"), what: "npm test" }],
      timeoutLine: lineOf(text, "timeout: 20m"),
    });
    expect(staging).toMatchObject({
      needs: ["test"],
      concurrency: { line: lineOf(text, "serial: true") },
      deploys: [{ what: "put staging-chart (helm upgrade)" }],
    });
    expect(staging!.manualApproval).toBeUndefined();
    expect(plan!.deploys).toBeUndefined(); // plan_only
    expect(production).toMatchObject({
      manualApproval: true,
      deploys: [{ line: lineOf(text, "- put: prod-cf"), what: "put prod-cf (Cloud Foundry push)" }],
    });
  });

  it("reports a pipeline that is not valid YAML, and leaves task files and other YAML alone", async () => {
    const { facts, findings } = await analyze(repo);
    expect(facts.all("ci").map((p) => p.path)).toEqual(["ci/pipeline.yml"]);
    expect(findings.filter((f) => f.rule === "ci/parse-error").map((f) => f.path)).toEqual(["ci/broken-pipeline.yml"]);
  });

  it("passes deploy-approval only when every deploying job waits for a person", async () => {
    const result = await detect("cicd/deploy-approval", { "ci/pipeline.yml": text });
    expect(result).toMatchObject({ status: "fail", reasonId: "unguarded-deploy" });
    expect(result.reason).toContain("deploy-staging");
  });
});
