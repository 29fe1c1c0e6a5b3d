// The commands a RUN instruction runs, with file lines: shell form through the shell parser (continuations,
// comment lines inside them, heredoc scripts), exec form `RUN ["a", "b"]` word for word.
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

export function runCommands(run: Run): RunCommands {
  const range = run.getArgumentsRange();
  const raw = run.getRawArgumentsContent();
  if (!range || raw === null) return { commands: [] };
  const firstLine = range.start.line + 1;

  const json = run.getJSONStrings();
  if (json.length > 0 && run.getClosingBracket()) {
    return { commands: [{ line: firstLine, argv: json.map((s) => s.getJSONValue()) }] };
  }

  const heredocs = run.getHeredocs();
  // `RUN <<EOF` with nothing else: BuildKit runs each heredoc body as a shell script
  const head = raw.split("\n", 1)[0]!.replace(/<<-?\s*(["']?)[A-Za-z0-9_]+\1/g, "").trim();
  if (heredocs.length > 0 && head === "") {
    const commands: RunCommand[] = [];
    let error: RunCommands["error"];
    for (const doc of heredocs) {
      const content = doc.getContentRange();
      if (!content) continue;
      const lines = raw.split("\n");
      const bodyStart = content.start.line - range.start.line;
      const body = lines.slice(bodyStart, content.end.line - range.start.line + 1).join("\n");
      const parsed = shellAt(body, content.start.line + 1);
      commands.push(...parsed.commands);
      error ??= parsed.error;
    }
    return { commands, ...(error ? { error } : {}) };
  }
  return shellAt(withoutDockerComments(raw), firstLine);
}

/**
 * Docker drops comment and blank lines inside a continued instruction; a shell would end the command
 * there. A lone `\` keeps the continuation and the line count, so lines still map to the file.
 */
function withoutDockerComments(raw: string): string {
  return raw
    .split("\n")
    .map((line, i) => (i > 0 && (line.trim() === "" || line.trimStart().startsWith("#")) ? "\\" : line))
    .join("\n");
}

function shellAt(text: string, firstLine: number): RunCommands {
  const parsed = parseShell(text, "Dockerfile");
  const commands = parsed.commands.map((c) => ({ line: c.line + firstLine - 1, argv: c.argv }));
  if (!parsed.error) return { commands };
  return { commands, error: { line: parsed.error.line + firstLine - 1, message: parsed.error.message } };
}
