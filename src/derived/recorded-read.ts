// Running an analyzer's reader on a value assembled in the derived stage (a chart's values, merged config
// files): its facts are recorded at one place of the repository, its findings dropped (the files it came
// from were checked on their own).
import type { AnalyzerOutput, SourceFile } from "../engine/analyzer.js";
import type { FactStore } from "../engine/facts.js";
import type { YamlDocument } from "../engine/yaml.js";
import type { FactKind, FactKinds } from "../facts/index.js";

export interface Place {
  path: string;
  line: number;
}

/** An analyzer output that records facts at `at` and drops findings. */
export function recordAt(store: FactStore, at: Place): AnalyzerOutput {
  return {
    fact: <K extends FactKind>(kind: K, fact: FactKinds[K]) =>
      store.add(kind, { ...fact, path: at.path, ...("line" in fact ? { line: at.line } : {}) }),
    finding() {},
  };
}

/** The source file a reader is told about: the place's path, no text of its own. */
export const fileAt = (at: { path: string }): SourceFile => ({
  path: at.path,
  name: at.path.split("/").pop()!,
  text: "",
});

/** A YAML document whose every line is the place's. */
export const docAt = (value: unknown, at: { line: number }): YamlDocument => ({
  value,
  line: at.line,
  lineAt: () => at.line,
  textLineAt: () => at.line,
});
