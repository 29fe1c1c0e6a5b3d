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

describe("loadRules: errors at their line", () => {
  const linesOf = (load: () => unknown) => {
    try {
      load();
    } catch (err) {
      if (err instanceof RulesError) return err.errors.map((e) => `${e.path}:${e.line}: ${e.message}`);
      throw err;
    }
    return [];
  };
  const lineOf = (text: string, needle: string) => text.split("\n").findIndex((l) => l.includes(needle)) + 1;

  it("a signal without a detector and an unknown condition point at their keys", () => {
    const text = real("backups.yml")
      .replace("- id: restore-tested", "- id: restore-test")
      .replace(
        "applies_if: has-datastore\n    remediation: >-\n      Prove",
        "applies_if: nope\n    remediation: >-\n      Prove",
      );
    const errors = linesOf(() => loadWithBackups(() => text));
    expect(errors).toEqual([
      `rules/backups.yml:${lineOf(text, "- id: restore-test")}: signal "restore-test": no detector is registered for ` +
        `"backups/restore-test"`,
      `rules/backups.yml:${lineOf(text, "applies_if: nope")}: signal "restore-test": unknown condition "nope"`,
    ]);
    expect(lineOf(text, "applies_if: nope")).toBeGreaterThan(lineOf(text, "- id: restore-test"));
  });

  it("a milestone that names an unknown signal points at the name in rules/levels.yml", () => {
    const levels = real("levels.yml").replace("backups/db-backups", "backups/db-backupz");
    const errors = linesOf(() => loadRules(known, (name) => (name === "levels.yml" ? levels : real(name))));
    expect(errors).toEqual([
      `rules/levels.yml:${lineOf(levels, "backups/db-backupz")}: milestone "db_backups" names unknown signal ` +
        `"backups/db-backupz"`,
    ]);
  });

  it("a duplicate signal id points at the second one", () => {
    const text = real("backups.yml").replace("- id: restore-docs", "- id: restore-tested");
    const errors = linesOf(() => loadWithBackups(() => text));
    const second = text.split("\n").lastIndexOf("  - id: restore-tested") + 1;
    expect(second).toBeGreaterThan(lineOf(text, "- id: restore-tested"));
    expect(errors).toContainEqual(`rules/backups.yml:${second}: signals[3]: duplicate id "restore-tested"`);
  });
});
