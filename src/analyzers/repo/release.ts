// Release tooling configured in the repository → `releaseTooling` facts. Config files are parsed (a
// broken one is a finding, not evidence); JavaScript configs count by their presence, since they cannot
// be read without running them. Workflows that run the tools are read by the detector from `ci` and
// `command` facts; CHANGELOG files are judged by the docs analyzer.
import type { Analyzer, AnalyzerOutput, SourceFile } from "../../engine/analyzer.js";
import { isRecord, parseYaml } from "../../engine/yaml.js";
import { readJson } from "../scripts/parse-config.js";

type Format = "json" | "yaml" | "js" | "package-json";

/** root-level config files, by lower-case path */
const CONFIGS = new Map<string, { tool: string; format: Format }>(
  Object.entries({
    "release-please-config.json": { tool: "release-please", format: "json" },
    ".release-please-manifest.json": { tool: "release-please", format: "json" },
    ".changeset/config.json": { tool: "changesets", format: "json" },
    ".goreleaser.yml": { tool: "goreleaser", format: "yaml" },
    ".goreleaser.yaml": { tool: "goreleaser", format: "yaml" },
    "goreleaser.yml": { tool: "goreleaser", format: "yaml" },
    "goreleaser.yaml": { tool: "goreleaser", format: "yaml" },
    ".github/release-drafter.yml": { tool: "release-drafter", format: "yaml" },
    ".github/release-drafter.yaml": { tool: "release-drafter", format: "yaml" },
    // GitHub's generated release notes: categories of merged PRs by label
    ".github/release.yml": { tool: "github-release-notes", format: "yaml" },
    ".github/release.yaml": { tool: "github-release-notes", format: "yaml" },
    ".releaserc": { tool: "semantic-release", format: "yaml" }, // JSON or YAML; JSON is YAML
    ".releaserc.json": { tool: "semantic-release", format: "json" },
    ".releaserc.yml": { tool: "semantic-release", format: "yaml" },
    ".releaserc.yaml": { tool: "semantic-release", format: "yaml" },
    ".releaserc.js": { tool: "semantic-release", format: "js" },
    ".releaserc.cjs": { tool: "semantic-release", format: "js" },
    ".releaserc.mjs": { tool: "semantic-release", format: "js" },
    "release.config.js": { tool: "semantic-release", format: "js" },
    "release.config.cjs": { tool: "semantic-release", format: "js" },
    "release.config.mjs": { tool: "semantic-release", format: "js" },
    "release.config.ts": { tool: "semantic-release", format: "js" },
    ".versionrc": { tool: "standard-version", format: "json" },
    ".versionrc.json": { tool: "standard-version", format: "json" },
    ".versionrc.js": { tool: "standard-version", format: "js" },
    ".versionrc.cjs": { tool: "standard-version", format: "js" },
    ".release-it.json": { tool: "release-it", format: "json" },
    ".release-it.yml": { tool: "release-it", format: "yaml" },
    ".release-it.yaml": { tool: "release-it", format: "yaml" },
    ".release-it.js": { tool: "release-it", format: "js" },
    ".release-it.cjs": { tool: "release-it", format: "js" },
    ".release-it.ts": { tool: "release-it", format: "js" },
    // getsentry/craft: prepares (version bump, changelog) and publishes releases to its targets
    ".craft.yml": { tool: "craft", format: "yaml" },
    ".craft.yaml": { tool: "craft", format: "yaml" },
    "package.json": { tool: "", format: "package-json" },
  }),
);

/** package.json keys that configure a release tool */
const PACKAGE_KEYS: Record<string, string> = {
  release: "semantic-release",
  "standard-version": "standard-version",
  "release-it": "release-it",
};

export const releaseAnalyzer: Analyzer = {
  id: "release-tooling",
  match: (_path, _name, lowerPath) => CONFIGS.has(lowerPath),
  analyze(file: SourceFile, out: AnalyzerOutput) {
    const config = CONFIGS.get(file.path.toLowerCase());
    if (!config || file.text.trim() === "") return;
    const emit = (tool: string, line = 1) => out.fact("releaseTooling", { path: file.path, line, tool });

    if (config.format === "js") return emit(config.tool);
    if (config.format === "package-json") {
      // package.json is parsed by the scripts analyzer too; its parse errors are reported there
      const pkg = safeJson(file.text);
      for (const [key, tool] of Object.entries(PACKAGE_KEYS)) {
        if (isRecord(pkg?.[key])) emit(tool, keyLine(file.text, key));
      }
      return;
    }
    const value = config.format === "json" ? readJson(file, out, "release") : readYaml(file, out);
    if (!isRecord(value)) return;
    if (config.tool === "github-release-notes" && !isRecord(value.changelog)) return; // not that file's shape
    if (config.tool === "craft" && !Array.isArray(value.targets) && value.changelogPolicy === undefined) return;
    if (config.tool === "goreleaser" && isRecord(value.release) && value.release.disable === true) {
      out.finding({
        path: file.path,
        line: 1,
        severity: "note",
        rule: "release/disabled",
        message: "GoReleaser is configured with `release.disable: true`: it publishes no release",
      });
      return;
    }
    emit(config.tool);
  },
};

function readYaml(file: SourceFile, out: AnalyzerOutput): unknown {
  const parsed = parseYaml(file.text);
  const error = parsed.errors[0];
  if (error) {
    out.finding({
      path: file.path,
      line: error.line,
      severity: "warning",
      rule: "release/parse-error",
      message: `cannot parse: ${error.message}`,
      remediation: "Fix the syntax so the release tool (and this scan) can read the file.",
    });
    return undefined;
  }
  return parsed.docs[0]?.value;
}

function safeJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** line of a top-level key of a JSON file (the first `"key":` indented by at most four spaces) */
function keyLine(text: string, key: string): number {
  const lines = text.split("\n");
  const index = lines.findIndex((l) => new RegExp(`^\\s{0,4}"${key}"\\s*:`).test(l));
  return index < 0 ? 1 : index + 1;
}
