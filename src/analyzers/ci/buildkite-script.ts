// Buildkite dynamic pipelines: a script under .buildkite/ prints the pipeline's YAML (`cat << EOF … EOF`), and a
// step pipes it to `buildkite-agent pipeline upload`. The here-documents the script prints are read together, at
// their own lines, as the pipeline Buildkite receives; a script that prints no `steps:` is just a script.
// Limits (honest): every here-document counts, as if every `if` branch ran, and `${VAR}` stays as written.
import type { Analyzer } from "../../engine/analyzer.js";
import { parseYaml } from "../../engine/yaml.js";
import { heredocs, loadShellParser } from "../shell-parse.js";
import { readPipeline } from "./buildkite.js";

export const buildkiteScriptAnalyzer: Analyzer = {
  id: "ci-buildkite-script",
  extensions: [".sh"],
  match: (_path, _name, lower) => lower.startsWith(".buildkite/") && lower.endsWith(".sh"),
  prepare: loadShellParser,
  analyze(file, out) {
    const printed = heredocs(file.text).filter((h) => !h.toFile && h.program === "cat");
    if (printed.length === 0) return;
    // blank lines everywhere else keep each YAML line at its line in the script
    const lines = new Array<string>(file.text.split("\n").length).fill("");
    for (const h of printed) h.body.split("\n").forEach((l, i) => (lines[h.line - 1 + i] = l));
    const parsed = parseYaml(lines.join("\n"));
    const doc = parsed.docs[0];
    if (parsed.errors.length > 0 || !doc) return;
    readPipeline(file, out, doc);
  },
};
