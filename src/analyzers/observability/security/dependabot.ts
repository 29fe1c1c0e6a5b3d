// Dependabot version updates (.github/dependabot.yml). `open-pull-requests-limit: 0` switches an entry's
// version updates off; an `allow:` list of named dependencies only (no `dependency-type`, no `*`) keeps those few
// up to date and no other; GitHub rejects a file without `version: 2` or with an incomplete entry.
import type { Analyzer } from "../../../engine/analyzer.js";
import { asArray, asString, isRecord } from "../../../engine/yaml.js";
import { report, yamlMappings } from "../common.js";

const EXAMPLE = "version: 2\nupdates:\n  - package-ecosystem: npm\n    directory: /\n    schedule: {interval: weekly}";

export const dependabot: Analyzer = {
  id: "dependabot",
  extensions: [".yml", ".yaml"],
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
    const narrow: { ecosystem: string; allow: string[] }[] = [];
    let line: number | undefined;
    let narrowLine: number | undefined;
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
      const allowed = namedOnly(entry.allow);
      if (allowed) {
        const allowLine = doc.lineAt(["updates", i, "allow"]);
        narrow.push({ ecosystem, allow: allowed });
        narrowLine ??= at;
        return report(
          out,
          file,
          allowLine,
          "note",
          "dependency-updates-narrow",
          `\`allow:\` lets Dependabot update only ${allowed.join(", ")} (${ecosystem}): the other ` +
            `${ecosystem} dependencies are not kept up to date`,
          "Allow a dependency type (`- dependency-type: all`, or `direct`/`production`) or remove `allow:`; " +
            "leave out what must not move with `ignore:`.",
        );
      }
      ecosystems.push(ecosystem);
      line ??= at;
    });
    if (line !== undefined || narrowLine !== undefined)
      out.fact("dependencyUpdates", {
        path: file.path,
        line: line ?? narrowLine!,
        tool: "dependabot",
        ecosystems: [...new Set(ecosystems)],
        ...(narrow.length > 0 ? { narrow } : {}),
      });
  },
};

/**
 * The dependency names of an `allow:` list that names dependencies only; undefined when it allows a dependency type
 * (`all`, `direct`, `production` …), any name (`*`), or is absent or empty (everything is allowed).
 */
function namedOnly(allow: unknown): string[] | undefined {
  const items = asArray(allow);
  if (items.length === 0) return undefined;
  const names: string[] = [];
  for (const item of items) {
    if (!isRecord(item) || item["dependency-type"] !== undefined) return undefined;
    const name = asString(item["dependency-name"]);
    if (!name || name.trim() === "*") return undefined;
    names.push(name);
  }
  return names;
}
