// Observability configs that a script or a CI step writes with a here-document (`cat > /opt/promtail/promtail.yaml
// <<EOF`), also inside a script that a step writes the same way (a VM's startup script): the file analyzers read
// each body as the file it becomes. Evidence points at the script or the workflow, at the body's first line.
import type { Analyzer, AnalyzerOutput } from "../../engine/analyzer.js";
import type { FactKind, FactKinds } from "../../facts/index.js";
import { heredocs } from "../shell-parse.js";
import { alloyConfig } from "./alloy.js";
import { fluentBitClassic } from "./fluent-bit.js";
import { fluentd } from "./fluentd.js";
import { logstash } from "./logstash.js";
import { vectorToml } from "./vector.js";
import { observabilityYaml } from "./yaml-configs.js";

const READERS: readonly Analyzer[] = [observabilityYaml, fluentBitClassic, fluentd, vectorToml, logstash, alloyConfig];
/** a here-document, and a file name a config reader may want */
const HEREDOC = /<<-?\s*['"]?[A-Za-z_]/;
const CONFIG_NAME = /\.(ya?ml|conf|alloy|river|toml)\b/;

/** Reads the configs that `text` (shell) writes with here-documents; facts go to `out` at `path`, lines from `line`. */
export function heredocConfigs(text: string, path: string, line: number, out: AnalyzerOutput, depth = 0): void {
  if (depth > 2 || !HEREDOC.test(text) || !CONFIG_NAME.test(text)) return;
  for (const h of heredocs(text)) {
    if (!h.toFile || !h.target) continue;
    const target = h.target.replace(/^["']|["']$/g, "");
    const name = target.slice(target.lastIndexOf("/") + 1);
    const at = line + h.line - 1;
    // what the file will hold: an unquoted here-document's `\$` is a `$`
    const body = h.quoted ? h.body : h.body.replace(/\\([$`\\])/g, "$1");
    if (/\.(sh|bash)$/.test(name) || body.startsWith("#!")) {
      heredocConfigs(body, path, at, out, depth + 1);
      continue;
    }
    // the folder it is written to says which tool reads it (/opt/promtail/…, /etc/fluent-bit/…)
    const virtual = /^[\w./-]+$/.test(target) ? target.replace(/^\/+/, "") : `monitoring/${name}`;
    const moved: AnalyzerOutput = {
      fact<K extends FactKind>(kind: K, fact: FactKinds[K]) {
        out.fact(kind, { ...fact, path, ...("line" in fact ? { line: at } : {}) });
      },
      finding() {},
    };
    for (const reader of READERS) {
      if (!reader.match(virtual, name, virtual.toLowerCase())) continue;
      try {
        void reader.analyze({ path: virtual, name, text: body }, moved);
      } catch {
        // a body that is no config says nothing
      }
    }
  }
}
