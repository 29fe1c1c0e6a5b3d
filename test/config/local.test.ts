// A local checkout's config: .yml or .yaml; a file named explicitly must exist and be valid (file:line), while
// the repository's own config never stops a scan.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigFileError, loadLocalConfig } from "../../src/config/local.js";

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "dl-config-"));
  made.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

describe("loadLocalConfig", () => {
  it("reads .github/devops-ladder.yml, or .yaml beside it", () => {
    expect(loadLocalConfig(repo({ ".github/devops-ladder.yml": "min_score: 40\n" }))).toMatchObject({
      config: { min_score: 40 },
      findings: [],
      source: ".github/devops-ladder.yml",
    });
    expect(loadLocalConfig(repo({ ".github/devops-ladder.yaml": "min_score: 41\n" }))).toMatchObject({
      config: { min_score: 41 },
      findings: [],
      source: ".github/devops-ladder.yaml",
    });
    expect(loadLocalConfig(repo({ "README.md": "# x\n", ".github/devops-ladder.json": "{}" }))).toBeUndefined();
  });

  it("uses .yml when both exist, and says the .yaml one is ignored", () => {
    const loaded = loadLocalConfig(
      repo({ ".github/devops-ladder.yml": "min_score: 40\n", ".github/devops-ladder.yaml": "min_score: 90\n" }),
    )!;
    expect(loaded.config.min_score).toBe(40);
    expect(loaded.findings).toEqual([
      expect.objectContaining({ path: ".github/devops-ladder.yaml", rule: "config/ignored", severity: "warning" }),
    ]);
  });

  it("reports an invalid repository config as findings at their lines, and applies the defaults", () => {
    const loaded = loadLocalConfig(repo({ ".github/devops-ladder.yaml": "ignore: []\nweights: 3\n" }))!;
    expect(loaded.config.min_score).toBeUndefined();
    expect(loaded.findings).toEqual([
      expect.objectContaining({ path: ".github/devops-ladder.yaml", line: 2, rule: "config/invalid" }),
    ]);
  });

  it("stops on an explicit config that is missing, with its path", () => {
    const dir = repo({});
    expect(() => loadLocalConfig(dir, join(dir, "nope.yml"))).toThrow(ConfigFileError);
    expect(() => loadLocalConfig(dir, join(dir, "nope.yml"))).toThrow(`${join(dir, "nope.yml")}: no such file`);
  });

  it("stops on an explicit config that is invalid, with file:line for each error", () => {
    const dir = repo({ "ladder.yml": "min_score: 40\nweights: 3\nmin_level: guru\n" });
    const path = join(dir, "ladder.yml");
    expect(() => loadLocalConfig(dir, path)).toThrow(
      `invalid config:\n${path}:2: unknown key "weights" in the document\n${path}:3: min_level must be one of: junior, senior, lead`,
    );
    expect(() => loadLocalConfig(dir, join(dir, "bad.yml"))).toThrow(ConfigFileError);
    writeFileSync(join(dir, "yaml.yml"), "min_score: [\n");
    expect(() => loadLocalConfig(dir, join(dir, "yaml.yml"))).toThrow(/yaml\.yml:\d+: invalid YAML/);
  });

  it("takes an explicit valid config over the repository's own", () => {
    const dir = repo({ ".github/devops-ladder.yml": "min_score: 40\n", "other.yml": "min_score: 70\n" });
    expect(loadLocalConfig(dir, join(dir, "other.yml"))!.config.min_score).toBe(70);
  });
});
