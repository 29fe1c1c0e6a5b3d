// Metrics agents run on hosts as systemd services: an exporter (node_exporter, blackbox_exporter …) or a
// collector (Prometheus, vmagent, Telegraf, Grafana Alloy, the OTel Collector, Netdata, collectd, Zabbix agent)
// started by a unit's ExecStart. The unit is how the host's metrics get collected, as a scrape config is.
import type { FactStore } from "../engine/facts.js";
import type { ScrapeConfigFact } from "../facts/observability.js";
import { programOf } from "../vocabulary/programs.js";

const COLLECTORS = new Set([
  "prometheus",
  "vmagent",
  "telegraf",
  "grafana-agent",
  "alloy",
  "otelcol",
  "otelcol-contrib",
  "netdata",
  "collectd",
  "zabbix_agentd",
  "zabbix_agent2",
]);

const isMetricsAgent = (program: string) =>
  COLLECTORS.has(program) || /^[a-z0-9]+([_-][a-z0-9]+)*[_-]exporter$/.test(program);

export function hostMetricsAgents(facts: FactStore): ScrapeConfigFact[] {
  return facts.all("command").flatMap((c) => {
    if (c.origin !== "systemd") return [];
    const { program } = programOf(c.argv);
    if (!isMetricsAgent(program)) return [];
    return [{ path: c.path, line: c.line, tool: `systemd unit ${c.unit ?? ""}`.trim(), jobs: [program] }];
  });
}
