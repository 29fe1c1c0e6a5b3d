// Crontabs and systemd timers: scheduled commands on a machine, and the backups they run.
import { describe, expect, it } from "vitest";
import { cronAnalyzer, readCrontab } from "../../src/analyzers/scripts/cron.js";
import { analyze, scanFiles, signalOf } from "../helpers.js";

const matches = (path: string) => cronAnalyzer.match(path, path.slice(path.lastIndexOf("/") + 1), path.toLowerCase());
const WITH_DB = { "package.json": JSON.stringify({ name: "app", dependencies: { pg: "^8.11.0" } }) };

async function dbBackups(files: Record<string, string>) {
  return signalOf(await scanFiles({ ...WITH_DB, ...files }), "backups/db-backups");
}

describe("cron analyzer: which files", () => {
  it("matches crontab names, cron folders and systemd units by name only", () => {
    for (const p of [
      "crontab",
      "docker/crontab",
      "ops/backup.crontab",
      "deploy/backup.cron",
      "deploy/cron/backup",
      "etc/cron.d/backup",
      "var/spool/cron/crontabs/root",
      "deploy/systemd/backup.timer",
      "deploy/systemd/backup.service",
    ]) {
      expect(matches(p), p).toBe(true);
    }
    for (const p of [
      "deploy/cron/backup.py",
      "app/cron/jobs.ts",
      "deploy/cron/Dockerfile",
      "deploy/cron/README",
      "src/cron",
      "cron.md",
      "src/main/resources/META-INF/services/com.acme.Service",
      "deploy/backup.sh",
    ]) {
      expect(matches(p), p).toBe(false);
    }
  });
});

describe("cron analyzer: crontab lines", () => {
  it("reads schedules, nicknames, env assignments and comments; @reboot is not a schedule", () => {
    const tab = readCrontab(
      [
        "MAILTO=ops@example.com",
        "SHELL = /bin/bash",
        "# 0 1 * * * pg_dump app",
        "",
        "30 2 * * 1-5 /usr/local/bin/backup.sh",
        "*/15 * * jan,jul sun /bin/true",
        "@daily pg_dump app",
        "@reboot pg_dump app",
      ].join("\n"),
      "crontab",
    );
    expect(tab.invalid).toEqual([]);
    expect(tab.entries).toEqual([
      { line: 5, schedule: "30 2 * * 1-5", command: "/usr/local/bin/backup.sh" },
      { line: 6, schedule: "*/15 * * jan,jul sun", command: "/bin/true" },
      { line: 7, schedule: "@daily", command: "pg_dump app" },
    ]);
  });

  it("drops the user column of /etc/cron.d files, and of well-known users elsewhere", () => {
    expect(readCrontab("0 3 * * * postgres pg_dumpall\n", "etc/cron.d/backup").entries[0]?.command).toBe("pg_dumpall");
    expect(readCrontab("0 3 * * * deploy /opt/x.sh\n", "etc/cron.d/backup").entries[0]?.command).toBe("/opt/x.sh");
    expect(readCrontab("0 3 * * * root /opt/x.sh\n", "docker/backup.cron").entries[0]?.command).toBe("/opt/x.sh");
    expect(readCrontab("0 3 * * * /opt/x.sh --all\n", "docker/backup.cron").entries[0]?.command).toBe(
      "/opt/x.sh --all",
    );
  });

  it("cuts the command at the first unescaped % (cron's stdin) and unescapes \\%", () => {
    expect(readCrontab("0 3 * * * pg_dump app > /b/$(date +\\%F).sql\n", "crontab").entries[0]?.command).toBe(
      "pg_dump app > /b/$(date +%F).sql",
    );
    expect(readCrontab("0 3 * * * mail -s hi ops%body text\n", "crontab").entries[0]?.command).toBe("mail -s hi ops");
  });

  it("reports malformed lines as cron/invalid-line notes with their line, and goes on", async () => {
    const a = await analyze({
      crontab: "0 3 * * *\n61 * * * * x\n0 3 * * * pg_dump 'unclosed\n@sometimes x\n5 4 * * * echo ok\n0 3 * *\n",
    });
    const notes = a.findings.filter((f) => f.rule === "cron/invalid-line");
    expect(notes.map((f) => [f.line, f.severity])).toEqual([
      [1, "note"],
      [2, "note"],
      [4, "note"],
      [6, "note"],
      [3, "note"],
    ]);
    expect(notes.every((f) => f.path === "crontab" && f.remediation?.includes("0 3 * * *"))).toBe(true);
    expect(a.facts.all("command").map((c) => [c.line, c.argv, c.schedule])).toEqual([[5, ["echo", "ok"], "5 4 * * *"]]);
  });

  it("emits every command of a line with the line and the schedule; skips scripts kept in cron folders", async () => {
    const a = await analyze({
      "deploy/cron/backup": "0 2 * * * cd /app && ./scripts/backup.sh\n",
      "deploy/cron/cleanup": "#!/bin/sh\nfind /tmp -mtime +7 -delete\n",
    });
    expect(
      a.facts
        .all("command")
        .map((c) => ({ path: c.path, line: c.line, argv: c.argv, origin: c.origin, schedule: c.schedule })),
    ).toEqual([
      { path: "deploy/cron/backup", line: 1, argv: ["cd", "/app"], origin: "cron", schedule: "0 2 * * *" },
      { path: "deploy/cron/backup", line: 1, argv: ["./scripts/backup.sh"], origin: "cron", schedule: "0 2 * * *" },
    ]);
    expect(a.findings.filter((f) => f.rule === "cron/invalid-line")).toEqual([]);
  });
});

describe("cron: db-backups end to end", () => {
  it("a nightly pg_dump in a crontab passes, with evidence at the crontab line", async () => {
    const signal = await dbBackups({
      "deploy/cron/backup":
        "MAILTO=ops@example.com\n# nightly dump\n0 2 * * * pg_dump -Fc app -f /var/backups/app.dump\n",
    });
    expect(signal.status).toBe("pass");
    expect(signal.evidence).toContainEqual(expect.objectContaining({ path: "deploy/cron/backup", line: 3 }));
  });

  it("follows a cron line into the repository script it runs", async () => {
    const signal = await dbBackups({
      "etc/cron.d/backup": "30 1 * * * root /app/scripts/backup.sh\n",
      "scripts/backup.sh": "#!/bin/sh\nset -eu\npg_dump app | gzip > /backups/app.sql.gz\n",
    });
    expect(signal.status).toBe("pass");
    expect(signal.evidence).toContainEqual(expect.objectContaining({ path: "etc/cron.d/backup", line: 1 }));
    expect(signal.evidence).toContainEqual(expect.objectContaining({ path: "scripts/backup.sh", line: 3 }));
  });

  it.each([
    ["a commented-out line", "# 0 2 * * * pg_dump app -f /b/app.sql\n"],
    ["@reboot", "@reboot pg_dump app -f /b/app.sql\n"],
    ["echo pg_dump", "0 2 * * * echo pg_dump app\n"],
    ["a dump thrown into /dev/null", "0 2 * * * pg_dump app > /dev/null\n"],
    ["a schema-only dump", "0 2 * * * pg_dump --schema-only app -f /b/schema.sql\n"],
  ])("%s does not count", async (_name, text) => {
    expect(await dbBackups({ crontab: text })).toMatchObject({ status: "fail", reasonId: "no-automated-backup" });
  });

  it("a crontab in a vendored folder is not evidence", async () => {
    expect(await dbBackups({ "vendor/acme/crontab": "0 2 * * * pg_dump app -f /b/app.sql\n" })).toMatchObject({
      status: "fail",
      reasonId: "no-automated-backup",
    });
  });
});

const SERVICE =
  "[Unit]\nDescription=Nightly database dump\n\n[Service]\nType=oneshot\nUser=postgres\n" +
  "ExecStart=/usr/bin/pg_dump -Fc app -f /var/backups/app.dump\n";
const TIMER =
  "[Unit]\nDescription=Nightly dump\n\n[Timer]\nOnCalendar=*-*-* 02:00:00\nPersistent=true\n\n[Install]\nWantedBy=timers.target\n";

describe("systemd timers", () => {
  it("a timer emits the unit it starts and its schedule; a service its Exec commands without one", async () => {
    const a = await analyze({
      "deploy/systemd/backup.timer": TIMER,
      "deploy/systemd/other.timer": "[Timer]\nOnBootSec=5min\nOnUnitActiveSec=1h\nUnit=sync.service\n",
      "deploy/systemd/boot.timer": "[Timer]\nOnBootSec=5min\n",
      "deploy/systemd/backup.service": SERVICE.replace(
        "ExecStart=",
        "ExecStartPre=-/bin/mkdir -p \\\n  /var/backups\nExecStart=",
      ),
    });
    expect(a.facts.all("timer")).toEqual([
      { path: "deploy/systemd/backup.timer", line: 5, unit: "backup.service", schedule: "*-*-* 02:00:00" },
      { path: "deploy/systemd/other.timer", line: 3, unit: "sync.service", schedule: "every 1h" },
    ]);
    expect(a.facts.all("command").map((c) => [c.line, c.argv, c.origin, c.unit, c.schedule])).toEqual([
      [7, ["/bin/mkdir", "-p", "/var/backups"], "systemd", "backup.service", undefined],
      [9, ["/usr/bin/pg_dump", "-Fc", "app", "-f", "/var/backups/app.dump"], "systemd", "backup.service", undefined],
    ]);
  });

  it("a timer + service pair passes db-backups at the ExecStart line", async () => {
    const signal = await dbBackups({
      "deploy/systemd/db-backup.timer": TIMER,
      "deploy/systemd/db-backup.service": SERVICE,
    });
    expect(signal.status).toBe("pass");
    expect(signal.evidence).toContainEqual(
      expect.objectContaining({ path: "deploy/systemd/db-backup.service", line: 7 }),
    );
  });

  it("pairs through Unit= and template instances", async () => {
    expect(
      (
        await dbBackups({
          "ops/nightly.timer": TIMER.replace("[Timer]\n", "[Timer]\nUnit=dump.service\n"),
          "ops/dump.service": SERVICE,
        })
      ).status,
    ).toBe("pass");
    expect((await dbBackups({ "ops/dump@app.timer": TIMER, "ops/dump@.service": SERVICE })).status).toBe("pass");
  });

  it("a service without a timer, a timer that only fires at boot, or a commented-out ExecStart does not pass", async () => {
    expect(await dbBackups({ "deploy/systemd/db-backup.service": SERVICE })).toMatchObject({
      status: "fail",
      reasonId: "no-automated-backup",
    });
    expect(
      await dbBackups({
        "deploy/systemd/db-backup.service": SERVICE,
        "deploy/systemd/db-backup.timer": "[Timer]\nOnBootSec=10min\n",
      }),
    ).toMatchObject({ status: "fail", reasonId: "no-automated-backup" });
    expect(
      await dbBackups({ "deploy/systemd/db-backup.service": SERVICE, "deploy/systemd/other.timer": TIMER }),
    ).toMatchObject({ status: "fail", reasonId: "no-automated-backup" });
    const commented = SERVICE.replace("ExecStart=", "#ExecStart=");
    expect(
      await dbBackups({ "deploy/systemd/db-backup.service": commented, "deploy/systemd/db-backup.timer": TIMER }),
    ).toMatchObject({ status: "fail", reasonId: "no-automated-backup" });
  });

  it("a service with an unreadable ExecStart is a note, not a crash", async () => {
    const a = await analyze({ "x.service": "[Service]\nExecStart=/bin/sh -c 'unclosed\n" });
    expect(a.findings.filter((f) => f.rule === "systemd/invalid-line").map((f) => f.line)).toEqual([2]);
  });
});
