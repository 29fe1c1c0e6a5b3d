// Fluent Bit: the classic INI-like format (`[INPUT]`/`[OUTPUT]` sections of `Key Value` lines) and the YAML format
// (`pipeline: {inputs, outputs}`).
import type { Analyzer } from "../../engine/analyzer.js";
import { asArray, asString, isRecord } from "../../engine/yaml.js";
import { inDirs, parseError, report } from "./common.js";
import type { YamlKind } from "./kind.js";
import { emitShipper, type Output } from "./log-sinks.js";

const REMEDIATION =
  "Add an `[OUTPUT]` section that sends logs to an aggregator, e.g. `Name loki`, `Match *`, `Host loki`.";
const inFluentBitDir = inDirs(["fluent-bit", "fluentbit", "td-agent-bit"]);

export interface ClassicSection {
  name: string;
  line: number;
  props: Record<string, string>;
}

/** Reads the classic format. `@INCLUDE`/`@SET` lines are commands, `#` starts a comment line. */
export function readClassic(text: string): {
  sections: ClassicSection[];
  includes: number;
  error?: { line: number; message: string };
} {
  const sections: ClassicSection[] = [];
  let includes = 0;
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === "" || line.startsWith("#")) continue;
    if (line.startsWith("@")) {
      if (/^@include\b/i.test(line)) includes++;
      continue;
    }
    const header = /^\[([A-Za-z_ ]+)\]$/.exec(line);
    if (header) {
      sections.push({ name: header[1]!.trim().toUpperCase(), line: i + 1, props: {} });
      continue;
    }
    if (line.startsWith("["))
      return { sections, includes, error: { line: i + 1, message: `bad section header ${line.slice(0, 60)}` } };
    const current = sections[sections.length - 1];
    if (!current) return { sections, includes, error: { line: i + 1, message: "a setting outside any section" } };
    const [key, ...rest] = line.split(/\s+/);
    current.props[key!.toLowerCase()] = rest.join(" ");
  }
  return { sections, includes };
}

export const fluentBitClassic: Analyzer = {
  id: "fluent-bit",
  extensions: [".conf"],
  match: (_path, name, lower) => {
    if (!lower.endsWith(".conf")) return false;
    const n = name.toLowerCase();
    return n === "fluent-bit.conf" || n === "fluentbit.conf" || n === "td-agent-bit.conf" || inFluentBitDir(lower);
  },
  analyze(file, out) {
    const { sections, includes, error } = readClassic(file.text);
    if (error) return parseError(out, file, error.line, "this Fluent Bit config", error.message);
    const inputs = sections.filter((s) => s.name === "INPUT");
    const outputs: Output[] = [];
    for (const s of sections.filter((s) => s.name === "OUTPUT")) {
      if (!s.props.name) {
        report(
          out,
          file,
          s.line,
          "error",
          "invalid-output",
          "an [OUTPUT] section has no `Name`: Fluent Bit refuses to start",
          REMEDIATION,
        );
        continue;
      }
      outputs.push({ type: s.props.name.toLowerCase(), line: s.line });
    }
    // an input-only file that @INCLUDEs others may get its outputs there; a parsers file has neither
    if (outputs.length === 0 && (inputs.length === 0 || includes > 0)) return;
    emitShipper(out, file, "fluent-bit", inputs[0]?.line ?? 1, outputs, REMEDIATION);
  },
};

export const fluentBitYaml: YamlKind = {
  id: "fluent-bit-yaml",
  recognises: (v) => isRecord(v.pipeline) && (Array.isArray(v.pipeline.inputs) || Array.isArray(v.pipeline.outputs)),
  read({ file, out, doc, value }) {
    const pipeline = value.pipeline as Record<string, unknown>;
    const outputs = asArray(pipeline.outputs).flatMap((o, i) => {
      const name = isRecord(o) ? asString(o.name) : undefined;
      return name ? [{ type: name.toLowerCase(), line: doc.lineAt(["pipeline", "outputs", i]) }] : [];
    });
    emitShipper(out, file, "fluent-bit", doc.lineAt(["pipeline"]), outputs, REMEDIATION);
  },
};
