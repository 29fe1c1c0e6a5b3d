// Small helpers shared by the infrastructure analyzers: folders, environment names, JSON with lines.
import type { AnalyzerOutput, SourceFile } from "../../engine/analyzer.js";
import type { YamlError } from "../../engine/yaml.js";
import { lineAtOffset } from "../text-lines.js";

/** Folder names of a lower-case path, without the file name. */
export function folders(lowerPath: string): string[] {
  const parts = lowerPath.split("/");
  parts.pop();
  return parts;
}

const ENVIRONMENT_ALIASES: Record<string, string> = {
  prod: "prod",
  production: "prod",
  prd: "prod",
  staging: "staging",
  stage: "staging",
  stg: "staging",
  dev: "dev",
  development: "dev",
  qa: "qa",
  test: "test",
  testing: "test",
  uat: "uat",
  preprod: "preprod",
  "pre-prod": "preprod",
  preproduction: "preprod",
  sandbox: "sandbox",
  demo: "demo",
  perf: "perf",
  integration: "integration",
  nonprod: "nonprod",
  "non-prod": "nonprod",
};

/**
 * The environment a name stands for (`prod`, `values-production`, `eu-staging` …), normalised;
 * undefined when no part of the name is a known environment word.
 */
export function environmentOf(name: string): string | undefined {
  const lower = name.toLowerCase();
  if (ENVIRONMENT_ALIASES[lower]) return ENVIRONMENT_ALIASES[lower];
  for (const part of lower.split(/[^a-z0-9]+/)) {
    const env = ENVIRONMENT_ALIASES[part];
    if (env) return env;
  }
  return undefined;
}

/** Each YAML syntax error as an error finding under `rule`, with the tool that would point at it in the remediation. */
export function yamlSyntaxErrors(
  file: SourceFile,
  out: AnalyzerOutput,
  errors: readonly YamlError[],
  rule: string,
  remediation: string,
): void {
  for (const error of errors) {
    out.finding({
      path: file.path,
      line: error.line,
      severity: "error",
      rule,
      message: `YAML syntax error: ${error.message}`,
      remediation,
    });
  }
}

export type JsonResult = { value: unknown } | { error: { line: number; message: string } };

/** JSON.parse, with the line of a syntax error (V8's messages do not always carry a position). */
export function parseJson(text: string): JsonResult {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (err) {
    // V8 quotes the text around the error ("Unexpected token '}', ..."a": }" is not valid JSON"): keep the first part
    const message = (err instanceof Error ? err.message : String(err)).replace(/, (\.\.\.)?"[\s\S]*$/, "");
    return { error: { line: lineAtOffset(text, jsonErrorOffset(text)), message } };
  }
}

const JSON_LITERAL = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?|true|false|null/y;

/** Offset of the first JSON syntax error: a small recursive-descent scan run only after JSON.parse failed. */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const ws = () => {
    while (i < text.length && (text[i] === " " || text[i] === "\t" || text[i] === "\n" || text[i] === "\r")) i++;
  };
  const expect = (ok: boolean) => {
    if (!ok) throw i;
  };
  const string = () => {
    i++;
    while (i < text.length) {
      const c = text[i]!;
      if (c === "\\") i += 2;
      else if (c === '"') return void i++;
      else if (c < " ") throw i;
      else i++;
    }
    throw i;
  };
  const list = (close: string, item: () => void) => {
    i++;
    ws();
    if (text[i] === close) return void i++;
    for (;;) {
      item();
      ws();
      if (text[i] === ",") i++;
      else {
        expect(text[i] === close);
        i++;
        return;
      }
    }
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === "{") {
      list("}", () => {
        ws();
        expect(text[i] === '"');
        string();
        ws();
        expect(text[i] === ":");
        i++;
        value();
      });
    } else if (c === "[") list("]", value);
    else if (c === '"') string();
    else {
      JSON_LITERAL.lastIndex = i;
      const match = JSON_LITERAL.exec(text);
      expect(!!match && match[0].length > 0);
      i += match![0].length;
    }
  };
  try {
    value();
    ws();
    expect(i >= text.length);
    return text.length;
  } catch (at) {
    return typeof at === "number" ? at : 0; // a RangeError from absurd nesting: the file's start
  }
}
