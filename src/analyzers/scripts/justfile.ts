// Justfiles (the `just` command runner): recipes with their dependencies and every command a recipe runs
// (origin "just", unit = recipe), as Makefile targets are read. Linewise recipes run each line in `set shell`
// (sh by default); shebang and `[script]` recipes run their body as one script; the body is parsed as one
// shell text either way, at its file lines, after `{{ … }}` interpolations are replaced.
import type { Analyzer } from "../../engine/analyzer.js";
import { dirPrefixOf, joinRepoPath } from "../../engine/paths.js";
import type { JustRecipe } from "../../facts/scripts.js";
import { flowFact } from "../shell-flow.js";
import { loadShellParser, parseShell } from "../shell-parse.js";
import { interpolate, type JustRecipeSource, readJustfile, unquote } from "./justfile-reader.js";

const SHELLS = new Set(["sh", "bash", "dash", "ash", "zsh", "ksh", "mksh"]);

export const justfileAnalyzer: Analyzer = {
  id: "justfile",
  extensions: ["", ".justfile", ".just"],
  match(_path, name) {
    const lower = name.toLowerCase();
    return lower === "justfile" || lower === ".justfile" || lower.endsWith(".just");
  },
  prepare: loadShellParser,
  analyze(file, out) {
    const parsed = readJustfile(file.text);
    const variables = new Map<string, string>();
    for (const v of parsed.variables) variables.set(v.name, v.value);
    const linewiseShell = interpreterOf(parsed.settings.get("shell")) ?? "sh";
    const scriptShell = interpreterOf(parsed.settings.get("script-interpreter")) ?? "sh";
    const defaultScript = parsed.settings.get("default-script") === true;
    const dir = dirPrefixOf(file.path);

    const recipes: JustRecipe[] = [];
    for (const r of parsed.recipes) {
      const shebang = r.body.find((l) => l.text.trim() !== "")?.text.match(/^#!\s*(\S+)(.*)$/);
      const scriptAttr = r.attributes.find((a) => /^script\b/.test(a));
      const interpreter = shebang
        ? shebangProgram(shebang[1]!, shebang[2]!)
        : scriptAttr
          ? (interpreterOf(scriptAttr.replace(/^script\s*\(?|\)$/g, "")) ?? scriptShell)
          : defaultScript
            ? scriptShell
            : undefined;
      const isPrivate = r.attributes.includes("private") || r.name.startsWith("_");
      recipes.push({
        name: r.name,
        line: r.line,
        parameters: r.parameters.map(
          (p) => `${p.variadic ?? ""}${p.name}${p.default !== undefined ? `=${p.default}` : ""}`,
        ),
        dependencies: r.dependencies.map((d) => d.name),
        recipe: r.body.map((l) => l.text),
        ...(isPrivate ? { private: true } : {}),
        ...(interpreter ? { script: interpreter } : {}),
      });
      const shell = interpreter ?? linewiseShell;
      // a recipe for Windows only, or one run by Python, PowerShell, nu … has no shell commands to read
      if (!SHELLS.has(shell) || windowsOnly(r)) continue;
      const body = bodyText(r, !interpreter, variables);
      if (body === undefined) continue;
      const parsedBody = parseShell(body.text, file.name, { flow: true });
      if (parsedBody.error) continue; // as with Makefile recipes: not worth a finding
      const where = { path: file.path, origin: "just" as const, unit: r.name, line: body.line };
      if (parsedBody.flow) out.fact("shellFlow", flowFact(where, parsedBody.flow));
      for (const c of parsedBody.commands)
        out.fact("command", {
          path: file.path,
          line: body.line + c.line - 1,
          argv: c.argv,
          origin: "just",
          unit: r.name,
        });
    }
    const modules = parsed.modules.map((m) => ({
      name: m.name,
      line: m.line,
      paths: m.path
        ? [m.path, `${m.path}/mod.just`, `${m.path}/justfile`, `${m.path}/.justfile`, `${m.path}/Justfile`].map((p) =>
            joinRepoPath(dir, p),
          )
        : [
            `${m.name}.just`,
            `${m.name}/mod.just`,
            `${m.name}/justfile`,
            `${m.name}/.justfile`,
            `${m.name}/Justfile`,
          ].map((p) => joinRepoPath(dir, p)),
    }));
    const aliases = Object.fromEntries(parsed.aliases.map((a) => [a.name, a.target]));
    out.fact("justfile", {
      path: file.path,
      recipes,
      imports: parsed.imports.map((i) => joinRepoPath(dir, i.path)),
      modules,
      ...(parsed.aliases.length > 0 ? { aliases } : {}),
    });
  },
};

/** The body as one shell text from its first line: prefixes `@`/`-` off linewise lines, interpolations replaced. */
function bodyText(
  r: JustRecipeSource,
  linewise: boolean,
  variables: ReadonlyMap<string, string>,
): { text: string; line: number } | undefined {
  const first = r.body.findIndex((l) => l.text.trim() !== "");
  if (first < 0) return undefined;
  const parameters = new Set(r.parameters.map((p) => p.name));
  const lines = r.body.slice(first).map((l) => {
    const text = linewise ? l.text.replace(/^[@-]{1,2}/, "") : l.text;
    return interpolate(text, parameters, variables);
  });
  return { text: lines.join("\n"), line: r.body[first]!.line };
}

/** The program of a `set shell := ['bash', '-c']`-like value, or of `script('python3')`. */
function interpreterOf(value: string | true | undefined): string | undefined {
  if (typeof value !== "string") return undefined;
  const first = value.replace(/^\[/, "").split(",")[0]?.trim();
  if (!first) return undefined;
  const program = unquote(first);
  return program
    .slice(program.lastIndexOf("/") + 1)
    .replace(/\.exe$/i, "")
    .toLowerCase();
}

/** `#!/usr/bin/env bash` → bash, `#!/usr/bin/env -S uv run --script` → uv, `#!/bin/sh` → sh. */
function shebangProgram(program: string, rest: string): string {
  const base = program.slice(program.lastIndexOf("/") + 1);
  if (base !== "env") return base;
  const word = rest
    .trim()
    .split(/\s+/)
    .find((w) => !w.startsWith("-"));
  return word ?? "env";
}

function windowsOnly(r: JustRecipeSource): boolean {
  const os = r.attributes.filter((a) => ["windows", "linux", "macos", "unix", "openbsd"].includes(a));
  return os.length > 0 && os.every((a) => a === "windows");
}
