// The rules the build prebuilds (dist/rules.json, src/engine/prebuilt-rules.ts) are the rules loadRules validates
// from YAML, and are used only while every text they came from reads the same.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/assets.js";
import { defaultParts, knownIds } from "../../src/engine/default-parts.js";
import { parsePrebuiltRules, prebuiltRulesText, RULE_SOURCES } from "../../src/engine/prebuilt-rules.js";
import { loadRules } from "../../src/engine/rules.js";
import { scanSnapshot } from "../../src/engine/scan.js";
import { memorySnapshot } from "../../src/engine/snapshot.js";
import { renderRules } from "../../src/report/rules.js";
import { readFolder } from "../helpers.js";

/** A rule source; the loader is src/engine/rules.ts here, where the build reads its compiled dist/engine/rules.js. */
const read = (path: string) => readFileSync(`${PROJECT_ROOT}${path.replace(/^src\/(.*)\.js$/, "src/$1.ts")}`, "utf8");
const fromYaml = loadRules(knownIds());

describe("prebuilt rules", () => {
  it("are the rules loadRules validates from YAML", () => {
    const prebuilt = parsePrebuiltRules(prebuiltRulesText(fromYaml, read), read)!;
    expect(prebuilt.tasks).toEqual(fromYaml.tasks);
    expect(prebuilt.levels).toEqual(fromYaml.levels);
    for (const signal of fromYaml.tasks.flatMap((t) => t.signals))
      expect(prebuilt.signal(signal.id), signal.id).toEqual(signal);
    expect(prebuilt.signal("deploy/no-such-signal")).toBeUndefined();
    expect(renderRules(prebuilt, "json")).toBe(renderRules(fromYaml, "json"));
    expect(renderRules(prebuilt, "text")).toBe(renderRules(fromYaml, "text"));
  });

  it("give the same report as the rules from YAML", async () => {
    const prebuilt = parsePrebuiltRules(prebuiltRulesText(fromYaml, read), read)!;
    const files = readFolder(`${PROJECT_ROOT}fixtures/repos/lead`);
    const [a, b] = await Promise.all(
      [fromYaml, prebuilt].map((rules) => scanSnapshot(memorySnapshot(files), defaultParts(rules))),
    );
    expect({ ...a, stats: { ...a.stats, durationMs: 0 } }).toStrictEqual({
      ...b,
      stats: { ...b.stats, durationMs: 0 },
    });
  });

  it.each(RULE_SOURCES.map((path) => [path]))("are stale once %s changes", (changed) => {
    const text = prebuiltRulesText(fromYaml, read);
    expect(parsePrebuiltRules(text, (path) => (path === changed ? `${read(path)}\n# edited\n` : read(path)))).toBe(
      undefined,
    );
  });

  it("name every file loadRules reads", () => {
    const names: string[] = [];
    loadRules(knownIds(), (name) => {
      names.push(`rules/${name}`);
      return read(`rules/${name}`);
    });
    for (const name of names) expect(RULE_SOURCES).toContain(name);
    expect(RULE_SOURCES).toContain("schema/rules.schema.json");
    expect(RULE_SOURCES).toContain("schema/levels.schema.json");
    expect(RULE_SOURCES).toContain("src/engine/rules.js"); // the loader itself (dist/engine/rules.js once built)
  });
});
