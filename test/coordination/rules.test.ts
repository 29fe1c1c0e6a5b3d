// rules/coordination.yml keeps the codeowners id; its detectors live in the task's module
// (docs sections: test/engine/rubric.test.ts).
import { describe, expect, it } from "vitest";
import { coordinationDetectors } from "../../src/detectors/coordination.js";
import { defaultRules } from "../../src/engine/index.js";

describe("rules/coordination.yml", () => {
  const rules = defaultRules();
  const task = rules.tasks.find((t) => t.id === "coordination")!;

  it("keeps the codeowners signal id and finds every detector in this task's module", () => {
    expect(task.signals.map((s) => s.id)).toContain("coordination/codeowners");
    for (const signal of task.signals) expect(Object.keys(coordinationDetectors)).toContain(signal.id);
  });
});
