// Metrics agents run on hosts as systemd services count as metrics collection.
import { describe, expect, it } from "vitest";
import { detect } from "../helpers.js";

const unit = (exec: string) =>
  ["[Unit]", "Description=agent", "", "[Service]", "User=prometheus", `ExecStart=${exec}`, "", "[Install]"].join("\n");

describe("metrics agents as systemd units", () => {
  it("an exporter or a collector started by a unit collects metrics, cited at its ExecStart", async () => {
    for (const [path, exec, note] of [
      [
        "roles/node_exporter/files/node_exporter.service",
        "/usr/local/bin/node_exporter --collector.systemd",
        "systemd unit node_exporter.service: node_exporter",
      ],
      [
        "systemd/vmagent.service",
        "/opt/vm/vmagent -promscrape.config=/etc/vm/scrape.yml",
        "systemd unit vmagent.service: vmagent",
      ],
      [
        "hosts/db/postgres-exporter.service",
        "/usr/bin/postgres_exporter",
        "systemd unit postgres-exporter.service: postgres_exporter",
      ],
      [
        "units/telegraf.service",
        "/usr/bin/telegraf --config /etc/telegraf/telegraf.conf",
        "systemd unit telegraf.service: telegraf",
      ],
    ]) {
      const r = await detect("monitoring/metrics-collected", { [path!]: unit(exec!) });
      expect(r.status, path).toBe("pass");
      expect(r.evidence).toEqual([{ path, line: 6, note }]);
    }
  });

  it("other services, a commented ExecStart, or an exporter only mentioned in a description collect nothing", async () => {
    for (const text of [
      unit("/usr/local/bin/api-server --port 8080"),
      unit("/usr/bin/docker-compose up"),
      unit("/usr/local/bin/node_exporter").replace("ExecStart=", "# ExecStart="),
      unit("/usr/local/bin/app").replace("Description=agent", "Description=app beside node_exporter"),
    ])
      expect((await detect("monitoring/metrics-collected", { "deploy/app.service": text })).status).toBe("fail");
  });
});
