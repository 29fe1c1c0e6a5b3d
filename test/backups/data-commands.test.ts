// Which commands back data up, restore it, or ship it elsewhere.
import { beforeAll, describe, expect, it } from "vitest";
import { backupCommand, restoreCommand, uploadCommand } from "../../src/analyzers/command-class/data.js";
import { loadShellParser } from "../../src/analyzers/shell-parse.js";

beforeAll(loadShellParser); // the grammar loads on first need; these tests parse directly

const words = (s: string) => s.split(" ");

describe("backupCommand", () => {
  it.each([
    ['pg_dump --format=custom "$DATABASE_URL"', "pg_dump"],
    ["pg_dumpall -U postgres", "pg_dumpall"],
    ["mysqldump --single-transaction app", "mysqldump"],
    ["mongodump --archive --gzip", "mongodump"],
    ["docker exec -u postgres db pg_dump app", "pg_dump"],
    ["docker compose exec -T db pg_dump -U app app", "pg_dump"],
    ["kubectl exec -n prod deploy/db -- mysqldump app", "mysqldump"],
    ["sudo -u postgres pg_dump app", "pg_dump"],
    ["timeout 1h pg_dump app", "pg_dump"],
    ['sqlite3 app.db ".backup /backups/app.db"', "sqlite3 .backup"],
    ["redis-cli --rdb /backups/dump.rdb", "redis-cli --rdb"],
    ["restic backup /var/lib/app", "restic backup"],
    ["borg create ::{now} /srv", "borg create"],
    ["velero backup create nightly", "velero backup create"],
    ["pgbackrest --stanza=main --type=full backup", "pgbackrest backup"],
    ["wal-g backup-push /var/lib/postgresql/data", "wal-g backup-push"],
    ["aws rds create-db-snapshot --db-instance-identifier app", "aws rds create-db-snapshot"],
    ["etcdctl snapshot save /backup/etcd.db", "etcdctl snapshot save"],
  ])("%s is a backup", (cmd, summary) => {
    expect(backupCommand(words(cmd))?.summary).toBe(summary);
  });

  it.each([
    "echo pg_dump app",
    "pg_dump --schema-only app",
    "pg_dump -s app",
    "pg_dumpall --globals-only",
    "mysqldump --no-data app",
    "restic backup --dry-run /srv",
    "borg create --dry-run ::x /srv",
    "pg_dump -f /dev/null app",
    "pg_dump --file=/dev/null app",
    "velero backup get",
    "restic snapshots",
    "redis-cli ping",
    "sqlite3 app.db .tables",
  ])("%s is not a backup", (cmd) => {
    expect(backupCommand(words(cmd))).toBeUndefined();
  });

  it("knows which tools store off the machine by themselves and which are automatic", () => {
    expect(backupCommand(words("restic -r s3:s3.amazonaws.com/bucket backup /srv"))?.offsite).toBe(true);
    expect(backupCommand(words("restic -r /mnt/backup backup /srv"))?.offsite).toBe(false);
    expect(backupCommand(words("borg create ssh://u@host/./repo::x /srv"))?.offsite).toBe(true);
    expect(backupCommand(words("velero schedule create daily --schedule=@daily"))).toMatchObject({
      automatic: "schedule",
      offsite: true,
    });
    expect(backupCommand(words("litestream replicate"))).toMatchObject({ automatic: "continuous" });
    expect(backupCommand(words("pg_dump app"))?.automatic).toBeUndefined();
  });

  it("reads the script of `sh -c` and `ssh host`", () => {
    expect(backupCommand(["sh", "-c", "'set -e; pg_dump app | gzip > /b/app.gz'"])?.summary).toBe("pg_dump");
    expect(backupCommand(["ssh", "db1", "'mysqldump app'"])?.summary).toBe("mysqldump");
    expect(backupCommand(["sh", "-c", "'echo pg_dump app'"])).toBeUndefined();
  });
});

describe("restoreCommand", () => {
  it("recognises restores, and a client only when it is fed a dump", () => {
    expect(restoreCommand(words("pg_restore --clean --dbname app db.dump"))?.summary).toBe("pg_restore");
    expect(restoreCommand(words("velero restore create --from-backup nightly"))?.summary).toBe("velero restore create");
    expect(restoreCommand(words("restic restore latest --target /"))?.summary).toBe("restic restore");
    expect(
      restoreCommand(words("aws rds restore-db-instance-from-db-snapshot --db-snapshot-identifier x"))?.summary,
    ).toBe("aws rds restore-db-instance-from-db-snapshot");
    expect(restoreCommand(words("psql app"), true)?.summary).toBe("psql fed with a dump");
    expect(restoreCommand(words("psql app -c 'select 1'"), false)).toBeUndefined();
    expect(restoreCommand(words("restic restore --dry-run latest"))).toBeUndefined();
  });
});

describe("uploadCommand", () => {
  it("recognises copies to object storage or another host", () => {
    expect(uploadCommand(words("aws s3 cp - s3://backups/db.dump"))).toBe("aws s3 cp to s3://backups/db.dump");
    expect(uploadCommand(words("gsutil cp db.dump gs://backups/"))).toBe("gsutil cp to gs://backups/");
    expect(uploadCommand(words("rclone copy /backups remote:backups"))).toBe("rclone copy to remote:backups");
    expect(uploadCommand(words("rsync -a /backups/ backup@vault:/srv/backups/"))).toBe(
      "rsync to backup@vault:/srv/backups/",
    );
  });

  it("does not take a download, a local copy or a dry run for an upload", () => {
    expect(uploadCommand(words("aws s3 cp s3://backups/db.dump ."))).toBeUndefined();
    expect(uploadCommand(words("cp db.dump /mnt/backups/"))).toBeUndefined();
    expect(uploadCommand(words("aws s3 sync /backups s3://b --dryrun"))).toBeUndefined();
    expect(uploadCommand(words("rsync -a /backups/ /mnt/usb/"))).toBeUndefined();
  });
});
