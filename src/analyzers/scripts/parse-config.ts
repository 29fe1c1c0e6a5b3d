// JSON and TOML with parse errors turned into findings (with their line), never exceptions.
import { parse as parseToml } from "smol-toml";
import type { AnalyzerOutput, SourceFile } from "../../engine/analyzer.js";
import { isRecord } from "../../engine/yaml.js";
import { jsonErrorLine } from "../text-lines.js";

export function readJson(file: SourceFile, out: AnalyzerOutput, area: string): Record<string, unknown> | undefined {
  if (file.text.trim() === "") return undefined;
  let value: unknown;
  try {
    value = JSON.parse(file.text);
  } catch (err) {
    out.finding(
      parseError(file.path, area, jsonErrorLine(file.text, err), err instanceof Error ? err.message : String(err)),
    );
    return undefined;
  }
  if (!isRecord(value)) {
    out.finding(parseError(file.path, area, 1, "the top level is not a JSON object"));
    return undefined;
  }
  return value;
}

export function readToml(file: SourceFile, out: AnalyzerOutput, area: string): Record<string, unknown> | undefined {
  try {
    return parseToml(file.text) as Record<string, unknown>;
  } catch (err) {
    const line = typeof (err as { line?: unknown }).line === "number" ? (err as { line: number }).line : 1;
    const message = (err instanceof Error ? err.message : String(err)).split("\n")[0]!;
    out.finding(parseError(file.path, area, line, message));
    return undefined;
  }
}

export function parseError(path: string, area: string, line: number, message: string) {
  return {
    path,
    line,
    severity: "warning" as const,
    rule: `${area}/parse-error`,
    message: `cannot parse: ${message}`,
    remediation: "Fix the syntax so the tools that read this file (and this scan) can use it.",
  };
}
