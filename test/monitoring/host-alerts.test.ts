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

const sh = (...l: string[]) => `#!/usr/bin/env bash\nset -euo pipefail\n${l.join("\n")}\n`;

describe("scripts that check a condition and notify, again and again", () => {
  it("a watchdog loop that sleeps between rounds and mails or posts a webhook past a threshold", async () => {
    const watchdog = sh(
      "notify() {",
      '  timeout 10s ./smtp-cli --subject="ALERT: $1" --to="$NOTIFY_EMAIL"',
      '  curl -X POST -H "Content-Type: application/json" -d "$BODY" "$WATCHDOG_NOTIFY_WEBHOOK"',
      "}",
      "fails=0",
      'while [ "$fails" -lt "$THRESHOLD" ]; do',
      "  nc -z db 3306 || fails=$((fails + 1))",
      "  sleep 30",
      "done",
      "notify db",
    );
    const r = await detect("monitoring/alert-rules", { "images/watchdog/watchdog.sh": watchdog });
    expect(r.evidence?.map((e) => `${e.path}:${e.line} ${e.note}`)).toEqual([
      "images/watchdog/watchdog.sh:8 script alert watchdog.sh (checks a threshold in a watchdog loop, notifies by smtp-cli)",
    ]);
  });

  it("a disk-space check run by cron that pings ntfy", async () => {
    const check = sh(
      "used=$(df --output=pcent / | tail -1 | tr -dc 0-9)",
      'if [ "$used" -gt 90 ]; then',
      '  curl -d "disk at ${used}%" https://ntfy.sh/acme-alerts',
      "fi",
    );
    const r = await detect("monitoring/alert-rules", {
      "scripts/check-disk.sh": check,
      crontab: "*/15 * * * * /opt/app/scripts/check-disk.sh\n",
    });
    expect(r.status).toBe("pass");
    expect(r.evidence?.[0]?.note).toBe(
      "script alert check-disk.sh (checks a threshold in */15 * * * *, notifies by curl to https://ntfy.sh/acme-alerts)",
    );
  });

  it("not an alert: nothing repeats the check, a report mailed with no condition, a loop that only logs, a test", async () => {
    const check = sh(
      'used=$(df / | tail -1)\nif [ "$used" -gt 90 ]; then',
      '  mail -s "disk full" ops@example.org',
      "fi",
    );
    const report = sh("df -h > /tmp/report", 'mail -s "daily report" ops@example.org < /tmp/report');
    const logs = sh('while [ "$n" -lt 10 ]; do', '  echo "waiting"', "  sleep 5", "done");
    const cases: Record<string, string>[] = [
      { "scripts/check-disk.sh": check },
      { "scripts/report.sh": report, crontab: "0 7 * * * /opt/scripts/report.sh\n" },
      { "scripts/wait.sh": logs, crontab: "* * * * * /opt/scripts/wait.sh\n" },
      { "test/watchdog.sh": sh('while [ "$n" -lt 3 ]; do', "  mail -s x a@b.c", "  sleep 1", "done") },
    ];
    for (const files of cases)
      expect((await detect("monitoring/alert-rules", files)).status, Object.keys(files)[0]).toBe("fail");
  });
});
