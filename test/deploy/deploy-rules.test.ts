// rules/deploy.yml keeps the ids the milestones name (docs sections: test/engine/rubric.test.ts).
import { describe, expect, it } from "vitest";
import { defaultRules } from "../../src/engine/index.js";

describe("rules/deploy.yml", () => {
  const rules = defaultRules();
  const task = rules.tasks.find((t) => t.id === "deploy")!;

  it("keeps the signal ids the Senior milestones name", () => {
    const milestones = rules.levels
      .flatMap((l) => l.milestones)
      .filter((m) => m.id === "deploy_script" || m.id === "deploy_docs");
    for (const id of ["deploy/deploy-script", "deploy/platform-config", "deploy/deploy-docs"]) {
      expect(task.signals.map((s) => s.id)).toContain(id);
      expect(milestones.flatMap((m) => m.signals)).toContain(id);
    }
  });
});
