// Promtail and Grafana Agent (static mode): log scrape configs pushed to Loki `clients`.
import { asArray, asString, isRecord } from "../../engine/yaml.js";
import type { YamlKind } from "./kind.js";
import { emitShipper, type Output } from "./log-sinks.js";

const REMEDIATION = "Add a Loki client: `clients: [{url: http://loki:3100/loki/api/v1/push}]`.";

function clientOutputs(clients: unknown, lineAt: (i: number) => number): Output[] {
  return asArray(clients).flatMap((c, i) =>
    isRecord(c) && asString(c.url) ? [{ type: "loki", line: lineAt(i) }] : [],
  );
}

/** Promtail's scrape jobs tail files (`__path__` labels) or carry `pipeline_stages`; Prometheus' never do. */
function tailsFiles(jobs: unknown[]): boolean {
  return jobs.some(
    (job) =>
      isRecord(job) &&
      (job.pipeline_stages !== undefined ||
        asArray(job.static_configs).some((c) => isRecord(c) && isRecord(c.labels) && "__path__" in c.labels)),
  );
}

export const promtail: YamlKind = {
  id: "promtail",
  recognises: (v) =>
    Array.isArray(v.scrape_configs) &&
    (v.clients !== undefined || isRecord(v.client) || isRecord(v.positions) || tailsFiles(v.scrape_configs)),
  read({ file, out, doc, value }) {
    const outputs = [
      ...clientOutputs(value.clients, (i) => doc.lineAt(["clients", i])),
      ...clientOutputs(value.client, () => doc.lineAt(["client"])),
    ];
    emitShipper(out, file, "promtail", doc.lineAt(["scrape_configs"]), outputs, REMEDIATION);
  },
};

export const grafanaAgent: YamlKind = {
  id: "grafana-agent",
  recognises: (v) =>
    (isRecord(v.logs) && Array.isArray(v.logs.configs)) || (isRecord(v.metrics) && Array.isArray(v.metrics.configs)),
  read({ file, out, doc, value }) {
    const logs = isRecord(value.logs) ? asArray(value.logs.configs) : [];
    if (logs.length > 0) {
      const outputs = logs.flatMap((cfg, i) =>
        isRecord(cfg) ? clientOutputs(cfg.clients, (j) => doc.lineAt(["logs", "configs", i, "clients", j])) : [],
      );
      emitShipper(out, file, "grafana-agent", doc.lineAt(["logs"]), outputs, REMEDIATION);
    }
    const metrics = isRecord(value.metrics) ? asArray(value.metrics.configs) : [];
    const jobs = metrics
      .flatMap((cfg) =>
        isRecord(cfg) ? asArray(cfg.scrape_configs).map((j) => (isRecord(j) ? asString(j.job_name) : undefined)) : [],
      )
      .filter((j): j is string => !!j);
    if (jobs.length > 0)
      out.fact("scrape", { path: file.path, line: doc.lineAt(["metrics"]), tool: "grafana-agent", jobs });
  },
};

/** A Loki server config: where logs are aggregated, not a shipper. */
export const loki: YamlKind = {
  id: "loki",
  recognises: (v) =>
    isRecord(v.schema_config) || isRecord(v.storage_config) || (isRecord(v.common) && isRecord(v.common.storage)),
  read({ file, out, doc, value }) {
    const common = isRecord(value.common) && isRecord(value.common.storage) ? Object.keys(value.common.storage) : [];
    const storage = isRecord(value.storage_config) ? Object.keys(value.storage_config) : [];
    const stores = [...new Set([...common, ...storage])].filter((s) => !s.includes("cache") && s !== "hedging");
    out.fact("logShipping", {
      path: file.path,
      line: doc.lineAt([
        isRecord(value.schema_config) ? "schema_config" : isRecord(value.storage_config) ? "storage_config" : "common",
      ]),
      tool: "loki",
      sinks: stores.length > 0 ? stores : ["loki"],
      role: "aggregator",
    });
  },
};
