// Which log outputs aggregate: an output that keeps logs on the same machine (stdout, a local file, a null
// sink) is not aggregation, whatever the shipper.
import type { AnalyzerOutput, SourceFile } from "../../engine/analyzer.js";
import { report } from "./common.js";

const LOCAL_OUTPUTS = new Set([
  "stdout",
  "stderr",
  "console",
  "null",
  "nop",
  "noop",
  "discard",
  "blackhole",
  "debug",
  "logging",
  "file",
  "exit",
  "counter",
  "flowcounter",
  "flowcounter_simple",
  "rubydebug",
  "pipe",
]);

export function isLocalOutput(type: string): boolean {
  return LOCAL_OUTPUTS.has(type.toLowerCase());
}

export interface Output {
  type: string;
  line: number;
}

/** Emits the logShipping fact of one shipper config, and a warning when nothing leaves the machine. */
export function emitShipper(
  out: AnalyzerOutput,
  file: SourceFile,
  tool: string,
  line: number,
  outputs: Output[],
  remediation: string,
): void {
  const sinks = [...new Set(outputs.filter((o) => !isLocalOutput(o.type)).map((o) => o.type))];
  const localOutputs = [...new Set(outputs.filter((o) => isLocalOutput(o.type)).map((o) => o.type))];
  const first = outputs.find((o) => !isLocalOutput(o.type));
  out.fact("logShipping", { path: file.path, line: first?.line ?? line, tool, sinks, localOutputs, role: "shipper" });
  if (sinks.length === 0) {
    const what = localOutputs.length > 0 ? `only to ${localOutputs.join(", ")}` : "nowhere (no output is configured)";
    report(
      out,
      file,
      outputs[0]?.line ?? line,
      "warning",
      "logs-not-shipped",
      `this ${tool} config sends logs ${what}: they are not aggregated anywhere`,
      remediation,
    );
  }
}
