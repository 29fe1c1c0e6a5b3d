// Dependabot version updates (.github/dependabot.yml). `open-pull-requests-limit: 0` switches an entry's
// version updates off; GitHub rejects a file without `version: 2` or with an incomplete entry.
import type { Analyzer } from "../../../engine/analyzer.js";
import { asArray, asString, isRecord } from "../../../engine/yaml.js";
import { report, yamlMappings } from "../common.js";

const EXAMPLE = "version: 2\nupdates:\n  - package-ecosystem: npm\n    directory: /\n    schedule: {interval: weekly}";

export const dependabot: Analyzer = {
  id: "dependabot",
  match: (_path, _name, lower) => lower === ".github/dependabot.yml" || lower === ".github/dependabot.yaml",
  analyze(file, out) {
    const doc = yamlMappings(file, out, "dependabot.yml")[0];
    if (!doc) return;
    const value = doc.value as Record<string, unknown>;
    if (value.version !== 2 && value.version !== "2") {
      return report(
        out,
        file,
        doc.lineAt(["version"]),
        "error",
        "invalid-dependabot",
        "dependabot.yml needs `version: 2`: GitHub ignores this file",
        `Start the file with \`version: 2\`, e.g.\n${EXAMPLE}`,
      );
    }
    const ecosystems: string[] = [];
    let line: number | undefined;
    asArray(value.updates).forEach((entry, i) => {
      const at = doc.lineAt(["updates", i]);
      const ecosystem = isRecord(entry) ? asString(entry["package-ecosystem"]) : undefined;
      const interval = isRecord(entry) && isRecord(entry.schedule) ? asString(entry.schedule.interval) : undefined;
      const hasDirectory =
        isRecord(entry) && (asString(entry.directory) !== undefined || asArray(entry.directories).length > 0);
      if (!isRecord(entry) || !ecosystem || !interval || !hasDirectory) {
        return report(
          out,
          file,
          at,
          "error",
          "invalid-dependabot",
          "an `updates` entry needs `package-ecosystem`, `directory` and `schedule.interval`: GitHub rejects the file",
          EXAMPLE,
        );
      }
      const limit = entry["open-pull-requests-limit"];
      if (limit === 0 || limit === "0") {
        return report(
          out,
          file,
          doc.lineAt(["updates", i, "open-pull-requests-limit"]),
          "note",
          "dependency-updates-disabled",
          `\`open-pull-requests-limit: 0\` switches off version updates for ${ecosystem}`,
          "Remove the limit or set it above 0 (the default is 5).",
        );
      }
      ecosystems.push(ecosystem);
      line ??= at;
    });
    if (line !== undefined)
      out.fact("dependencyUpdates", {
        path: file.path,
        line,
        tool: "dependabot",
        ecosystems: [...new Set(ecosystems)],
      });
  },
};
