// Observability configs shipped inside Kubernetes ConfigMaps (a fluent-bit.conf, a prometheus.yml, alert rules):
// the file analyzers read each data entry as if it were a file. Evidence points at the ConfigMap.
import type { Analyzer, AnalyzerOutput } from "../../engine/analyzer.js";
import { FactStore } from "../../engine/facts.js";
import { isRecord } from "../../engine/yaml.js";
import type { FactKind, FactKinds, K8sObjectFact } from "../../facts/index.js";
import { fluentBitClassic } from "./fluent-bit.js";
import { fluentd } from "./fluentd.js";
import { logstash } from "./logstash.js";
import { vectorToml } from "./vector.js";
import { observabilityYaml } from "./yaml-configs.js";

const READERS: readonly Analyzer[] = [observabilityYaml, fluentBitClassic, fluentd, vectorToml, logstash];

/** The folder an entry is read in: a ConfigMap holding fluent-bit.conf holds Fluent Bit includes too. */
function folderOf(keys: string[]): string {
  if (keys.some((k) => /^(fluent-?bit|td-agent-bit)\.conf$/i.test(k))) return "fluent-bit";
  if (keys.some((k) => /^(fluent|fluentd|td-agent)\.conf$/i.test(k))) return "fluentd";
  if (keys.some((k) => /^logstash.*\.conf$/i.test(k))) return "logstash";
  return "monitoring";
}

/**
 * Facts of the ConfigMap data entries of the objects in effect (the derived-facts step calls it once per scan).
 * Findings are left to the files' own analyzers.
 */
export function embeddedFacts(objects: readonly K8sObjectFact[]): FactStore {
  const embedded = new FactStore();
  for (const o of objects) {
    if (o.kind !== "ConfigMap" || !isRecord(o.doc.data)) continue;
    const entries = Object.entries(o.doc.data).filter((e): e is [string, string] => typeof e[1] === "string");
    const folder = folderOf(entries.map(([k]) => k));
    for (const [key, text] of entries) {
      const path = `${folder}/${key}`;
      const out: AnalyzerOutput = {
        fact<K extends FactKind>(kind: K, fact: FactKinds[K]) {
          embedded.add(kind, { ...fact, path: o.path, ...("line" in fact ? { line: o.line } : {}) });
        },
        finding() {},
      };
      for (const reader of READERS) {
        if (!reader.match(path, key, path.toLowerCase())) continue;
        try {
          void reader.analyze({ path, name: key, text }, out);
        } catch {
          // a malformed entry says nothing; the scan goes on
        }
      }
    }
  }
  return embedded;
}
