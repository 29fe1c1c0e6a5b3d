// A service's `entrypoint:` + `command:` as command facts, so that detectors see what a container runs
// (a backup sidecar's `pg_dump`). Compose splits a string into words (it does not run a shell), replaces `$$`
// with `$`, and runs entrypoint + command; a `sh -c "<script>"` is parsed into the script's own commands.
// No schedule: a loop with `sleep` is not a schedule the engine can read.

import type { AnalyzerOutput, SourceFile } from "../../engine/analyzer.js";
import { asString } from "../../engine/yaml.js";
import { programOf } from "../../vocabulary/programs.js";
import { shellScriptIndex } from "../../vocabulary/shells.js";
import { parseShell } from "../shell-parse.js";
import { type ComposeSource, definedIn } from "./compose-source.js";

interface Word {
  word: string;
  /** line where the word's text begins */
  line: number;
}

export function emitCommands(
  file: SourceFile,
  source: ComposeSource,
  service: string,
  raw: Record<string, unknown>,
  out: AnalyzerOutput,
): void {
  const words = [
    ...wordsOf(file, source, service, raw, "entrypoint", out),
    ...wordsOf(file, source, service, raw, "command", out),
  ];
  if (words.length === 0) return;
  const base = { path: file.path, origin: "compose" as const, unit: service };
  const argv = words.map((w) => w.word);
  const { program, args } = programOf(argv);
  const scriptAt = shellScriptIndex(program, args);
  const script = scriptAt >= 0 ? words[argv.length - args.length + scriptAt] : undefined;
  if (!script) {
    out.fact("command", { ...base, line: words[0]!.line, argv });
    return;
  }
  const parsed = parseShell(script.word);
  if (parsed.error) {
    out.finding({
      path: file.path,
      line: script.line + parsed.error.line - 1,
      severity: "warning",
      rule: "compose/shell-parse-error",
      message: `the ${program} -c script of service ${service} does not parse: ${parsed.error.message}`,
      remediation: "Fix the shell syntax of the script; check it with `sh -n` or shellcheck.",
    });
    out.fact("command", { ...base, line: words[0]!.line, argv });
    return;
  }
  for (const command of parsed.commands)
    out.fact("command", { ...base, line: script.line + command.line - 1, argv: command.argv });
}

/** The words of `entrypoint:` or `command:`: a list as given, a string split as compose splits it. */
function wordsOf(
  file: SourceFile,
  source: ComposeSource,
  service: string,
  raw: Record<string, unknown>,
  key: string,
  out: AnalyzerOutput,
): Word[] {
  const holder = definedIn(raw, key);
  if (!holder) return [];
  const value = holder[key];
  const keyPath = source.pathOf(holder);
  if (Array.isArray(value)) {
    const listPath = source.pathOf(value) ?? (keyPath && [...keyPath, key]);
    const words: Word[] = [];
    value.forEach((item, i) => {
      const word = asString(item);
      if (word !== undefined)
        words.push({ word: unescapeDollars(word), line: listPath ? source.doc.textLineAt([...listPath, i]) : 1 });
    });
    return words;
  }
  const text = typeof value === "string" ? unescapeDollars(value) : undefined;
  if (!text?.trim() || !keyPath) return [];
  const start = source.doc.textLineAt([...keyPath, key]);
  // compose splits the string with shell quoting rules but runs no shell: the first simple command's words
  const parsed = parseShell(text);
  const first = parsed.commands[0];
  if (parsed.error || !first) {
    out.finding({
      path: file.path,
      line: start + (parsed.error?.line ?? 1) - 1,
      severity: "warning",
      rule: "compose/shell-parse-error",
      message: `the ${key} of service ${service} cannot be split into words${parsed.error ? `: ${parsed.error.message}` : ""}`,
      remediation: `Balance the quotes, or write the ${key} as a list: \`${key}: ["sh", "-c", "pg_dump … && sleep 86400"]\`.`,
    });
    return [];
  }
  let offset = 0;
  return first.argv.map((written) => {
    const at = text.indexOf(written, offset);
    if (at >= 0) offset = at + written.length;
    return { word: literal(written), line: start + (at >= 0 ? countNewlines(text, at) : first.line - 1) };
  });
}

/** A word that is wholly quoted, as the program receives it; other words stay as written. */
function literal(written: string): string {
  if (/^'[^']*'$/.test(written)) return written.slice(1, -1);
  if (/^"(?:[^"\\]|\\.)*"$/s.test(written)) return written.slice(1, -1).replace(/\\([\\"$`])/g, "$1");
  return written;
}

/** Compose interpolation writes a literal `$` as `$$`. */
const unescapeDollars = (text: string) => text.replace(/\$\$/g, "$");

function countNewlines(text: string, end: number): number {
  let n = 0;
  for (let i = text.indexOf("\n"); i >= 0 && i < end; i = text.indexOf("\n", i + 1)) n++;
  return n;
}
