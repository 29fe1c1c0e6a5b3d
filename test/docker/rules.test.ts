// rules/docker.yml: the milestone's signal and the conditions (docs sections: test/engine/rubric.test.ts).
import { describe, expect, it } from "vitest";
import { defaultRules } from "../../src/engine/index.js";

const rules = defaultRules();
const docker = rules.tasks.find((t) => t.id === "docker")!;

describe("rules/docker.yml", () => {
  it("keeps non-root-user, which the Lead milestone security_hardening names", () => {
    const milestone = rules.levels.flatMap((l) => l.milestones).find((m) => m.id === "security_hardening")!;
    expect(milestone.signals).toContain("docker/non-root-user");
    expect(docker.signals.map((s) => s.id)).toContain("docker/non-root-user");
  });

  it("every signal that needs a Dockerfile is conditioned on the repository building containers", () => {
    const unconditioned = docker.signals.filter((s) => !s.appliesIf).map((s) => s.id);
    expect(unconditioned).toEqual(["docker/dockerfile", "docker/compose-file"]);
    expect(docker.signals.filter((s) => s.appliesIf).every((s) => s.appliesIf === "builds-containers")).toBe(true);
  });
});
