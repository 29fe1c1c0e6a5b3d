// OpenTelemetry Collector configs started together (`otelcol --config base.yaml --config prod.yaml`, or the
// same flags as a compose service's command for the collector image): the collector merges them in order, so a
// pipeline in one file may use an exporter another declares. Each set a command starts is merged and read as
// one config; files the repository keeps are matched to the command's paths by file name, nearest first.
import { isOtelConfig, mergeCollectorConfigs, otelCollector } from "../analyzers/observability/otel-collector.js";
import { FactStore } from "../engine/facts.js";
import type { CommandFact } from "../facts/commands.js";
import type { OtelConfigFact } from "../facts/observability.js";
import { programOf } from "../vocabulary/programs.js";
import { docAt, fileAt, recordAt } from "./recorded-read.js";

export function otelOverlays(facts: FactStore): FactStore {
  const store = new FactStore();
  const configs = facts.all("otelConfig");
  for (const command of facts.all("command")) {
    if (!startsCollector(command.argv)) continue;
    const paths = configPaths(command.argv);
    if (paths.length < 2) continue;
    const files = paths.map((p) => nearest(configs, p, command));
    if (files.some((f) => f === undefined)) continue;
    const set = files as OtelConfigFact[];
    if (set.every((f) => otelCollector.recognises(f.value))) continue; // whole files, each already read alone
    const merged = set.reduce<Record<string, unknown>>((acc, f) => mergeCollectorConfigs(acc, f.value), {});
    if (!otelCollector.recognises(merged) || !isOtelConfig(merged)) continue;
    const holder = [...set].reverse().find((f) => f.pipelinesLine !== undefined) ?? set.at(-1)!;
    const at = { path: holder.path, line: holder.pipelinesLine ?? holder.line };
    otelCollector.read({ file: fileAt(at), out: recordAt(store, at), doc: docAt(merged, at), value: merged });
  }
  return store;
}

/** the collector binary, or a container command that only passes it flags (the image's entrypoint is the collector) */
function startsCollector(argv: readonly string[]): boolean {
  const { program } = programOf(argv);
  return /^otelcol(-[\w]+)?$/.test(program) || /^--config(=|$)/.test(argv[0] ?? "");
}

/** file paths of `--config PATH` / `--config=PATH` / `--config=file:PATH`; env:, yaml: and http(s): sources are not files */
function configPaths(argv: readonly string[]): string[] {
  const paths: string[] = [];
  argv.forEach((word, i) => {
    const value = word === "--config" ? argv[i + 1] : word.startsWith("--config=") ? word.slice(9) : undefined;
    if (value === undefined) return;
    const path = value.replace(/^["']|["']$/g, "").replace(/^file:/, "");
    if (!/^[a-z]+:/.test(path)) paths.push(path);
  });
  return paths;
}

/** the repository's config file with the path's file name, sharing the most leading folders with the command's file */
function nearest(configs: readonly OtelConfigFact[], path: string, command: CommandFact): OtelConfigFact | undefined {
  const name = path.split("/").pop();
  const shared = (p: string) => {
    const a = p.split("/");
    const b = command.path.split("/");
    let n = 0;
    while (n < a.length - 1 && n < b.length - 1 && a[n] === b[n]) n++;
    return n;
  };
  return configs.filter((c) => c.path.split("/").pop() === name).sort((x, y) => shared(y.path) - shared(x.path))[0];
}
