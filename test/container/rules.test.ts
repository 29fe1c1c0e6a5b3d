// rules/docker.yml and docs/rules/docker.md agree: every signal has its docs section, link, example and condition.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { defaultRules } from "../../src/engine/index.js";

const rules = defaultRules();
const docker = rules.tasks.find((t) => t.id === "docker")!;
const headings = readFileSync(new URL("../../docs/rules/docker.md", import.meta.url), "utf8")
  .split("\n")
  .filter((line) => line.startsWith("## "))
  .map((line) => line.slice(3).trim());

describe("rules/docker.yml", () => {
  it("keeps non-root-user, which the Lead milestone security_hardening names", () => {
    const milestone = rules.levels.flatMap((l) => l.milestones).find((m) => m.id === "security_hardening")!;
    expect(milestone.signals).toContain("docker/non-root-user");
    expect(docker.signals.map((s) => s.id)).toContain("docker/non-root-user");
  });

  it.each(docker.signals.map((s) => [s.id, s] as const))(
    "%s has a docs section, an example and weight 1-5",
    (id, signal) => {
      const name = id.slice("docker/".length);
      expect(signal.docs).toBe(`docs/rules/docker.md#${name}`);
      expect(headings).toContain(name);
      expect(signal.example).toBeTruthy();
      expect(signal.weight).toBeGreaterThanOrEqual(1);
      expect(signal.weight).toBeLessThanOrEqual(5);
    },
  );

  it("every signal that needs a Dockerfile is conditioned on the repository building containers", () => {
    const unconditioned = docker.signals.filter((s) => !s.appliesIf).map((s) => s.id);
    expect(unconditioned).toEqual(["docker/dockerfile", "docker/compose-file"]);
    expect(docker.signals.filter((s) => s.appliesIf).every((s) => s.appliesIf === "builds-containers")).toBe(true);
  });
});
