// Renovate config in any of the places Renovate looks. `"enabled": false`, the `:disableRenovate` preset, or a
// package rule disabling every package switch it off.
import type { Analyzer, AnalyzerOutput, SourceFile } from "../../../engine/analyzer.js";
import { asArray, asString, errorMessage, isRecord } from "../../../engine/yaml.js";
import { isDisabled, parseError, report } from "../common.js";
import { parseJson5 } from "./json5.js";

const CONFIG_FILES = new Set([
  "renovate.json",
  "renovate.json5",
  ".renovaterc",
  ".renovaterc.json",
  ".renovaterc.json5",
  ".github/renovate.json",
  ".github/renovate.json5",
  ".gitlab/renovate.json",
  ".gitlab/renovate.json5",
]);
const MATCH_ALL = ["matchPackagePatterns", "matchPackageNames", "matchDepNames", "matchDepPatterns"];

/** Why this config switches Renovate off, if it does. */
export function renovateDisabled(config: Record<string, unknown>): { key: string; reason: string } | undefined {
  if (isDisabled(config.enabled)) return { key: "enabled", reason: '`"enabled": false` switches Renovate off' };
  if (asArray(config.extends).some((p) => p === ":disableRenovate"))
    return { key: "extends", reason: "the `:disableRenovate` preset switches Renovate off" };
  const rules = asArray(config.packageRules).filter(isRecord);
  const offForAll = rules.findIndex((r) => isDisabled(r.enabled) && matchesEverything(r));
  if (offForAll >= 0 && !rules.slice(offForAll + 1).some((r) => r.enabled === true)) {
    return { key: "packageRules", reason: "a package rule disables every package" };
  }
  return undefined;
}

function matchesEverything(rule: Record<string, unknown>): boolean {
  const matchers = Object.keys(rule).filter((k) => k.startsWith("match"));
  return matchers.every(
    (k) => MATCH_ALL.includes(k) && asArray(rule[k]).some((p) => p === "*" || p === ".*" || p === "/.*/"),
  );
}

interface Located {
  value: Record<string, unknown>;
  line: number;
  lineAt(path: string[]): number;
}

export const renovate: Analyzer = {
  id: "renovate",
  match: (_path, _name, lower) => CONFIG_FILES.has(lower) || lower === "package.json",
  analyze(file, out) {
    const config = file.path.toLowerCase() === "package.json" ? fromPackageJson(file, out) : fromConfigFile(file, out);
    if (!config) return;
    const off = renovateDisabled(config.value);
    if (off) {
      return report(
        out,
        file,
        config.lineAt([off.key]),
        "note",
        "dependency-updates-disabled",
        `${off.reason}: no dependency update PRs`,
        "Remove the setting, or delete the Renovate config if another tool keeps dependencies up to date.",
      );
    }
    const managers = asArray(config.value.enabledManagers)
      .map(asString)
      .filter((m): m is string => !!m);
    out.fact("dependencyUpdates", {
      path: file.path,
      line: config.line,
      tool: "renovate",
      ecosystems: managers.length > 0 ? managers : ["all"],
    });
  },
};

function fromConfigFile(file: SourceFile, out: AnalyzerOutput): Located | undefined {
  const { docs, errors } = parseJson5(file.text);
  if (errors.length > 0) {
    parseError(out, file, errors[0]!.line, "this Renovate config", errors[0]!.message);
    return undefined;
  }
  const doc = docs[0];
  return doc && isRecord(doc.value) ? { value: doc.value, line: doc.line, lineAt: (p) => doc.lineAt(p) } : undefined;
}

/** The `renovate` key of the root package.json (the file also belongs to the manifest analyzer). */
function fromPackageJson(file: SourceFile, out: AnalyzerOutput): Located | undefined {
  let json: unknown;
  try {
    json = JSON.parse(file.text);
  } catch (err) {
    if (file.text.includes('"renovate"')) parseError(out, file, 1, "package.json", errorMessage(err));
    return undefined;
  }
  if (!isRecord(json) || !isRecord(json.renovate)) return undefined;
  const line = file.text.slice(0, file.text.indexOf('"renovate"')).split("\n").length;
  return { value: json.renovate, line, lineAt: () => line };
}
