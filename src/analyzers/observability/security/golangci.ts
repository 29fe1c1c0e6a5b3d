// golangci-lint runs many linters; some are security scanners of the code (gosec). Its config (.golangci.yml, v1
// or v2) says which run: `linters.enable: [gosec]`, or all of them (`enable-all: true`, v2 `default: all`) unless
// `disable` names it. The scan only counts when CI runs golangci-lint (ci-scans.ts); a commented-out entry is none.
import type { Analyzer } from "../../../engine/analyzer.js";
import { asArray, asString, isRecord } from "../../../engine/yaml.js";
import { yamlMappings } from "../common.js";

/** linters of golangci-lint that scan for security problems */
const SECURITY_LINTERS = new Set(["gosec"]);

export const golangciConfig: Analyzer = {
  id: "golangci-config",
  extensions: [".yml", ".yaml"],
  match: (_path, name) => name === ".golangci.yml" || name === ".golangci.yaml",
  analyze(file, out) {
    const doc = yamlMappings(file, out, "this golangci-lint config")[0];
    if (!doc) return;
    const linters = (doc.value as Record<string, unknown>).linters;
    if (!isRecord(linters)) return;
    const names = (key: string) => asArray(linters[key]).map((v) => asString(v)?.toLowerCase());
    const enabled = names("enable");
    const disabled = new Set(names("disable"));
    const all = linters["enable-all"] === true || asString(linters.default) === "all";
    for (const linter of SECURITY_LINTERS) {
      const at = enabled.indexOf(linter);
      if (at >= 0) out.fact("linterSecurity", { path: file.path, line: doc.lineAt(["linters", "enable", at]), linter });
      else if (all && !disabled.has(linter))
        out.fact("linterSecurity", {
          path: file.path,
          line: doc.lineAt(["linters", linters["enable-all"] === true ? "enable-all" : "default"]),
          linter,
        });
    }
  },
};
