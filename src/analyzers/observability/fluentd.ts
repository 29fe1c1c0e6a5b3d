// Fluentd / td-agent: `<source>` and `<match>` directives. Logs leave through the `@type` of a `<match>` (or of
// each `<store>` of a `copy` match); routing plugins only pass events on.
import type { Analyzer } from "../../engine/analyzer.js";
import { inDirs, parseError } from "./common.js";
import { emitShipper, type Output } from "./log-sinks.js";

const inFluentdDir = inDirs(["fluentd", "td-agent", "fluent"]);
const ROUTERS = new Set(["copy", "relabel", "rewrite_tag_filter", "route", "forest", "roundrobin", "multiprocess"]);

interface Directive {
  tag: string;
  line: number;
  type?: string;
}

export function readFluentd(text: string): { directives: Directive[]; error?: { line: number; message: string } } {
  const directives: Directive[] = [];
  const stack: Directive[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === "" || line.startsWith("#")) continue;
    const close = /^<\/\s*([\w-]+)\s*>$/.exec(line);
    if (close) {
      const open = stack.pop();
      if (!open || open.tag !== close[1])
        return { directives, error: { line: i + 1, message: `</${close[1]}> closes nothing open` } };
      directives.push(open);
      continue;
    }
    const open = /^<\s*([\w-]+)(?:\s+[^>]*)?>$/.exec(line);
    if (open) {
      stack.push({ tag: open[1]!, line: i + 1 });
      continue;
    }
    const type = /^@?type\s+(\S+)/.exec(line);
    const top = stack[stack.length - 1];
    if (type && top) top.type = type[1]!.replace(/^["']|["']$/g, "");
  }
  const unclosed = stack.pop();
  if (unclosed) return { directives, error: { line: unclosed.line, message: `<${unclosed.tag}> is never closed` } };
  return { directives };
}

export const fluentd: Analyzer = {
  id: "fluentd",
  extensions: [".conf"],
  match: (_path, name, lower) => {
    if (!lower.endsWith(".conf")) return false;
    const n = name.toLowerCase();
    return n === "fluent.conf" || n === "fluentd.conf" || n === "td-agent.conf" || inFluentdDir(lower);
  },
  analyze(file, out) {
    const { directives, error } = readFluentd(file.text);
    if (error) return parseError(out, file, error.line, "this Fluentd config", error.message);
    const outputs: Output[] = directives
      .filter((d) => (d.tag === "match" || d.tag === "store") && d.type && !ROUTERS.has(d.type))
      .map((d) => ({ type: d.type!.toLowerCase(), line: d.line }))
      .sort((a, b) => a.line - b.line);
    const sources = directives.filter((d) => d.tag === "source");
    if (outputs.length === 0 && sources.length === 0) return;
    emitShipper(
      out,
      file,
      "fluentd",
      sources[0]?.line ?? 1,
      outputs,
      "Add a `<match **>` that forwards to an aggregator, e.g. `@type elasticsearch` or `@type forward` to a central Fluentd.",
    );
  },
};
