import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readMarkdown } from "../../src/analyzers/repo/markdown.js";
import { coordinationDetectors } from "../../src/detectors/coordination.js";
import { defaultRules } from "../../src/engine/index.js";

describe("rules/coordination.yml and docs/rules/coordination.md", () => {
  const rules = defaultRules();
  const task = rules.tasks.find((t) => t.id === "coordination")!;
  const doc = readFileSync(new URL("../../docs/rules/coordination.md", import.meta.url), "utf8");
  const blocks = readMarkdown(doc).blocks;
  const sections = new Map<string, string>();
  blocks.forEach((b, i) => {
    if (b.kind !== "heading" || b.depth !== 2) return;
    const next = blocks.findIndex((n, j) => j > i && n.kind === "heading" && n.depth <= 2);
    const body = blocks.slice(i + 1, next < 0 ? undefined : next);
    sections.set(b.text, body.map((n) => ("text" in n ? n.text : "")).join("\n"));
  });

  it("keeps the codeowners signal id and finds every detector in this task's module", () => {
    expect(task.signals.map((s) => s.id)).toContain("coordination/codeowners");
    for (const signal of task.signals) expect(Object.keys(coordinationDetectors)).toContain(signal.id);
  });

  it("gives every signal a weight of 1–5, an example and a documented section: why, what counts, what does not, fix, example", () => {
    for (const signal of task.signals) {
      const name = signal.id.slice("coordination/".length);
      expect(signal.weight).toBeGreaterThanOrEqual(1);
      expect(signal.weight).toBeLessThanOrEqual(5);
      expect(signal.example, signal.id).toBeTruthy();
      expect(signal.docs).toBe(`docs/rules/coordination.md#${name}`);
      const section = sections.get(name);
      expect(section, name).toBeDefined();
      for (const part of ["Why.", "What counts.", "What does not.", "Fix.", "Example."])
        expect(section, `${name}: ${part}`).toContain(part);
    }
  });
});
