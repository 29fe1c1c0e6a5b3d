// Shell scripts: strict mode, functions, the environments a script accepts, and every command it runs.

import type { Analyzer, AnalyzerOutput, SourceFile } from "../../engine/analyzer.js";
import type { ShellScriptFact } from "../../facts/scripts.js";
import { ENVIRONMENT_VARIABLE, environmentName } from "../../vocabulary/environments.js";
import { programOf } from "../../vocabulary/programs.js";
import { SHELLS } from "../../vocabulary/shells.js";
import { classifyCommand } from "../command-class.js";
import { heredocConfigs } from "../observability/heredoc-configs.js";
import { flowFact } from "../shell-flow.js";
import { loadShellParser, parseShell, type ShellDetails } from "../shell-parse.js";

/** Folders whose extensionless files are usually scripts (checked by shebang when read). */
const SCRIPT_DIRS = new Set(["bin", "scripts", "script", "deploy", "ops"]);
/** extensionless names of installers and launchers: install, install-app, app-setup, launcher, update, upgrade */
const INSTALLER_NAME = new RegExp(
  String.raw`^(install|setup|deploy|launcher|update|upgrade|bootstrap|provision)([-_][\w-]*)?$|` +
    String.raw`^[\w-]+[-_](install|setup|deploy|update|upgrade|service)$`,
  "i",
);

export const shellAnalyzer: Analyzer = {
  id: "shell-script",
  extensions: ["", ".sh", ".bash"],
  match(_path, name, lowerPath) {
    if (lowerPath.endsWith(".sh") || lowerPath.endsWith(".bash")) return true;
    if (name.includes(".")) return false;
    // installers and launchers are often extensionless, at the root or beside what they install (read by shebang)
    if (INSTALLER_NAME.test(name) && lowerPath.split("/").length <= 4) return true;
    const slash = lowerPath.lastIndexOf("/");
    if (slash < 0) return false;
    const parent = lowerPath.slice(lowerPath.lastIndexOf("/", slash - 1) + 1, slash);
    return SCRIPT_DIRS.has(parent);
  },
  prepare: loadShellParser,
  analyze(file, out) {
    const shebang = parseShebang(file.text);
    const byExtension = /\.(sh|bash)$/i.test(file.name);
    if (!byExtension && !(shebang && SHELLS.has(shebang.shell))) return; // a node/python script or a binary helper
    analyzeShell(
      file,
      out,
      shebang?.shell ?? (file.name.toLowerCase().endsWith(".bash") ? "bash" : "sh"),
      shebang?.flags ?? [],
    );
  },
};

function analyzeShell(file: SourceFile, out: AnalyzerOutput, shell: string, shebangFlags: string[]): void {
  const parsed = parseShell(file.text, file.name, { details: true, flow: true });
  const fact: ShellScriptFact = {
    path: file.path,
    shell,
    strict: { errexit: false, nounset: false, pipefail: false },
    functions: parsed.functions,
    environments: [],
  };
  if (parsed.error) {
    fact.parseError = { line: parsed.error.line, message: parsed.error.message };
    out.fact("shell", fact);
    if (parsed.flow) out.fact("shellFlow", flowFact({ path: file.path, origin: "shell", line: 1 }, parsed.flow));
    out.finding({
      path: file.path,
      line: parsed.error.line,
      severity: shell === "zsh" ? "note" : "warning",
      rule: "shell/parse-error",
      message: `${shell} cannot parse this script: ${parsed.error.message}`,
      remediation: "Fix the syntax (run `bash -n` or shellcheck on it); nothing in this script could be checked.",
    });
    return;
  }

  if (shebangFlags.length > 0) applySet(fact.strict, shebangFlags, 1);
  for (const command of parsed.commands) {
    if (programOf(command.argv).program === "set") applySet(fact.strict, command.argv.slice(1), command.line);
  }
  readEnvironments(
    fact,
    parsed.details!,
    parsed.commands.map((c) => ({ line: c.line, argv: c.argv })),
  );

  // sourced libraries inherit the caller's options: judge the scripts that source them instead
  const topLevel = parsed.commands.filter(
    (c) => !c.fn && !["set", "shopt", "source", ".", "export", "readonly"].includes(c.argv[0]!),
  );
  if (!file.text.startsWith("#!") && parsed.functions.length > 0 && topLevel.length === 0) fact.library = true;
  const toolVars = parsed
    .details!.assignments.filter(
      (a) =>
        TOOL_VALUE.test(a.value) ||
        LEADING_VARIABLE.test(unquoteValue(a.value)) ||
        DETACH_VALUE.test(unquoteValue(a.value)),
    )
    .slice(0, 50)
    .map((a) => ({ name: a.name, value: unquoteValue(a.value), line: a.line }));
  if (toolVars.length > 0) fact.toolVars = toolVars;
  const sleeps = parsed.commands.filter((c) => programOf(c.argv).program === "sleep").map((c) => c.line);
  const loop = parsed.details!.loops.find((l) => sleeps.some((at) => at > l.line && at <= l.end));
  if (loop) fact.watchLoop = loop.line;
  const forever = parsed
    .details!.loops.filter((l) => l.forever && sleeps.some((at) => at > l.line && at <= l.end))
    .map(({ line, end }) => ({ line, end }));
  if (forever.length > 0) fact.foreverLoops = forever;
  const threshold = parsed.details!.comparisons.find((c) => NUMERIC_TEST.has(c.op));
  if (threshold) fact.threshold = threshold.line;

  // configs the script writes with here-documents (`cat > /etc/promtail/config.yml <<EOF`)
  if (file.text.includes("<<")) heredocConfigs(file.text, file.path, 1, out);

  for (const command of parsed.commands) {
    out.fact("command", {
      path: file.path,
      line: command.line,
      argv: command.argv,
      origin: "shell",
      ...(command.fn ? { unit: command.fn } : {}),
    });
  }
  out.fact("shell", fact);
  if (parsed.flow) out.fact("shellFlow", flowFact({ path: file.path, origin: "shell", line: 1 }, parsed.flow));

  // commands that reach outside the machine; a test run is local
  const risky = parsed.commands
    .map((c) => ({ c, cls: classifyCommand(c.argv) }))
    .find((x) => x.cls && x.cls.kind !== "test");
  if (risky && !fact.strict.errexit && !fact.library) {
    const missing = [
      "errexit (-e)",
      "nounset (-u)",
      ...(shell === "sh" || shell === "dash" ? [] : ["pipefail"]),
    ].filter(
      (f) =>
        !(f.startsWith("errexit")
          ? fact.strict.errexit
          : f.startsWith("nounset")
            ? fact.strict.nounset
            : fact.strict.pipefail),
    );
    out.finding({
      path: file.path,
      line: 1,
      severity: "warning",
      rule: "shell/no-strict-mode",
      message: `runs ${risky.cls!.summary} (line ${risky.c.line}) but keeps going after a failed command: missing ${missing.join(", ")}`,
      remediation:
        `Stop the script at the first failure: add \`set -euo pipefail\` right after the ` +
        `shebang${shell === "sh" ? " (`set -eu` in POSIX sh)" : ""}.`,
    });
  }
}

/** a value that runs a container tool: `docker compose`, `podman-compose`, `"$ENGINE compose"`, `$(which docker)` */
const TOOL_VALUE = new RegExp(
  [
    /(^|[\s"'(`])(docker|podman|\$\{?\w+\}?)[ -]compose\b/.source,
    /^["']?(sudo\s+)?(docker|podman)(\s|["']?$)|\b(which|command -v)\s+(docker|podman)\b/.source,
  ].join("|"),
);
/** numeric tests: `-gt`, `-ge`, `-lt`, `-le` (and `>`/`<` of `[[ … ]]`) */
const NUMERIC_TEST = new Set(["-gt", "-ge", "-lt", "-le", ">", "<", ">=", "<="]);
/** a value that leaves a container running, passed to `docker run` through a variable: `attach_on_run="-d"` */
export const DETACH_VALUE = /^(-d|--detach|--restart[= ](always|unless-stopped|on-failure(:\d+)?))$/;
/** a value that starts with another variable's command line: `"$dc_base --env-file .env"` */
const LEADING_VARIABLE = /^\$\{?[A-Za-z_]\w*\}?(\s|$)/;

function unquoteValue(value: string): string {
  const v = value.trim();
  return v.length >= 2 && (v[0] === '"' || v[0] === "'") && v[v.length - 1] === v[0] ? v.slice(1, -1) : v;
}

interface Shebang {
  shell: string;
  flags: string[];
}

/** `#!/bin/bash -e`, `#!/usr/bin/env bash`, `#!/usr/bin/env -S bash -euo pipefail` */
export function parseShebang(text: string): Shebang | undefined {
  if (!text.startsWith("#!")) return undefined;
  const words = text
    .slice(2, text.indexOf("\n") < 0 ? undefined : text.indexOf("\n"))
    .trim()
    .split(/\s+/);
  let i = 0;
  if (words[0]?.endsWith("/env")) {
    i = 1;
    while (words[i]?.startsWith("-") || /^\w+=/.test(words[i] ?? "")) i++;
  }
  const shell = (words[i] ?? "").replace(/^.*\//, "");
  return shell ? { shell, flags: words.slice(i + 1) } : undefined;
}

/** Applies the flags of one `set` command: `-euo pipefail`, `-o errexit`, `+e` … */
function applySet(strict: ShellScriptFact["strict"], args: readonly string[], line: number): void {
  const set = (flag: "errexit" | "nounset" | "pipefail", on: boolean) => {
    strict[flag] = on;
    if (on && strict.line === undefined) strict.line = line;
  };
  const byName: Record<string, "errexit" | "nounset" | "pipefail"> = {
    errexit: "errexit",
    nounset: "nounset",
    pipefail: "pipefail",
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--" || !/^[-+]/.test(arg)) break;
    const on = arg[0] === "-";
    for (const letter of arg.slice(1)) {
      if (letter === "e") set("errexit", on);
      else if (letter === "u") set("nounset", on);
      else if (letter === "o") {
        const option = byName[args[i + 1] ?? ""];
        if (option) set(option, on);
        i++;
      }
    }
  }
}

const INPUT = /\$\{?(?:[1-9]|OPTARG|[A-Za-z0-9_]*(?:ENV|ENVIRONMENT|STAGE|WORKSPACE|DESTINATION))\b/i;

/** What environments the script takes: `case "$1" in staging|production)`, `[ "$ENV" = prod ]`, `ENV=${1:-staging}` */
function readEnvironments(
  fact: ShellScriptFact,
  details: ShellDetails,
  commands: { line: number; argv: string[] }[],
): void {
  const found = new Set<string>();
  const input = (line: number, source: string) => {
    if (!fact.environmentInput || line < fact.environmentInput.line) fact.environmentInput = { line, source };
  };
  for (const c of details.cases) {
    if (!INPUT.test(c.subject)) continue;
    const envs = c.patterns.map(environmentName).filter((e): e is string => !!e);
    if (envs.length === 0) continue;
    for (const e of envs) found.add(e);
    input(c.line, c.subject);
  }
  const compare = (left: string, right: string, line: number) => {
    const [ref, value] = INPUT.test(left) ? [left, right] : INPUT.test(right) ? [right, left] : [];
    const env = value === undefined ? undefined : environmentName(value);
    if (!ref || !env) return;
    found.add(env);
    input(line, ref);
  };
  for (const t of details.comparisons) if (["==", "=", "!="].includes(t.op)) compare(t.left, t.right, t.line);
  for (const c of commands) {
    if (c.argv[0] !== "[" && c.argv[0] !== "test") continue;
    for (let i = 1; i + 2 < c.argv.length + 1; i++) {
      if (["=", "==", "!="].includes(c.argv[i]!) && c.argv[i - 1] && c.argv[i + 1])
        compare(c.argv[i - 1]!, c.argv[i + 1]!, c.line);
    }
  }
  for (const a of details.assignments) {
    if (!ENVIRONMENT_VARIABLE.test(a.name) || !INPUT.test(a.value)) continue;
    input(a.line, `${a.name}=${a.value}`);
    const fallback = /:?[-=]([A-Za-z-]+)\}/.exec(a.value)?.[1];
    const env = fallback ? environmentName(fallback) : undefined;
    if (env) found.add(env);
  }
  fact.environments = [...found];
}
