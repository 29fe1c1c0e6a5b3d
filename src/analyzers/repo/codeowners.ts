// CODEOWNERS → `codeowners` facts: one rule per line (pattern + owners), findings for lines GitHub
// rejects. GitHub reads the first of .github/, the root and docs/; GitLab the root, docs/ and .gitlab/.
// Which one is in effect is the detector's business (it sees every path); this reads one file.
import type { Analyzer, AnalyzerOutput, SourceFile } from "../../engine/analyzer.js";
import type { CodeownersRule } from "../../facts/repo.js";
import { CODEOWNERS_LOCATIONS } from "../../vocabulary/codeowners.js";

const USER = /^@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/;
/** @org/team (GitHub), @group/subgroup/… (GitLab) */
const TEAM = /^@[A-Za-z0-9][\w.-]*(\/[\w.-]+)+$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
/** GitLab role owners */
const ROLE = /^@@(developer|maintainer|owner)s?$/i;
/** GitLab section header: [Name], ^[Optional], [Name][2], optionally followed by default owners */
const SECTION = /^\^?\[[^\]]+\](\[\d+\])?(\s|$)/;

export const isValidOwner = (owner: string) =>
  USER.test(owner) || TEAM.test(owner) || EMAIL.test(owner) || ROLE.test(owner);

export const codeownersAnalyzer: Analyzer = {
  id: "codeowners",
  extensions: [""],
  match: (path, name) => name === "CODEOWNERS" && (CODEOWNERS_LOCATIONS as readonly string[]).includes(path),
  analyze(file: SourceFile, out: AnalyzerOutput) {
    const gitlab = file.path.startsWith(".gitlab/");
    const rules: CodeownersRule[] = [];
    let sectionOwners: string[] = [];
    file.text.split("\n").forEach((raw, index) => {
      const line = index + 1;
      const content = stripComment(raw).trim();
      if (content === "") return;
      const finding = (rule: string, message: string, remediation: string, severity: "error" | "warning" = "error") =>
        out.finding({ path: file.path, line, severity, rule: `codeowners/${rule}`, message, remediation });

      if (SECTION.test(content)) {
        // GitLab sections; on GitHub a `[` pattern is an unsupported character range
        sectionOwners = content
          .replace(/^\^?\[[^\]]+\](\[\d+\])?/, "")
          .trim()
          .split(/\s+/)
          .filter((o) => o && isValidOwner(o));
        if (!gitlab && !file.path.startsWith("docs/") && file.path !== "CODEOWNERS") {
          finding(
            "unsupported-pattern",
            "sections ([Name]) are GitLab syntax; GitHub skips this line",
            "Remove the section header, or move the file to a GitLab location (root, docs/ or .gitlab/).",
            "warning",
          );
        }
        return;
      }
      const [pattern = "", ...owners] = content.split(/\s+/);
      if (pattern.startsWith("!") || /[[\]]/.test(pattern) || pattern.startsWith("\\#")) {
        finding(
          "unsupported-pattern",
          `\`${pattern}\`: negation, character ranges and escaped # do not work in CODEOWNERS; the line is skipped`,
          "Write the paths out as separate patterns, e.g. `/docs/*.md @org/docs` — CODEOWNERS has no `!` and no `[a-z]`.",
        );
        return;
      }
      const invalid = owners.filter((o) => !isValidOwner(o));
      if (invalid.length > 0) {
        finding(
          "invalid-owner",
          `${invalid.map((o) => `\`${o}\``).join(", ")} is not an owner (@user, @org/team or an e-mail address); the line is skipped`,
          `Prefix users and teams with @, e.g. \`${pattern} @${invalid[0]!.replace(/^@*/, "")}\` or ` +
            `\`${pattern} @my-org/${invalid[0]!.replace(/^@*/, "")}\`.`,
        );
        return;
      }
      if (pattern === "/") {
        finding(
          "matches-nothing",
          "the pattern `/` matches no file",
          "Use `*` to give every file a default owner, e.g. `* @my-org/maintainers`.",
          "warning",
        );
        return;
      }
      rules.push({ pattern, owners: owners.length > 0 ? owners : sectionOwners, line });
    });
    out.fact("codeowners", { path: file.path, rules });
  },
};

/** `#` starts a comment at the start of a line or after whitespace (`*.js @a # note`). */
function stripComment(line: string): string {
  const trimmed = line.trimStart();
  if (trimmed.startsWith("#")) return "";
  const at = line.search(/\s#/);
  return at < 0 ? line : line.slice(0, at);
}
