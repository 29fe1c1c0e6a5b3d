// Small helpers shared by the observability and security analyzers.
import type { AnalyzerOutput, SourceFile } from "../../engine/analyzer.js";
import type { Severity } from "../../engine/types.js";
import { isRecord, parseYaml, type YamlDocument } from "../../engine/yaml.js";
import { escapeRegExp } from "../text-lines.js";

export type { YamlDocument };

/** Reports a finding under `monitoring/<name>`. */
export function report(
  out: AnalyzerOutput,
  file: SourceFile,
  line: number,
  severity: Severity,
  name: string,
  message: string,
  remediation?: string,
): void {
  out.finding({
    path: file.path,
    line,
    severity,
    rule: `monitoring/${name}`,
    message,
    ...(remediation ? { remediation } : {}),
  });
}

export function parseError(out: AnalyzerOutput, file: SourceFile, line: number, what: string, message: string): void {
  report(
    out,
    file,
    line,
    "error",
    "parse-error",
    `${what} cannot be parsed: ${message}`,
    "Fix the syntax: the tool refuses to load this file, so none of it is in effect.",
  );
}

/**
 * Parses a YAML file and returns its mapping documents. A syntax error becomes a parse-error finding,
 * except in a template (Helm `{{ }}`): that text is not YAML until rendered, and not ours to judge.
 */
export function yamlMappings(file: SourceFile, out: AnalyzerOutput, what: string): YamlDocument[] {
  const { docs, errors } = parseYaml(file.text);
  if (errors.length > 0 && !file.text.includes("{{")) parseError(out, file, errors[0]!.line, what, errors[0]!.message);
  return docs.filter((d) => isRecord(d.value));
}

/** A test for a folder name anywhere in a lower-case path, e.g. inDirs(["prometheus"])("ops/prometheus/x.yml"). */
export function inDirs(dirs: readonly string[]): (lowerPath: string) => boolean {
  const escaped = dirs.map(escapeRegExp);
  const pattern = new RegExp(`(^|/)(${escaped.join("|")})/`);
  return (lowerPath) => pattern.test(lowerPath);
}

export const isDisabled = (value: unknown): boolean => value === false || value === "false";
