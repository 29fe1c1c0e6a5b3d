// OpenTelemetry Collector: components are only in effect when a `service.pipelines` entry uses them.
import { asArray, asString, isRecord } from "../../engine/yaml.js";
import { report } from "./common.js";
import type { YamlKind } from "./kind.js";
import { emitShipper, type Output } from "./log-sinks.js";

const typeOf = (id: string) => id.split("/")[0]!;

const SECTIONS = new Set(["receivers", "processors", "exporters", "connectors", "extensions", "service"]);

/** Configs merged as the collector merges its `--config` files: maps merge, lists are replaced, null removes. */
export function mergeCollectorConfigs(base: unknown, over: unknown): Record<string, unknown> {
  const merged = merge(base, over);
  return isRecord(merged) ? merged : {};
}

function merge(base: unknown, over: unknown): unknown {
  if (!isRecord(base) || !isRecord(over)) return over === undefined ? base : over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = v === null ? undefined : merge(base[k], v);
  return out;
}

/** A collector config file, whole or one of several merged: only collector sections, with components or a service. */
export const isOtelConfig = (v: Record<string, unknown>): boolean =>
  Object.keys(v).length > 0 &&
  Object.keys(v).every((k) => SECTIONS.has(k)) &&
  (isRecord(v.receivers) || isRecord(v.exporters) || (isRecord(v.service) && isRecord(v.service.pipelines)));

export const otelCollector: YamlKind = {
  id: "otel-collector",
  recognises: (v) => isRecord(v.receivers) && isRecord(v.exporters) && isRecord(v.service),
  read({ file, out, doc, value }) {
    const service = value.service as Record<string, unknown>;
    const pipelines = isRecord(service.pipelines) ? service.pipelines : {};
    const declared = new Set([
      ...Object.keys(value.exporters as object),
      ...Object.keys(isRecord(value.connectors) ? value.connectors : {}),
    ]);
    const logOutputs: Output[] = [];
    let logLine: number | undefined;
    for (const [id, pipeline] of Object.entries(pipelines)) {
      if (!isRecord(pipeline)) continue;
      const line = doc.lineAt(["service", "pipelines", id]);
      const exporters = asArray(pipeline.exporters)
        .map(asString)
        .filter((e): e is string => !!e);
      const undeclared = exporters.filter((e) => !declared.has(e));
      if (undeclared.length > 0) {
        report(
          out,
          file,
          line,
          "error",
          "invalid-pipeline",
          `pipeline "${id}" uses exporters that are not declared (${undeclared.join(", ")}): the collector refuses to start`,
          "Declare every exporter of a pipeline under top-level `exporters:`.",
        );
        continue;
      }
      const signal = typeOf(id);
      if (signal === "logs") {
        logLine ??= line;
        logOutputs.push(
          ...exporters.map((e) => ({ type: typeOf(e), line: doc.lineAt(["service", "pipelines", id, "exporters"]) })),
        );
      } else if (signal === "metrics") {
        const receivers = asArray(pipeline.receivers)
          .map(asString)
          .filter((r): r is string => !!r);
        if (receivers.length > 0 && exporters.length > 0) {
          out.fact("scrape", { path: file.path, line, tool: "otel-collector", jobs: receivers });
        }
      }
    }
    if (logLine !== undefined) {
      emitShipper(
        out,
        file,
        "otel-collector",
        logLine,
        logOutputs,
        "Export the logs pipeline to a backend, e.g. `exporters: [otlphttp/loki]` with `otlphttp/loki: {endpoint: http://loki:3100/otlp}`.",
      );
    }
  },
};
