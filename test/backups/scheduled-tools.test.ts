// Backups scheduled by tools other than cron: Ofelia jobs (its config file or compose labels) running a dump or an
// app's own exporter, and sanoid's snapshot policies.
import { describe, expect, it } from "vitest";
import { ofeliaConfigJobs } from "../../src/analyzers/scripts/ofelia.js";
import { rubyShellStrings } from "../../src/analyzers/scripts/ruby-jobs.js";
import { snapshottedDatasets } from "../../src/analyzers/scripts/sanoid.js";
import { analyze, detect, type Files } from "../helpers.js";

const COMPOSE_DB =
  "services:\n  db:\n    image: postgres:16\n    volumes: [pg:/var/lib/postgresql/data]\nvolumes:\n  pg: {}\n";

const OFELIA = [
  "[global]",
  "smtp-host = mail",
  "",
  '[job-exec "db-dump"]',
  "schedule = @every 24h",
  "container = app-db-1",
  'command = "pg_dump -U app -f /backups/app.sql app"',
  "",
  '[job-exec "export-data"]',
  "schedule = 0 30 3 * * *",
  "container = app-web-1",
  "command = python manage.py dumpdata --output /backups/data.json",
  "",
  '[job-local "tidy"]',
  "schedule = @hourly",
  "command = find /backups -mtime +7 -delete",
].join("\n");

describe("Ofelia jobs", () => {
  it("reads each job's schedule and command, with the command's line; jobs missing either are dropped", () => {
    const jobs = ofeliaConfigJobs(`${OFELIA}\n\n[job-run "unscheduled"]\nimage = alpine\ncommand = pg_dump x\n`);
    expect(jobs.map((j) => [j.kind, j.name, j.schedule, j.line])).toEqual([
      ["job-exec", "db-dump", "@every 24h", 7],
      ["job-exec", "export-data", "0 30 3 * * *", 12],
      ["job-local", "tidy", "@hourly", 16],
    ]);
    expect(jobs[0]!.command).toBe("pg_dump -U app -f /backups/app.sql app");
  });

  it("a dump scheduled in ofelia/config.ini is an automated backup, cited at the job's command", async () => {
    const r = await detect("backups/db-backups", { "compose.yaml": COMPOSE_DB, "ofelia/config.ini": OFELIA });
    expect(r.status).toBe("pass");
    expect(r.evidence).toContainEqual({
      path: "ofelia/config.ini",
      line: 7,
      note: 'pg_dump on schedule "@every 24h" (Ofelia job-exec db-dump)',
    });
    expect(r.evidence).toContainEqual(
      expect.objectContaining({ line: 12, note: expect.stringMatching(/^manage.py dumpdata/) }),
    );
  });

  it("jobs in compose labels, as a mapping or as a list, schedule their commands", async () => {
    const mapping = `${COMPOSE_DB.replace(
      "volumes: [pg:",
      'labels:\n      ofelia.enabled: "true"\n      ofelia.job-exec.dump.schedule: "@daily"\n' +
        "      ofelia.job-exec.dump.command: \"sh -c 'pg_dumpall -U postgres > /backups/all.sql'\"\n    volumes: [pg:",
    )}`;
    const r = await detect("backups/db-backups", { "docker-compose.yml": mapping });
    expect(r.status).toBe("pass");
    expect(r.evidence).toContainEqual(expect.objectContaining({ path: "docker-compose.yml", line: 7 }));
    const list = COMPOSE_DB.replace(
      "volumes: [pg:",
      'labels:\n      - "ofelia.job-exec.dump.schedule=@daily"\n      - "ofelia.job-exec.dump.command=pg_dump -Fc app"\n    volumes: [pg:',
    );
    const fromList = await detect("backups/db-backups", { "docker-compose.yml": list });
    expect(fromList.status).toBe("pass");
    expect(fromList.evidence).toContainEqual(expect.objectContaining({ line: 6 }));
  });

  it("a job that only tidies up, a job without a schedule, or a config named otherwise is no backup", async () => {
    const tidyOnly = ['[job-local "tidy"]', "schedule = @hourly", "command = find /backups -mtime +7 -delete"].join(
      "\n",
    );
    const unscheduled = ['[job-exec "dump"]', "container = db", "command = pg_dump app"].join("\n");
    const cases: Files[] = [
      { "compose.yaml": COMPOSE_DB, "ofelia.ini": tidyOnly },
      { "compose.yaml": COMPOSE_DB, "jobs.ini": unscheduled },
      { "compose.yaml": COMPOSE_DB, "config/php.ini": OFELIA }, // not an Ofelia config by its place
    ];
    for (const files of cases) expect((await detect("backups/db-backups", files)).status).toBe("fail");
  });
});

describe("app-level exporters", () => {
  const crontab = (command: string) => ({ "compose.yaml": COMPOSE_DB, "cron/backup": `15 2 * * * root ${command}\n` });

  it("the application's own command that writes out its data is a backup when scheduled", async () => {
    for (const [command, summary] of [
      ["cd /srv/app && python3 manage.py dumpdata --natural-foreign -o /backups/data.json", "manage.py dumpdata"],
      ["php /var/www/artisan backup:run", "artisan backup:run"],
      ["gitlab-backup create STRATEGY=copy", "gitlab-backup create"],
      ["wp db export /backups/site.sql --path=/var/www", "wp db export"],
      ["drush sql:dump --result-file=/backups/site.sql", "drush sql:dump"],
      ["consul snapshot save /backups/consul.snap", "consul snapshot save"],
      ["vault operator raft snapshot save /backups/vault.snap", "vault operator raft snapshot save"],
    ]) {
      const r = await detect("backups/db-backups", crontab(command!));
      expect(r.status, command).toBe("pass");
      expect(r.evidence![0]!.note).toMatch(new RegExp(`^${summary!.replace(/\./g, "\\.")} on schedule`));
    }
  });

  it("their other subcommands back nothing up", async () => {
    for (const command of [
      "python manage.py loaddata /backups/data.json",
      "php artisan backup:clean",
      "wp db optimize",
      "drush cache:rebuild",
      "consul snapshot restore /backups/consul.snap",
      "vault operator raft list-peers",
    ])
      expect((await detect("backups/db-backups", crontab(command))).status, command).toBe("fail");
  });
});

const SANOID = [
  "[tank/data]",
  "\tuse_template = production",
  "\trecursive = yes",
  "",
  "[tank/scratch]",
  "\tuse_template = production",
  "\tautosnap = no",
  "",
  "[backup/tank]",
  "\tuse_template = backup",
  "",
  "[template_production]",
  "\thourly = 36",
  "\tdaily = 30",
  "\tmonthly = 3",
  "\tautosnap = yes",
  "",
  "[template_backup]",
  "\tautosnap = no",
  "\tdaily = 90",
].join("\n");

describe("sanoid snapshot policies", () => {
  it("datasets with autosnap on, from their template or sanoid's defaults, with what is kept", () => {
    expect(snapshottedDatasets(SANOID)).toEqual([
      { dataset: "tank/data", line: 1, keeps: "hourly 36, daily 30, monthly 3" },
    ]);
    expect(snapshottedDatasets("[rpool/home]\n")).toEqual([
      { dataset: "rpool/home", line: 1, keeps: "hourly 48, daily 90, monthly 6" },
    ]);
  });

  it("a sanoid.conf (also an Ansible template of it) is a managed backup", async () => {
    for (const path of ["sanoid/sanoid.conf", "roles/zfs/templates/sanoid.conf.j2"]) {
      const r = await detect("backups/db-backups", { "compose.yaml": COMPOSE_DB, [path]: SANOID });
      expect(r.status).toBe("pass");
      expect(r.evidence).toContainEqual({
        path,
        line: 1,
        note: "sanoid snapshots tank/data (keeps hourly 36, daily 30, monthly 3)",
      });
    }
  });

  it("a config whose datasets all have autosnap off, or keep nothing, is none", async () => {
    const off = "[tank/data]\n\tautosnap = no\n";
    const keepsNothing = "[tank/data]\n\thourly = 0\n\tdaily = 0\n\tmonthly = 0\n";
    for (const text of [off, keepsNothing]) {
      const { facts } = await analyze({ "sanoid.conf": text });
      expect(facts.all("snapshotPolicy")).toEqual([]);
    }
  });
});

describe("a script that loops forever and sleeps is its own scheduler", () => {
  const sh = (...l: string[]) => `#!/bin/sh\nset -eu\n${l.join("\n")}\n`;
  it("`while true; do restic backup …; sleep 86400; done` run by a container is an automated backup", async () => {
    const files: Files = {
      "compose.yaml": COMPOSE_DB.replace(
        "volumes:\n  pg: {}",
        "  backup:\n    image: acme/backup:1\n    command: [/backup-loop.sh]\nvolumes:\n  pg: {}",
      ),
      "backup/backup-loop.sh": sh(
        "while true; do",
        "  pg_dump -h db -U app -Fc -f /dump/app.dump app",
        "  restic backup /dump",
        "  sleep 86400",
        "done",
      ),
    };
    const r = await detect("backups/db-backups", files);
    expect(r.status).toBe("pass");
    expect(r.evidence).toContainEqual(expect.objectContaining({ path: "backup/backup-loop.sh", line: 4 }));
  });

  it("not scheduled: a retry loop (`until pg_dump …; do sleep 5; done`), a wait loop before a one-off dump", async () => {
    for (const script of [
      sh("until pg_dump -h db -U app -f /dump/app.sql app; do", "  sleep 5", "done"),
      sh("while ! pg_isready -h db; do", "  sleep 1", "done", "pg_dump -h db -U app -f /dump/app.sql app"),
      sh("while true; do", "  pg_dump -h db -U app -f /dump/app.sql app", "  break", "done"),
    ]) {
      const r = await detect("backups/db-backups", { "compose.yaml": COMPOSE_DB, "backup/once.sh": script });
      expect(r.status, script).toBe("fail");
    }
  });
});

describe("Rails jobs run on a schedule (Solid Queue, sidekiq-cron)", () => {
  const SQLITE_APP = {
    "config/database.yml": "production:\n  adapter: sqlite3\n  database: storage/production.sqlite3\n",
  };
  const recurring = (klass: string, env = "production") =>
    `${env}:\n  clear_jobs:\n    command: SolidQueue::Job.clear_finished_in_batches\n    schedule: every day at 3am\n` +
    `  offsite:\n    class: ${klass}\n    schedule: every day at 1 am\n`;
  const job = (body: string) =>
    `class OffsiteBackupJob < ApplicationJob\n  queue_as :default\n\n  def perform\n${body}\n  end\nend\n`;

  it('reads the literal shell strings of a job: system("…") with #{…}, backticks, %x(); comments are skipped', () => {
    expect(
      rubyShellStrings(
        '    system("restic backup --no-scan #{shared}/db", exception: true)\n    # system("rm -rf /")\n' +
          "    out = `sqlite3 db.sqlite3 .dump`\n    %x(borg create ::x /data)\n",
      ).map((s) => [s.line, s.text]),
    ).toEqual([
      [1, "restic backup --no-scan RUBY_VALUE/db"],
      [3, "sqlite3 db.sqlite3 .dump"],
      [4, "borg create ::x /data"],
    ]);
  });

  it("config/recurring.yml's production task whose job runs restic backup is an automated backup", async () => {
    const files: Files = {
      ...SQLITE_APP,
      "config/recurring.yml": recurring("OffsiteBackupJob"),
      "app/jobs/offsite_backup_job.rb": job(
        '    system(". #{env}/restic-env ; restic backup #{shared}/backups", exception: true)',
      ),
    };
    const r = await detect("backups/db-backups", files);
    expect(r.status).toBe("pass");
    expect(r.evidence).toContainEqual(expect.objectContaining({ path: "app/jobs/offsite_backup_job.rb", line: 5 }));
  });

  it("not a backup: the task only in development, a job that backs nothing up, a commented shell-out", async () => {
    const cases: Files[] = [
      {
        "config/recurring.yml": recurring("OffsiteBackupJob", "development"),
        "app/jobs/offsite_backup_job.rb": job('    system("restic backup /data")'),
      },
      {
        "config/recurring.yml": recurring("OffsiteBackupJob"),
        "app/jobs/offsite_backup_job.rb": job('    system("restic snapshots")'),
      },
      {
        "config/recurring.yml": recurring("OffsiteBackupJob"),
        "app/jobs/offsite_backup_job.rb": job('    # system("restic backup /data")'),
      },
    ];
    for (const files of cases) {
      const r = await detect("backups/db-backups", { ...SQLITE_APP, ...files });
      expect(r.status, JSON.stringify(files)).toBe("fail");
    }
  });
});
