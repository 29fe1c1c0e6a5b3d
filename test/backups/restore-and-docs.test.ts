// restore-tested, restore-docs, backup-offsite, dr-runbook and down-migrations.
import { describe, expect, it } from "vitest";
import { condition, detect } from "../helpers.js";
import { fixture } from "./load.js";

const notes = (r: { evidence?: { path: string; line?: number; note?: string }[] }) =>
  r.evidence!.map((e) => `${e.path}:${e.line} ${e.note}`);

describe("backups/restore-tested", () => {
  const restoreScript =
    '#!/usr/bin/env bash\nset -euo pipefail\naws s3 cp "s3://b/$1" - | pg_restore --clean --dbname "$2"\n';

  it("passes on a scheduled workflow that runs the restore script", async () => {
    const r = await detect("backups/restore-tested", {
      ".github/workflows/restore.yml":
        "on:\n  schedule: [{cron: '0 5 * * 0'}]\njobs:\n  restore:\n    runs-on: ubuntu-latest\n" +
        "    steps:\n      - run: ./scripts/restore.sh latest postgres://localhost/test\n",
      "scripts/restore.sh": restoreScript,
    });
    expect(notes(r)).toEqual([
      '.github/workflows/restore.yml:7 restores on schedule "0 5 * * 0" (CI job restore)',
      'scripts/restore.sh:3 pg_restore, run on schedule "0 5 * * 0" (CI job restore)',
    ]);
  });

  it("passes on a CronJob that feeds a dump to psql", async () => {
    const r = await detect("backups/restore-tested", {
      "k8s/restore-drill.yaml":
        "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: drill}\nspec:\n" +
        "  schedule: '0 6 * * 1'\n  jobTemplate:\n    spec:\n      template:\n        spec:\n" +
        "          containers:\n            - name: drill\n              image: postgres:16\n" +
        "              command: [sh, -c, 'aws s3 cp s3://b/latest.sql.gz - | gunzip | psql " +
        '"$SCRATCH_URL"\']\n',
    });
    expect(r.status).toBe("pass");
    expect(notes(r)[0]).toMatch(/^k8s\/restore-drill.yaml:13 restores on schedule/);
  });

  it("fails when the restore only runs by hand, and names the script", async () => {
    const r = await detect("backups/restore-tested", {
      ".github/workflows/restore.yml":
        "on: workflow_dispatch\njobs:\n  restore:\n    runs-on: ubuntu-latest\n    steps:\n      - run: scripts/restore.sh latest x\n",
      "scripts/restore.sh": restoreScript,
    });
    expect(r).toMatchObject({ status: "fail", reasonId: "no-scheduled-restore" });
    expect(notes(r)).toEqual(["scripts/restore.sh:3 pg_restore runs only by hand"]);
  });

  it("a scheduled psql query is not a restore", async () => {
    const r = await detect("backups/restore-tested", {
      ".github/workflows/report.yml":
        "on:\n  schedule: [{cron: '0 5 * * *'}]\njobs:\n  report:\n    runs-on: ubuntu-latest\n" +
        "    steps:\n      - run: psql \"$URL\" -c 'select count(*) from orders'\n",
    });
    expect(r).toMatchObject({ status: "fail", reasonId: "no-scheduled-restore" });
  });
});

describe("restore-tested: SQLite", () => {
  const scheduled = (run: string) =>
    `on:\n  schedule: [{cron: '0 4 * * *'}]\njobs:\n  drill:\n    runs-on: ubuntu-latest\n` +
    `    steps:\n      - run: |\n          ${run.split("\n").join("\n          ")}\n`;
  const workflow = (run: string) => ({ ".github/workflows/drill.yml": scheduled(run) });

  it.each([
    ["a .restore of the backup file", `sqlite3 restored.db ".restore backup.db"`, "sqlite3 .restore"],
    ["a dump fed on stdin", "sqlite3 restored.db < dump.sql", "sqlite3 fed with a dump"],
    ["a compressed dump piped in", "gunzip -c dump.sql.gz | sqlite3 restored.db", "sqlite3 fed with a dump"],
    ["a .read of the dump", `sqlite3 restored.db '.read dump.sql'`, "sqlite3 .read of a dump"],
  ])("passes on a scheduled job with %s", async (_label, run, summary) => {
    const r = await detect("backups/restore-tested", {
      ".github/workflows/drill.yml": scheduled(run),
      "scripts/drill.sh": `#!/bin/sh\nset -eu\n${run}\n`,
    });
    expect(r.status).toBe("pass");
    expect(notes(r)).toEqual(['.github/workflows/drill.yml:8 restores on schedule "0 4 * * *" (CI job drill)']);
    expect(
      await detect("backups/restore-tested", { "scripts/drill.sh": `#!/bin/sh\nset -eu\n${run}\n` }),
    ).toMatchObject({
      status: "fail",
      reasonId: "no-scheduled-restore",
      evidence: [{ path: "scripts/drill.sh", line: 3, note: `${summary} runs only by hand` }],
    });
  });

  it("passes on a scheduled job that runs a restore script copying the backup into place and checking its integrity", async () => {
    const restore =
      '#!/usr/bin/env bash\nset -euo pipefail\nstaged="$(mktemp)"\ncp -- "$1" "$staged"\n' +
      'check="$(sqlite3 "$staged" \'PRAGMA integrity_check\')"\n[[ $check == ok ]] || exit 1\n' +
      'mv -- "$staged" "$DATABASE_PATH"\n';
    const r = await detect("backups/restore-tested", {
      ...workflow('DATABASE_PATH=/tmp/drill.db scripts/restore.sh "$BACKUP_FILE"'),
      "scripts/restore.sh": restore,
    });
    expect(notes(r)).toEqual([
      '.github/workflows/drill.yml:8 restores on schedule "0 4 * * *" (CI job drill)',
      'scripts/restore.sh:5 SQLite backup copied into place and integrity-checked, run on schedule "0 4 * * *" (CI job drill)',
    ]);
  });

  it.each([
    ["a query", `sqlite3 app.db "SELECT count(*) FROM users"`],
    ["a query echoed into the client", `echo "SELECT count(*) FROM users" | sqlite3 app.db`],
    ["psql query printed into the client", `printf 'SELECT 1;' | psql "$URL"`],
    ["a dump fed to a client that runs its own SQL instead", `sqlite3 app.db "SELECT 1" < dump.sql`],
    ["an echoed restore", `echo sqlite3 restored.db ".restore backup.db"`],
    ["a backup", `sqlite3 app.db ".backup backup.db"`],
    ["an integrity check of the live database, copied nowhere", `sqlite3 /data/app.db 'PRAGMA integrity_check'`],
    [
      "an integrity check of another file than the one copied",
      `cp backup.db /tmp/a.db\nsqlite3 /tmp/b.db 'PRAGMA integrity_check'`,
    ],
    [
      "an integrity check thrown away",
      `cp backup.db /tmp/a.db\nsqlite3 /tmp/a.db 'PRAGMA integrity_check' > /dev/null`,
    ],
    ["an integrity check before the copy", `sqlite3 /tmp/a.db 'PRAGMA integrity_check'\ncp backup.db /tmp/a.db`],
    ["a dry-run copy", `aws s3 cp --dryrun s3://b/backup.db /tmp/a.db\nsqlite3 /tmp/a.db 'PRAGMA quick_check'`],
  ])("fails on a scheduled %s", async (_label, run) => {
    expect(await detect("backups/restore-tested", workflow(run))).toMatchObject({
      status: "fail",
      reasonId: "no-scheduled-restore",
    });
  });

  it("a copy downloaded from object storage and quick-checked counts", async () => {
    const r = await detect(
      "backups/restore-tested",
      workflow("aws s3 cp s3://b/latest.db /tmp/a.db\nsqlite3 /tmp/a.db 'PRAGMA quick_check'"),
    );
    expect(r.status).toBe("pass");
  });
});

describe("backups/restore-docs", () => {
  it("passes on a restore section with steps", async () => {
    const r = await detect("backups/restore-docs", {
      "docs/runbook.md":
        "# Runbook\n\n## Restore the database\n\n1. Download the latest dump from S3.\n" +
        '2. Run `pg_restore --clean --dbname "$URL" latest.dump`.\n',
    });
    expect(notes(r)).toEqual(["docs/runbook.md:3 Restore the database"]);
  });

  it("fails on a passing mention, or a restore of packages", async () => {
    const r = await detect("backups/restore-docs", {
      "README.md": "# App\n\nWe restore from backups when needed.\n\n## Restore packages\n\n```sh\nnpm ci\n```\n",
    });
    expect(r).toMatchObject({ status: "fail", reasonId: "no-restore-docs" });
  });
});

describe("backups/backup-offsite", () => {
  it("passes when the backup job uploads the dump, or the tool writes to a remote repository", async () => {
    const r = await detect("backups/backup-offsite", {
      ...fixture("cronjob-script"),
      "scripts/files-backup.sh": "#!/bin/sh\nset -eu\nrestic -r s3:s3.amazonaws.com/acme-backups backup /srv/uploads\n",
    });
    expect(notes(r).sort()).toEqual([
      "scripts/backup.sh:7 mysqldump, then rclone copy to offsite:shop-backups/",
      "scripts/files-backup.sh:3 restic backup writes to remote storage",
    ]);
  });

  it("fails when dumps stay next to the data", async () => {
    const r = await detect("backups/backup-offsite", {
      "scripts/backup.sh":
        '#!/bin/sh\nset -eu\npg_dump "$DATABASE_URL" > /var/backups/db.sql\ncp /var/backups/db.sql /var/backups/db.sql.1\n',
    });
    expect(r).toMatchObject({ status: "fail", reasonId: "no-offsite-copy" });
    expect(notes(r)).toEqual(["scripts/backup.sh:3 pg_dump keeps the dump next to the data"]);
  });
});

describe("backups/dr-runbook", () => {
  it("passes on a disaster-recovery section that states RPO and RTO", async () => {
    const r = await detect("backups/dr-runbook", {
      "docs/dr.md":
        "# Operations\n\n## Disaster recovery\n\n- RPO: 15 minutes (WAL archiving).\n" +
        "- RTO: 2 hours.\n\nRebuild in eu-central-1 with Terraform, then restore the latest base " +
        "backup.\n\n## On-call\n\nPage the owner.\n",
    });
    expect(notes(r)).toEqual(["docs/dr.md:3 Disaster recovery: states RPO and RTO"]);
  });

  it("fails on a DR section without objectives, and on RPO stated outside the DR section only in part", async () => {
    const r = await detect("backups/dr-runbook", {
      "docs/dr.md":
        "# Operations\n\n## Disaster recovery\n\n" +
        "If the region is lost we rebuild everything from Terraform and restore the latest backup, " +
        "then we redeploy the last release tag and check the dashboards.\n\n## Targets\n\n" +
        "RTO is one hour.\n",
    });
    expect(r).toMatchObject({ status: "fail", reasonId: "no-rpo-rto" });
    expect(notes(r)).toEqual(["docs/dr.md:3 Disaster recovery: no RPO/RTO stated"]);
  });

  it("does not read a changelog bullet that mentions RPO/RTO as a plan, but still passes on the runbook beside it", async () => {
    const changelog =
      "# Changelog\n\n## [1.0.0]\n\n### Added\n\n- Added a DR plan (RPO 24 h, RTO 1 h) and a disaster recovery runbook.\n";
    const only = await detect("backups/dr-runbook", {
      "CHANGELOG.md": changelog,
      "HISTORY.md": changelog,
      "docs/RELEASE_NOTES.md": changelog,
    });
    expect(only).toMatchObject({ status: "fail", reasonId: "no-dr-plan" });
    const both = await detect("backups/dr-runbook", {
      "CHANGELOG.md": changelog,
      "docs/operations.md": "# Operations\n\n## Disaster recovery\n\n- RPO: 24 hours.\n- RTO: 1 hour.\n",
    });
    expect(notes(both)).toEqual(["docs/operations.md:3 Disaster recovery: states RPO and RTO"]);
  });
});

describe("down-migrations", () => {
  it("passes when the latest migration has a down file", async () => {
    const r = await detect("backups/down-migrations", {
      "migrations/000001_init.up.sql": "create table a (id int);\n",
      "migrations/000001_init.down.sql": "drop table a;\n",
      "migrations/000002_orders.up.sql": "create table orders (id int);\n",
      "migrations/000002_orders.down.sql": "drop table orders;\n",
    });
    expect(notes(r)).toEqual([
      "migrations/000002_orders.down.sql:1 the latest migration can be undone (2 of 2 have a down migration)",
    ]);
  });

  it("fails when the latest one has none (Flyway versions compare as numbers)", async () => {
    const r = await detect("backups/down-migrations", {
      "src/main/resources/db/migration/V2__users.sql": "create table users (id int);\n",
      "src/main/resources/db/migration/U2__users.sql": "drop table users;\n",
      "src/main/resources/db/migration/V10__orders.sql": "create table orders (id int);\n",
    });
    expect(r).toMatchObject({ status: "fail", reasonId: "no-down-migration" });
    expect(notes(r)).toEqual(["src/main/resources/db/migration/V10__orders.sql:1 no matching down/undo file"]);
  });

  it("is N/A for migrations that keep both directions in one file (Rails)", async () => {
    const files = {
      "db/migrate/20240101000000_create_users.rb": "class CreateUsers < ActiveRecord::Migration[7.1]\nend\n",
    };
    expect((await condition("has-sql-migrations", files)).holds).toBe(false);
    expect(await detect("backups/down-migrations", files)).toMatchObject({
      status: "na",
      reasonId: "no-sql-migrations",
    });
  });
});
