// The commands RUN instructions run, with file lines: shell form through the shell parser (continuations,
// comment lines inside them, heredoc scripts), exec form `RUN ["a", "b"]` word for word.
// The shell parser has a high fixed cost per call, so every RUN of a file is parsed in one text laid out
// on the file's own lines; only when that text has a syntax error is each RUN parsed alone, to place it.
import type { Run } from "dockerfile-ast";
import { parseShell } from "../shell-parse.js";

export interface RunCommand {
  line: number;
  argv: string[];
}

export interface RunCommands {
  commands: RunCommand[];
  error?: { line: number; message: string };
}

/** Shell text of one RUN, and the file line its first line sits on. */
interface Segment {
  run: number;
  text: string;
  firstLine: number;
  lastLine: number;
}

/** The commands of each RUN, in the order given. */
export function runCommands(runs: readonly Run[]): RunCommands[] {
  const results: RunCommands[] = runs.map(() => ({ commands: [] }));
  const segments: Segment[] = [];
  runs.forEach((run, index) => {
    const exec = execForm(run);
    if (exec) results[index]!.commands.push(exec);
    else segments.push(...shellSegments(run, index));
  });
  if (segments.length === 0) return results;

  const combined = layOut(segments);
  const parsed = combined === undefined ? undefined : parseShell(combined, "Dockerfile");
  if (parsed && !parsed.error) {
    const owner = new Map<number, number>();
    for (const s of segments) for (let line = s.firstLine; line <= s.lastLine; line++) owner.set(line, s.run);
    for (const c of parsed.commands) {
      const run = owner.get(c.line);
      if (run !== undefined) results[run]!.commands.push({ line: c.line, argv: c.argv });
    }
    return results;
  }
  for (const s of segments) {
    const alone = parseShell(s.text, "Dockerfile");
    const result = results[s.run]!;
    result.commands.push(...alone.commands.map((c) => ({ line: c.line + s.firstLine - 1, argv: c.argv })));
    if (alone.error && !result.error)
      result.error = { line: alone.error.line + s.firstLine - 1, message: alone.error.message };
  }
  return results;
}

function execForm(run: Run): RunCommand | undefined {
  const json = run.getJSONStrings();
  const range = run.getArgumentsRange();
  if (json.length === 0 || !run.getClosingBracket() || !range) return undefined;
  return { line: range.start.line + 1, argv: json.map((s) => s.getJSONValue()) };
}

function shellSegments(run: Run, index: number): Segment[] {
  const range = run.getArgumentsRange();
  const raw = run.getRawArgumentsContent();
  if (!range || raw === null) return [];
  const lines = raw.split("\n");
  const heredocs = run.getHeredocs();
  // `RUN <<EOF` with nothing else: BuildKit runs each heredoc body as a shell script
  const head = lines[0]!.replace(/<<-?\s*(["']?)[A-Za-z0-9_]+\1/g, "").trim();
  if (heredocs.length > 0 && head === "") {
    return heredocs.flatMap((doc) => {
      const content = doc.getContentRange();
      if (!content) return [];
      const body = lines.slice(content.start.line - range.start.line, content.end.line - range.start.line + 1);
      return [segment(index, body, content.start.line + 1)];
    });
  }
  return [segment(index, withoutDockerComments(lines), range.start.line + 1)];
}

function segment(run: number, lines: string[], firstLine: number): Segment {
  return { run, text: lines.join("\n"), firstLine, lastLine: firstLine + lines.length - 1 };
}

/**
 * Docker drops comment and blank lines inside a continued instruction; a shell would end the command
 * there. A lone `\` keeps the continuation and the line count, so lines still map to the file.
 */
function withoutDockerComments(lines: string[]): string[] {
  return lines.map((line, i) => (i > 0 && (line.trim() === "" || line.trimStart().startsWith("#")) ? "\\" : line));
}

/** One text with each segment on its own file lines; undefined if segments overlap (never for a parsed file). */
function layOut(segments: readonly Segment[]): string | undefined {
  const parts: string[] = [];
  let lastLine = 0;
  for (const s of segments) {
    const newlines = s.firstLine - lastLine - (parts.length === 0 ? 1 : 0);
    if (newlines < (parts.length === 0 ? 0 : 1)) return undefined;
    parts.push("\n".repeat(newlines), s.text);
    lastLine = s.lastLine;
  }
  return parts.join("");
}
