import { describe, expect, it } from "vitest";
import { analyze, readFolder } from "../helpers.js";
import { lineOf } from "./support.js";

const repo = readFolder(new URL("../../fixtures/ci/buildkite-dynamic/", import.meta.url).pathname);

describe("Buildkite pipelines printed by a script", () => {
  it("reads the here-documents a .buildkite script prints as one pipeline, at their lines", async () => {
    const text = repo[".buildkite/pipeline.sh"]!;
    const { facts } = await analyze(repo);
    const generated = facts.all("ci").find((p) => p.path === ".buildkite/pipeline.sh");
    expect(generated).toMatchObject({ system: "buildkite", triggers: { push: true, pullRequest: true } });
    expect(generated!.jobs.map((j) => j.id)).toEqual([
      "unit-test",
      ":shield: Scan",
      ":package: Publish image",
      ":github: Release",
    ]);
    const release = generated!.jobs[3]!;
    expect(release).toMatchObject({ manualApproval: true, approvalLine: lineOf(text, "- block:") });
    expect(generated!.jobs[0]!.manualApproval).toBeUndefined();
    expect(
      facts
        .all("command")
        .find((c) => c.path === ".buildkite/pipeline.sh" && c.origin === "ci" && c.argv[0] === "make"),
    ).toMatchObject({
      line: lineOf(text, '"make ci-test"'),
      unit: "unit-test",
    });
  });

  it("leaves out here-documents written to a file, and scripts that print no pipeline", async () => {
    const { facts } = await analyze(repo);
    const ci = facts.all("command").filter((c) => c.origin === "ci");
    expect(ci.some((c) => c.argv[0] === "kubectl")).toBe(false);
    expect(facts.all("ci").some((p) => p.path === ".buildkite/hooks.sh")).toBe(false);
  });

  it("does not read a script whose here-documents are not YAML, nor report it", async () => {
    const { facts, findings } = await analyze({
      ".buildkite/notify.sh": "#!/bin/sh\ncat <<EOF\n: not: yaml: [\nEOF\n",
    });
    expect(facts.all("ci")).toEqual([]);
    expect(findings.filter((f) => f.rule.startsWith("ci/"))).toEqual([]);
  });
});

describe("what Buildkite steps run through the agent's PATH", () => {
  it("follows a bare script name to the repository's only script of that name", async () => {
    const { detect } = await import("../helpers.js");
    const deploy = await detect("cicd/cd-deploy", repo);
    expect(deploy).toMatchObject({
      status: "pass",
      evidence: [{ path: ".buildkite/pipeline.sh", note: "release.sh (gh release create) in job :github: Release" }],
    });
    // an image push (make ci-publish) is not a release
    expect(deploy.evidence).toHaveLength(1);
  });
});
