import { describe, expect, it } from "vitest";
import { analyze, detect } from "../helpers.js";
import { fixture, lineOf } from "./support.js";

const jobs = async (path: string, text: string) => {
  const { facts, findings } = await analyze({ [path]: text });
  return { pipeline: facts.all("ci")[0], facts, findings };
};

describe("Woodpecker analyzer", () => {
  it("reads list-form steps, each with the events its `when:` and the workflow's both accept", async () => {
    const text = fixture("woodpecker/list-form.yml");
    const { pipeline } = await jobs(".woodpecker.yml", text);
    expect(pipeline).toMatchObject({ system: "woodpecker", triggers: { push: true, pullRequest: true, tags: true } });
    const byId = Object.fromEntries(pipeline!.jobs.map((j) => [j.id, j]));
    expect(byId.test!.tests).toEqual([{ line: lineOf(text, "npm test"), what: "npm test" }]);
    expect(byId["deploy-staging"]!.deploys).toEqual([
      { line: lineOf(text, "shop-staging up -d"), what: "docker compose up -d on the host's Docker engine" },
    ]);
    expect(byId["deploy-production"]!.deploys).toHaveLength(1);
    expect(byId["deploy-production"]!.condition).toBe("event: tag");
    // cron is outside the workflow's events; `evaluate: "false"` never matches
    expect(byId["nightly-apply"]).toMatchObject({ disabled: true });
    expect(byId["old-deploy"]).toMatchObject({ disabled: true });
    expect(byId["nightly-apply"]!.deploys).toBeUndefined();
  });

  it("emits no commands for steps that never run, and unescapes `$$`", async () => {
    const { facts } = await jobs(".woodpecker.yml", fixture("woodpecker/list-form.yml"));
    const commands = facts.all("command");
    expect(commands.some((c) => c.argv[0] === "kubectl")).toBe(false);
    expect(commands.find((c) => c.unit === "release-notes")!.argv[1]).toBe('"tag ${CI_COMMIT_TAG:-none}"');
  });

  it("reads map-form steps with YAML anchors, on pull requests only", async () => {
    const text = fixture("woodpecker/map-form.yaml");
    const { pipeline } = await jobs(".woodpecker/test.yaml", text);
    expect(pipeline!.triggers).toMatchObject({ pullRequest: true, push: false, tags: false });
    expect(pipeline!.jobs.map((j) => j.id)).toEqual(["lint", "test"]);
    expect(pipeline!.jobs[1]!.tests).toMatchObject([{ what: "mix test" }]);
  });

  it("reads the pre-1.0 `pipeline:` map and warns that current Woodpecker rejects it", async () => {
    const text = fixture("woodpecker/legacy.yml");
    const { pipeline, findings } = await jobs(".woodpecker.yml", text);
    expect(findings).toMatchObject([{ rule: "ci/deprecated-syntax", line: lineOf(text, "pipeline:") }]);
    expect(pipeline!.jobs.map((j) => j.id)).toEqual(["test", "deploy"]);
    expect(pipeline!.jobs[0]!.tests).toMatchObject([{ what: "pytest" }]);
    // `down` comes before `up -d`: the new version is left running
    expect(pipeline!.jobs[1]!.deploys).toMatchObject([{ line: lineOf(text, "up -d --build") }]);
  });

  it("does not read a file without top-level steps as a pipeline", async () => {
    const { pipeline, findings } = await jobs(".woodpecker.yml", fixture("woodpecker/no-steps.yml"));
    expect(pipeline).toBeUndefined();
    expect(findings).toMatchObject([{ rule: "ci/invalid-config" }]);
  });

  it("does not take services a test harness starts and tears down for a deploy", async () => {
    const { pipeline } = await jobs(".woodpecker/integration.yml", fixture("woodpecker/harness.yml"));
    expect(pipeline!.jobs[0]!.deploys).toBeUndefined();
  });

  it("takes deployment events as a person's promotion to an environment, and cron steps as scheduled", async () => {
    const text = fixture("woodpecker/promote.yml");
    const { pipeline, facts } = await jobs(".woodpecker/deploy.yml", text);
    expect(pipeline!.triggers).toMatchObject({ manual: true, push: false, schedule: ["cron nightly-backup"] });
    const [helm, ssh, dump] = pipeline!.jobs;
    expect(helm).toMatchObject({
      manualApproval: true,
      environment: { name: "production" },
      deploys: [{ what: "helm upgrade --install" }],
    });
    expect(ssh).toMatchObject({ manualApproval: true, deploys: [{ what: "ssh: fetch and systemctl restart" }] });
    expect(dump!.manualApproval).toBeUndefined();
    expect(facts.all("command").find((c) => c.argv[0] === "pg_dump")).toMatchObject({ schedule: "scheduled" });
  });

  it("reports invalid YAML as a parse error", async () => {
    const { findings } = await jobs(".woodpecker.yml", "steps:\n  - name: a\n\tcommands: [x]\n");
    expect(findings.map((f) => f.rule)).toContain("ci/parse-error");
  });

  it("passes the CI signals on a Woodpecker-only repository", async () => {
    const files = { ".woodpecker.yml": fixture("woodpecker/list-form.yml") };
    expect((await detect("cicd/ci-pipeline", files)).status).toBe("pass");
    expect((await detect("cicd/ci-tests", files)).status).toBe("pass");
    expect((await detect("cicd/cd-deploy", files)).status).toBe("pass");
    expect((await detect("cicd/pull-request-checks", files)).status).toBe("pass");
  });
});
