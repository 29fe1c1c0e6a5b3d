// Grafana Alloy (and Grafana Agent Flow) configs in the River syntax: `loki.source.file "app" { forward_to =
// [loki.process.app.receiver] }`. Components pass logs along their `forward_to` lists (otelcol components along
// their `output { logs = […] }`); logs are aggregated when a source's chain reaches a writer that leaves the
// machine (`loki.write` with an `endpoint`, an `otelcol.exporter.*` other than debug). `loki.echo` only prints.
// Files kept as Jinja or Go templates (`config.alloy.j2`) are read with their template tags taken out: a label or
// reference made by a template matches any component of its type.
import type { Analyzer, AnalyzerOutput, SourceFile } from "../../engine/analyzer.js";
import { emitShipper, type Output } from "./log-sinks.js";

const TEMPLATED = "__tpl__";

export interface AlloyComponent {
  /** the component's name (`loki.source.file`) and label */
  name: string;
  label?: string;
  line: number;
  body: string;
}

/** Comments and template statements out (newlines kept), template expressions as a placeholder. */
function clean(text: string): string {
  let out = "";
  let i = 0;
  const keepLines = (s: string) => s.replace(/[^\n]/g, "");
  while (i < text.length) {
    const c = text[i]!;
    const two = text.slice(i, i + 2);
    if (c === '"' || c === "`") {
      let j = i + 1;
      while (j < text.length && text[j] !== c) j += c === '"' && text[j] === "\\" ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (two === "//") {
      const end = text.indexOf("\n", i);
      i = end < 0 ? text.length : end;
    } else if (two === "/*" || two === "{%" || two === "{#") {
      const close = two === "/*" ? "*/" : two === "{%" ? "%}" : "#}";
      const end = text.indexOf(close, i + 2);
      const stop = end < 0 ? text.length : end + 2;
      out += keepLines(text.slice(i, stop));
      i = stop;
    } else if (two === "{{") {
      const end = text.indexOf("}}", i + 2);
      const stop = end < 0 ? text.length : end + 2;
      out += TEMPLATED + keepLines(text.slice(i, stop));
      i = stop;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

const HEADER = /([A-Za-z_][\w.]*)\s*(?:"([^"]*)"|([\w.]+))?\s*$/;

/** The top-level blocks of a River file. */
export function readAlloy(text: string): AlloyComponent[] {
  const src = clean(text);
  const components: AlloyComponent[] = [];
  let depth = 0;
  let start = 0;
  let headerStart = 0;
  let header = "";
  let line = 1;
  let headerLine = 1;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === "\n") line++;
    if (c === '"' || c === "`") {
      let j = i + 1;
      while (j < src.length && src[j] !== c) j += c === '"' && src[j] === "\\" ? 2 : 1;
      for (let k = i; k < j && k < src.length; k++) if (src[k] === "\n") line++;
      i = j;
      continue;
    }
    if (c === "{") {
      if (depth === 0) {
        header = src.slice(headerStart, i);
        headerLine = line;
        start = i + 1;
      }
      depth++;
    } else if (c === "}" && depth > 0) {
      depth--;
      if (depth === 0) {
        const match = HEADER.exec(header.split("\n").pop() ?? "");
        if (match) {
          const label = match[2] ?? match[3];
          components.push({
            name: match[1]!,
            ...(label !== undefined ? { label } : {}),
            line: headerLine,
            body: src.slice(start, i),
          });
        }
        headerStart = i + 1;
      }
    } else if (c === "\n" && depth === 0) {
      headerStart = i + 1;
    }
  }
  return components;
}

/** `forward_to = [a.b.c.receiver, …]` and otelcol's `logs = […]`: the components they name (`loki.write.x`). */
function logTargets(body: string): string[] {
  const targets: string[] = [];
  for (const m of body.matchAll(/\b(forward_to|logs)\s*=\s*\[([^\]]*)\]/g)) {
    for (const ref of m[2]!.split(",")) {
      const id = ref.trim().replace(/\.(receiver|input)$/, "");
      if (id) targets.push(id);
    }
  }
  return targets;
}

const idOf = (c: AlloyComponent) => (c.label !== undefined ? `${c.name}.${c.label}` : c.name);
/** loki sources, and receivers whose output has a `logs` list */
const isSource = (c: AlloyComponent) =>
  c.name.startsWith("loki.source.") ||
  ((c.name.startsWith("otelcol.receiver.") || c.name === "faro.receiver") && /\blogs\s*=\s*\[\s*\S/.test(c.body));

/** What a component does with logs that reach it: leave the machine, stay on it, or pass them on. */
function sinkOf(c: AlloyComponent): Output | undefined {
  if (c.name === "loki.write")
    return /\bendpoint\s*\{/.test(c.body) ? { type: "loki", line: c.line } : { type: "null", line: c.line };
  if (c.name === "loki.echo") return { type: "stdout", line: c.line };
  if (c.name === "otelcol.exporter.loki") return undefined; // passes on to loki.* components
  if (c.name.startsWith("otelcol.exporter.")) return { type: c.name.slice("otelcol.exporter.".length), line: c.line };
  return undefined;
}

/** The writers each log source's chain reaches. */
export function alloyLogOutputs(components: AlloyComponent[]): { sources: AlloyComponent[]; outputs: Output[] } {
  const byId = new Map(components.map((c) => [idOf(c), c]));
  const resolve = (id: string): AlloyComponent[] => {
    const exact = byId.get(id);
    if (exact && !id.includes(TEMPLATED)) return [exact];
    const type = id.split(".").slice(0, -1).join(".");
    if (!id.includes(TEMPLATED) && !components.some((c) => c.name === type && c.label?.includes(TEMPLATED))) return [];
    return components.filter((c) => c.name === type && (id.includes(TEMPLATED) || c.label?.includes(TEMPLATED)));
  };
  const sources = components.filter(isSource);
  const outputs: Output[] = [];
  const seen = new Set<AlloyComponent>();
  const walk = (c: AlloyComponent) => {
    if (seen.has(c)) return;
    seen.add(c);
    const sink = sinkOf(c);
    if (sink) outputs.push(sink);
    for (const target of logTargets(c.body)) for (const next of resolve(target)) walk(next);
  };
  for (const s of sources) walk(s);
  return { sources, outputs };
}

const REMEDIATION =
  'Forward the log sources to a `loki.write` with an endpoint, e.g. `loki.write "default" { ' +
  'endpoint { url = "http://loki:3100/loki/api/v1/push" } }`.';

/** Reads River text (a file, or a Helm value holding one) into log shipping and scrape facts. */
export function readAlloyText(file: SourceFile, out: AnalyzerOutput): void {
  const components = readAlloy(file.text);
  const { sources, outputs } = alloyLogOutputs(components);
  if (sources.length > 0) {
    const lines = new Set<number>();
    const unique = outputs.filter((o) => !lines.has(o.line) && lines.add(o.line));
    emitShipper(out, file, "alloy", sources[0]?.line ?? 1, unique, REMEDIATION);
  }
  const scrapes = components.filter((c) => c.name === "prometheus.scrape" && /\bforward_to\s*=\s*\[\s*\S/.test(c.body));
  if (scrapes.length > 0)
    out.fact("scrape", {
      path: file.path,
      line: scrapes[0]!.line,
      tool: "alloy",
      jobs: scrapes.map((s) => s.label ?? s.name),
    });
}

export const alloyConfig: Analyzer = {
  id: "alloy",
  extensions: [".alloy", ".river", ".j2", ".jinja", ".jinja2", ".tmpl", ".tpl", ".gotmpl"],
  match: (_path, name) => /\.(alloy|river)(\.(j2|jinja2?|tmpl|tpl|gotmpl))?$/i.test(name),
  analyze(file, out) {
    readAlloyText(file, out);
  },
};
