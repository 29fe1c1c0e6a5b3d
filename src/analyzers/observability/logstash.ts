// Logstash pipelines: `input {}`, `filter {}`, `output {}` sections of plugin blocks, with `if/else` conditionals.
// A small tokenizer reads the structure; plugin settings are skipped.
import type { Analyzer } from "../../engine/analyzer.js";
import { inDirs, parseError } from "./common.js";
import { emitShipper, type Output } from "./log-sinks.js";

const inLogstashDir = inDirs(["logstash"]);

interface Token {
  text: string;
  line: number;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "\n") line++;
    else if (c === "#") {
      while (i + 1 < text.length && text[i + 1] !== "\n") i++;
    } else if (c === '"' || c === "'") {
      const start = line;
      let j = i + 1;
      while (j < text.length && text[j] !== c) {
        if (text[j] === "\\") j++;
        else if (text[j] === "\n") line++;
        j++;
      }
      tokens.push({ text: '"', line: start });
      i = j;
    } else if (c === "{" || c === "}") tokens.push({ text: c, line });
    else if (/[A-Za-z_]/.test(c)) {
      let j = i;
      while (j + 1 < text.length && /[\w-]/.test(text[j + 1]!)) j++;
      tokens.push({ text: text.slice(i, j + 1), line });
      i = j;
    }
  }
  return tokens;
}

export interface LogstashPipeline {
  sections: Map<string, Output[]>;
  error?: { line: number; message: string };
}

export function readLogstash(text: string): LogstashPipeline {
  const tokens = tokenize(text);
  const sections = new Map<string, Output[]>();
  let i = 0;
  const fail = (message: string): LogstashPipeline => ({
    sections,
    error: { line: tokens[Math.min(i, tokens.length - 1)]?.line ?? 1, message },
  });
  /** skips a balanced `{ … }` starting at tokens[i] */
  const skipBlock = (): boolean => {
    let depth = 0;
    for (; i < tokens.length; i++) {
      if (tokens[i]!.text === "{") depth++;
      else if (tokens[i]!.text === "}" && --depth === 0) {
        i++;
        return true;
      }
    }
    return false;
  };
  /** plugins until the closing `}` of the current block; conditionals are descended into */
  const plugins = (into: Output[]): boolean => {
    while (i < tokens.length && tokens[i]!.text !== "}") {
      const word = tokens[i]!;
      if (word.text === "if" || word.text === "else") {
        while (i < tokens.length && tokens[i]!.text !== "{") i++;
        i++;
        if (!plugins(into)) return false;
        i++;
        continue;
      }
      if (tokens[i + 1]?.text !== "{") return false;
      into.push({ type: word.text, line: word.line });
      i++;
      if (!skipBlock()) return false;
    }
    return i < tokens.length;
  };
  while (i < tokens.length) {
    const name = tokens[i]!.text;
    if (!["input", "filter", "output"].includes(name) || tokens[i + 1]?.text !== "{")
      return fail(`expected input, filter or output, found "${name}"`);
    i += 2;
    const list = sections.get(name) ?? [];
    sections.set(name, list);
    if (!plugins(list)) return fail(`unbalanced braces in the ${name} section`);
    i++;
  }
  return { sections };
}

export const logstash: Analyzer = {
  id: "logstash",
  extensions: [".conf"],
  match: (_path, name, lower) =>
    lower.endsWith(".conf") && (name.toLowerCase().startsWith("logstash") || inLogstashDir(lower)),
  analyze(file, out) {
    const { sections, error } = readLogstash(file.text);
    if (error) return parseError(out, file, error.line, "this Logstash pipeline", error.message);
    const inputs = sections.get("input") ?? [];
    const outputs = sections.get("output") ?? [];
    if (inputs.length === 0 && outputs.length === 0) return;
    emitShipper(
      out,
      file,
      "logstash",
      inputs[0]?.line ?? 1,
      outputs,
      'Add an output that stores the logs centrally, e.g. `output { elasticsearch { hosts => ["https://es:9200"] } }`.',
    );
  },
};
