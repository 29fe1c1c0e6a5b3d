// Makefiles: targets with their recipes, and every command a recipe runs (unit = target).
import type { Analyzer } from "../../engine/analyzer.js";
import type { MakefileTarget } from "../../facts/scripts.js";
import { flowFact } from "../shell-flow.js";
import { loadShellParser, parseShell } from "../shell-parse.js";
import { expandForShell, readMakefile } from "./makefile-reader.js";

export const makefileAnalyzer: Analyzer = {
  id: "makefile",
  extensions: ["", ".mk"],
  match(_path, name, lowerPath) {
    return name === "Makefile" || name === "makefile" || name === "GNUmakefile" || lowerPath.endsWith(".mk");
  },
  prepare: loadShellParser,
  analyze(file, out) {
    const parsed = readMakefile(file.text);
    for (const problem of parsed.problems) {
      out.finding({
        path: file.path,
        line: problem.line,
        severity: "warning",
        rule: "makefile/parse-error",
        message: `make would stop here: ${problem.message}`,
        remediation:
          "Recipe lines must start with a tab and follow a `target:` line; fix the line so `make -n` accepts the file.",
      });
    }
    const values = new Map<string, string>();
    for (const v of parsed.variables) if (!values.has(v.name)) values.set(v.name, v.value);
    if (!values.has("MAKE")) values.set("MAKE", "make"); // so `$(MAKE) deploy` reads as a call to another target

    const memo = new Map<string, string>();
    const targets: MakefileTarget[] = [];
    for (const rule of parsed.rules) {
      for (const name of rule.targets) {
        // special targets (.DEFAULT_GOAL, .SUFFIXES …) and computed ones ($(BINARIES)) are not entry points
        if ((name.startsWith(".") && !name.includes("/")) || name.includes("$")) continue;
        const recipe = rule.recipe.map((r) => stripPrefixes(r.text));
        targets.push({
          name,
          line: rule.line,
          recipe,
          prerequisites: rule.prerequisites,
          ...(parsed.phony.has(name) ? { phony: true } : {}),
        });
        for (const r of rule.recipe) {
          const text = expandForShell(stripPrefixes(r.text), values, "MAKEVAR", 0, memo);
          const shell = parseShell(text, file.name, { flow: true });
          if (shell.error) continue; // recipes are often make-isms the shell cannot read; not worth a finding
          const where = { path: file.path, origin: "makefile" as const, unit: name, line: r.line };
          if (shell.flow) out.fact("shellFlow", flowFact(where, shell.flow));
          for (const c of shell.commands) {
            out.fact("command", {
              path: file.path,
              line: r.line + c.line - 1,
              argv: c.argv,
              origin: "makefile",
              unit: name,
            });
          }
        }
      }
    }
    out.fact("makefile", {
      path: file.path,
      targets,
      variables: parsed.variables.map((v) => ({ name: v.name, value: v.value, line: v.line })),
    });
  },
};

/** `@echo`, `-rm`, `+$(MAKE)`: make's prefixes, not part of the command */
function stripPrefixes(text: string): string {
  return text.replace(/^[\s@+-]+/, "");
}
