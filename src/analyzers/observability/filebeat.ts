// Filebeat: inputs (or modules) shipped to the single enabled `output.*`. Keys may be dotted (`output.elasticsearch:`)
// or nested (`output: {elasticsearch: …}`); both mean the same to libbeat.
import { asArray, isRecord } from "../../engine/yaml.js";
import { isDisabled, report } from "./common.js";
import type { DocContext, YamlKind } from "./kind.js";
import { emitShipper, type Output } from "./log-sinks.js";

/** Value at a dotted setting, and the key path that holds it. */
function setting(value: Record<string, unknown>, dotted: string): { value: unknown; path: string[] } | undefined {
  const parts = dotted.split(".");
  for (let split = parts.length; split >= 1; split--) {
    const head = parts.slice(0, split).join(".");
    if (!(head in value)) continue;
    if (split === parts.length) return { value: value[head], path: [head] };
    const inner = value[head];
    if (!isRecord(inner)) continue;
    const rest = setting(inner, parts.slice(split).join("."));
    if (rest) return { value: rest.value, path: [head, ...rest.path] };
  }
  return undefined;
}

function outputs({ doc, value }: DocContext): Output[] {
  const found: Output[] = [];
  for (const [key, v] of Object.entries(value)) {
    if (key.startsWith("output.")) {
      const type = key.slice("output.".length).split(".")[0]!;
      if (!(isRecord(v) && isDisabled(v.enabled))) found.push({ type, line: doc.lineAt([key]) });
    } else if (key === "output" && isRecord(v)) {
      for (const [type, cfg] of Object.entries(v)) {
        if (!(isRecord(cfg) && isDisabled(cfg.enabled))) found.push({ type, line: doc.lineAt(["output", type]) });
      }
    }
  }
  // Elastic Cloud: `cloud.id` fills in output.elasticsearch.hosts
  const cloud = setting(value, "cloud.id");
  if (found.length === 0 && cloud) found.push({ type: "elasticsearch", line: doc.lineAt(cloud.path) });
  return found;
}

export const filebeat: YamlKind = {
  id: "filebeat",
  recognises: (v) => isRecord(v.filebeat) || Object.keys(v).some((k) => k.startsWith("filebeat.")),
  read(ctx) {
    const { file, out, doc, value } = ctx;
    const inputs = setting(value, "filebeat.inputs");
    const enabledInputs = asArray(inputs?.value).filter((i) => !(isRecord(i) && isDisabled(i.enabled)));
    const sources = ["filebeat.modules", "filebeat.config.modules", "filebeat.config.inputs", "filebeat.autodiscover"]
      .map((k) => setting(value, k))
      .filter((s) => s !== undefined);
    const line = doc.lineAt(inputs?.path ?? sources[0]?.path ?? [Object.keys(value)[0]!]);
    if (enabledInputs.length === 0 && sources.length === 0) {
      return report(
        out,
        file,
        line,
        "warning",
        "logs-not-shipped",
        "every Filebeat input is disabled or missing: it reads no logs",
        "Enable an input, e.g. `filebeat.inputs: [{type: filestream, id: app, paths: [/var/log/app/*.log]}]`.",
      );
    }
    emitShipper(
      out,
      file,
      "filebeat",
      line,
      outputs(ctx),
      "Configure one output, e.g. `output.elasticsearch: {hosts: ['https://es:9200']}` or `output.logstash: {hosts: ['logstash:5044']}`.",
    );
  },
};
