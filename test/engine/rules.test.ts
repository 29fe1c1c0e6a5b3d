// The rubric loader's cross-checks: every signal has a detector under its own id, every applies_if a condition.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/assets.js";
import { conditions, detectors } from "../../src/detectors/index.js";
import { loadRules, RulesError } from "../../src/engine/rules.js";

const known = { detectors: new Set(Object.keys(detectors)), conditions: new Set(Object.keys(conditions)) };
const real = (name: string) => readFileSync(`${PROJECT_ROOT}rules/${name}`, "utf8");

/** The bundled rules with rules/backups.yml edited. */
function loadWithBackups(edit: (text: string) => string) {
  return loadRules(known, (name) => (name === "backups.yml" ? edit(real(name)) : real(name)));
}

function errorsOf(load: () => unknown): string[] {
  try {
    load();
  } catch (err) {
    if (err instanceof RulesError) return err.errors.map((e) => `${e.path}: ${e.message}`);
    throw err;
  }
  return [];
}

describe("loadRules", () => {
  it("loads the bundled rubric: each signal's detector is found by the signal's id", () => {
    const rules = loadRules(known);
    for (const signal of rules.tasks.flatMap((t) => t.signals)) expect(detectors[signal.id], signal.id).toBeDefined();
    expect(rules.signal("backups/db-backups")?.appliesIf).toBe("has-datastore");
  });

  it("reports a signal that no detector implements", () => {
    const errors = errorsOf(() => loadWithBackups((t) => t.replace("- id: db-backups", "- id: db-backup")));
    expect(errors).toContain(
      'rules/backups.yml: signal "db-backup": no detector is registered for "backups/db-backup"',
    );
  });

  it("reports an unknown condition", () => {
    const errors = errorsOf(() =>
      loadWithBackups((t) => t.replace("applies_if: has-datastore", "applies_if: datastore-present")),
    );
    expect(errors).toContain('rules/backups.yml: signal "db-backups": unknown condition "datastore-present"');
  });

  it("refuses a separate detector: name (the signal id is the only one)", () => {
    const errors = errorsOf(() =>
      loadWithBackups((t) =>
        t.replace("  - id: auto-rollback\n", "  - id: auto-rollback\n    detector: rollback-automatic\n"),
      ),
    );
    expect(errors).toEqual(['rules/backups.yml: unknown key "detector" in signals.1']);
  });
});
