// restore-tested, restore-docs, backup-offsite, dr-runbook and down-migrations.
import { describe, expect, it } from "vitest";
import { detect } from "../helpers.js";
import { fixture } from "./load.js";

const notes = (r: { evidence?: { path: string; line?: number; note?: string }[] }) => r.evidence!.map((e) => `${e.path}:${e.line} ${e.note}`);

describe("restore-tested", () => {
  const restoreScript = "#!/usr/bin/env bash\nset -euo pipefail\naws s3 cp \"s3://b/$1\" - | pg_restore --clean --dbname \"$2\"\n";

  it("passes on a scheduled workflow that runs the restore script", async () => {
    const r = await detect("restore-tested", {
      ".github/workflows/restore.yml": "on:\n  schedule: [{cron: '0 5 * * 0'}]\njobs:\n  restore:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ./scripts/restore.sh latest postgres://localhost/test\n",
      "scripts/restore.sh": restoreScript,
    });
    expect(notes(r)).toEqual([
      '.github/workflows/restore.yml:7 restores on schedule "0 5 * * 0" (CI job restore)',
      'scripts/restore.sh:3 pg_restore, run on schedule "0 5 * * 0" (CI job restore)',
    ]);
  });

  it("passes on a CronJob that feeds a dump to psql", async () => {
    const r = await detect("restore-tested", {
      "k8s/restore-drill.yaml": "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: drill}\nspec:\n  schedule: '0 6 * * 1'\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n            - name: drill\n              image: postgres:16\n              command: [sh, -c, 'aws s3 cp s3://b/latest.sql.gz - | gunzip | psql \"$SCRATCH_URL\"']\n",
    });
    expect(r.status).toBe("pass");
    expect(notes(r)[0]).toMatch(/^k8s\/restore-drill.yaml:13 restores on schedule/);
  });

  it("fails when the restore only runs by hand, and names the script", async () => {
    const r = await detect("restore-tested", {
      ".github/workflows/restore.yml": "on: workflow_dispatch\njobs:\n  restore:\n    runs-on: ubuntu-latest\n    steps:\n      - run: scripts/restore.sh latest x\n",
      "scripts/restore.sh": restoreScript,
    });
    expect(r.status).toBe("fail");
    expect(notes(r)).toEqual(["scripts/restore.sh:3 pg_restore runs only by hand"]);
  });

  it("a scheduled psql query is not a restore", async () => {
    const r = await detect("restore-tested", {
      ".github/workflows/report.yml": "on:\n  schedule: [{cron: '0 5 * * *'}]\njobs:\n  report:\n    runs-on: ubuntu-latest\n    steps:\n      - run: psql \"$URL\" -c 'select count(*) from orders'\n",
    });
    expect(r.status).toBe("fail");
  });
});

describe("restore-docs", () => {
  it("passes on a restore section with steps", async () => {
    const r = await detect("restore-docs", {
      "docs/runbook.md": "# Runbook\n\n## Restore the database\n\n1. Download the latest dump from S3.\n2. Run `pg_restore --clean --dbname \"$URL\" latest.dump`.\n",
    });
    expect(notes(r)).toEqual(["docs/runbook.md:3 Restore the database"]);
  });

  it("fails on a passing mention, or a restore of packages", async () => {
    const r = await detect("restore-docs", {
      "README.md": "# App\n\nWe restore from backups when needed.\n\n## Restore packages\n\n```sh\nnpm ci\n```\n",
    });
    expect(r.status).toBe("fail");
  });
});

describe("backup-offsite", () => {
  it("passes when the backup job uploads the dump, or the tool writes to a remote repository", async () => {
    const r = await detect("backup-offsite", {
      ...fixture("cronjob-script"),
      "scripts/files-backup.sh": "#!/bin/sh\nset -eu\nrestic -r s3:s3.amazonaws.com/acme-backups backup /srv/uploads\n",
    });
    expect(notes(r).sort()).toEqual([
      "scripts/backup.sh:7 mysqldump, then rclone copy to offsite:shop-backups/",
      "scripts/files-backup.sh:3 restic backup writes to remote storage",
    ]);
  });

  it("fails when dumps stay next to the data", async () => {
    const r = await detect("backup-offsite", {
      "scripts/backup.sh": "#!/bin/sh\nset -eu\npg_dump \"$DATABASE_URL\" > /var/backups/db.sql\ncp /var/backups/db.sql /var/backups/db.sql.1\n",
    });
    expect(r.status).toBe("fail");
    expect(notes(r)).toEqual(["scripts/backup.sh:3 pg_dump keeps the dump next to the data"]);
  });
});

describe("dr-runbook", () => {
  it("passes on a disaster-recovery section that states RPO and RTO", async () => {
    const r = await detect("dr-runbook", {
      "docs/dr.md": "# Operations\n\n## Disaster recovery\n\n- RPO: 15 minutes (WAL archiving).\n- RTO: 2 hours.\n\nRebuild in eu-central-1 with Terraform, then restore the latest base backup.\n\n## On-call\n\nPage the owner.\n",
    });
    expect(notes(r)).toEqual(["docs/dr.md:3 Disaster recovery: states RPO and RTO"]);
  });

  it("fails on a DR section without objectives, and on RPO stated outside the DR section only in part", async () => {
    const r = await detect("dr-runbook", {
      "docs/dr.md": "# Operations\n\n## Disaster recovery\n\nIf the region is lost we rebuild everything from Terraform and restore the latest backup, then we redeploy the last release tag and check the dashboards.\n\n## Targets\n\nRTO is one hour.\n",
    });
    expect(r.status).toBe("fail");
    expect(notes(r)).toEqual(["docs/dr.md:3 Disaster recovery: no RPO/RTO stated"]);
  });
});

describe("down-migrations", () => {
  it("passes when the latest migration has a down file", async () => {
    const r = await detect("rollback-down-migrations", {
      "migrations/000001_init.up.sql": "create table a (id int);\n",
      "migrations/000001_init.down.sql": "drop table a;\n",
      "migrations/000002_orders.up.sql": "create table orders (id int);\n",
      "migrations/000002_orders.down.sql": "drop table orders;\n",
    });
    expect(notes(r)).toEqual(["migrations/000002_orders.down.sql:1 the latest migration can be undone (2 of 2 have a down migration)"]);
  });

  it("fails when the latest one has none (Flyway versions compare as numbers)", async () => {
    const r = await detect("rollback-down-migrations", {
      "src/main/resources/db/migration/V2__users.sql": "create table users (id int);\n",
      "src/main/resources/db/migration/U2__users.sql": "drop table users;\n",
      "src/main/resources/db/migration/V10__orders.sql": "create table orders (id int);\n",
    });
    expect(r.status).toBe("fail");
    expect(notes(r)).toEqual(["src/main/resources/db/migration/V10__orders.sql:1 no matching down/undo file"]);
  });

  it("is N/A for migrations that keep both directions in one file (Rails)", async () => {
    const files = { "db/migrate/20240101000000_create_users.rb": "class CreateUsers < ActiveRecord::Migration[7.1]\nend\n" };
    expect((await detect("rollback-sql-migrations", files)).status).toBe("na");
    expect((await detect("rollback-down-migrations", files)).status).toBe("na");
  });
});
