// Vector: `sources` and `sinks` by id (TOML or YAML). Metric sinks (prometheus_exporter, statsd …) carry no logs.
import { parse as parseToml, TomlError } from "smol-toml";
import type { Analyzer, AnalyzerOutput, SourceFile } from "../../engine/analyzer.js";
import { asString, errorMessage, isRecord } from "../../engine/yaml.js";
import { inDirs, parseError } from "./common.js";
import type { YamlKind } from "./kind.js";
import { emitShipper, type Output } from "./log-sinks.js";

const REMEDIATION =
  'Add a sink that leaves the machine, e.g. `[sinks.loki] type = "loki"`, `inputs = ["app_logs"]`, `endpoint = "http://loki:3100"`.';
const inVectorDir = inDirs(["vector"]);
const isMetricSink = (type: string) => /metrics|^prometheus|^statsd|^influxdb|^appsignal|^datadog_events/.test(type);

function readVector(
  file: SourceFile,
  out: AnalyzerOutput,
  value: Record<string, unknown>,
  lineOfSink: (id: string) => number,
): void {
  if (!isRecord(value.sources) && !isRecord(value.sinks)) return;
  const outputs: Output[] = [];
  for (const [id, sink] of Object.entries(isRecord(value.sinks) ? value.sinks : {})) {
    const type = isRecord(sink) ? asString(sink.type) : undefined;
    if (type && !isMetricSink(type)) outputs.push({ type, line: lineOfSink(id) });
  }
  const firstSource = Object.keys(isRecord(value.sources) ? value.sources : {})[0];
  if (!firstSource && outputs.length === 0) return;
  emitShipper(out, file, "vector", firstSource ? lineOfSink(firstSource) : 1, outputs, REMEDIATION);
}

export const vectorToml: Analyzer = {
  id: "vector",
  extensions: [".toml"],
  match: (_path, name, lower) =>
    lower.endsWith(".toml") && (name.toLowerCase().startsWith("vector") || inVectorDir(lower)),
  analyze(file, out) {
    let value: Record<string, unknown>;
    try {
      value = parseToml(file.text);
    } catch (err) {
      return parseError(
        out,
        file,
        err instanceof TomlError ? err.line : 1,
        "this Vector config",
        errorMessage(err).split("\n")[0]!,
      );
    }
    // TOML is parsed without positions: find each table header (`[sinks.id]`, `[sources."id"]`) once
    const headers = new Map<string, number>();
    file.text.split("\n").forEach((text, i) => {
      const header = /^\s*\[(sinks|sources)\.("?)([^"\]]+)\2\]/.exec(text);
      const key = header ? `${header[1]}.${header[3]}` : "";
      if (header && !headers.has(key)) headers.set(key, i + 1);
    });
    const line = (id: string) => headers.get(`sinks.${id}`) ?? headers.get(`sources.${id}`) ?? 1;
    readVector(file, out, value, line);
  },
};

export const vectorYaml: YamlKind = {
  id: "vector-yaml",
  recognises: (v) => isRecord(v.sources) && isRecord(v.sinks),
  read({ file, out, doc, value }) {
    readVector(file, out, value, (id) =>
      isRecord(value.sinks) && id in value.sinks ? doc.lineAt(["sinks", id]) : doc.lineAt(["sources", id]),
    );
  },
};
