// Alerts kept on hosts: Netdata health.d alarms, and borgmatic hooks that notify when a backup fails.
import { describe, expect, it } from "vitest";
import { readNetdataHealth } from "../../src/analyzers/observability/netdata.js";
import { detect } from "../helpers.js";

const NETDATA = [
  "# SMART alarms for the disks",
  "",
  "template: disk_failing",
  "      on: smartctl.device_smart_status",
  "    calc: $failed",
  "   every: 1m",
  "    crit: $this > 0",
  "      to: sysadmin",
  "",
  " alarm: wear_high",
  "    on: nvme.device_estimated_endurance_perc",
  "  warn: $this > 80",
].join("\n");

describe("Netdata health alarms", () => {
  it("entities with on: and warn/crit are alerts, wherever the role keeps the file", async () => {
    expect(readNetdataHealth(NETDATA).map((a) => [a.kind, a.name, a.line])).toEqual([
      ["template", "disk_failing", 3],
      ["alarm", "wear_high", 10],
    ]);
    const result = await detect("monitoring/alert-rules", { "roles/netdata/files/disk_health_alerts.conf": NETDATA });
    expect(result.status).toBe("pass");
    expect(result.evidence![0]).toMatchObject({ line: 3, note: "netdata alert disk_failing (critical)" });
    const elsewhere = { "roles/systemd_timer/files/systemd_timers_alerts.conf": NETDATA };
    expect((await detect("monitoring/alert-rules", elsewhere)).status).toBe("pass");
  });

  it("commented thresholds, or an entity without on:, raise nothing", async () => {
    const commented = NETDATA.replace("    crit:", "#    crit:").replace("  warn:", "#  warn:");
    const noOn = NETDATA.replace(/^\s+on: .*$/gm, "");
    for (const text of [commented, noOn])
      expect(await detect("monitoring/alert-rules", { "netdata/health.d/disks.conf": text })).toMatchObject({
        status: "fail",
        reasonId: "no-alert-rules",
      });
  });
});

const BORGMATIC = [
  "source_directories: [/data]",
  "repositories:",
  "  - path: /repository",
  "    label: app",
  "keep_daily: 7",
  "ntfy:",
  "  topic: borgmatic",
  "  server: http://ntfy:80",
  "  fail:",
  "    title: backup FAILED",
  "    priority: max",
  "  states:",
  "    - finish",
  "    - fail",
].join("\n");

describe("borgmatic monitoring hooks", () => {
  it("an ntfy hook that fires on fail is an alert routed to ntfy", async () => {
    const files = { "apps/miniflux/borgmatic-config.yml": BORGMATIC };
    const rules = await detect("monitoring/alert-rules", files);
    expect(rules.status).toBe("pass");
    expect(rules.evidence![0]).toMatchObject({ line: 6, note: "borgmatic alert backup failure (ntfy)" });
    expect((await detect("monitoring/alert-routing", files)).status).toBe("pass");
  });

  it("a hook that only reports success, or a commented hook, alerts nobody", async () => {
    const successOnly = BORGMATIC.replace("    - fail", "    - start");
    const commented = BORGMATIC.split("\n")
      .map((l, i) => (i >= 5 ? `# ${l}` : l))
      .join("\n");
    for (const text of [successOnly, commented])
      expect(await detect("monitoring/alert-rules", { "borgmatic/config.yaml": text })).toMatchObject({
        status: "fail",
        reasonId: "no-alert-rules",
      });
  });
});
