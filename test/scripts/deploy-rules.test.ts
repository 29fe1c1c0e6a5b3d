import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { deployDetectors } from "../../src/detectors/deploy.js";
import { defaultRules } from "../../src/engine/index.js";

describe("rules/deploy.yml", () => {
  const rules = defaultRules();
  const task = rules.tasks.find((t) => t.id === "deploy")!;
  const doc = readFileSync(new URL("../../docs/rules/deploy.md", import.meta.url), "utf8");

  it("keeps the signal ids the Senior milestones name", () => {
    const milestones = rules.levels
      .flatMap((l) => l.milestones)
      .filter((m) => m.id === "deploy_script" || m.id === "deploy_docs");
    for (const id of ["deploy/deploy-script", "deploy/platform-config", "deploy/deploy-docs"]) {
      expect(task.signals.map((s) => s.id)).toContain(id);
      expect(milestones.flatMap((m) => m.signals)).toContain(id);
    }
  });

  it("gives every signal a detector in the deploy module, an example and a docs section of its own", () => {
    for (const signal of task.signals) {
      const name = signal.id.slice("deploy/".length);
      expect(Object.keys(deployDetectors)).toContain(signal.id);
      expect(signal.example, signal.id).toBeTruthy();
      expect(signal.docs).toBe(`docs/rules/deploy.md#${name}`);
      expect(doc).toContain(`\n## ${name}\n`);
    }
  });
});
