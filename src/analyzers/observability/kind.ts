// One observability YAML document kind: how to recognise it by its keys, and how to read it.
import type { AnalyzerOutput, SourceFile } from "../../engine/analyzer.js";
import type { YamlDocument } from "../../engine/yaml.js";

export interface DocContext {
  file: SourceFile;
  out: AnalyzerOutput;
  doc: YamlDocument;
  value: Record<string, unknown>;
}

export interface YamlKind {
  id: string;
  recognises(value: Record<string, unknown>): boolean;
  read(ctx: DocContext): void;
}
