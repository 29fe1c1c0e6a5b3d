// db-backups (detector backup-scheduled) and the datastore-present condition.
import { describe, expect, it } from "vitest";
import { condition, contextOf, detect, scanFiles, signalOf } from "../helpers.js";
import { fixture } from "./load.js";

const cronJob = (name: string, script: string, extra = "") => `apiVersion: batch/v1
kind: CronJob
metadata:
  name: ${name}
spec:
  schedule: "0 2 * * *"${extra}
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: job
              image: postgres:16
              command: ["/bin/sh", "-c"]
              args:
                - ${JSON.stringify(script)}
`;

describe("backup-scheduled: passes", () => {
  it("a CronJob that dumps the database, with the line of the dump", async () => {
    const r = await detect("backups/db-backups", {
      "k8s/backup.yaml": cronJob("db-backup", 'pg_dump "$DATABASE_URL" | aws s3 cp - s3://b/db.dump'),
    });
    expect(r.status).toBe("pass");
    expect(r.evidence).toContainEqual({
      path: "k8s/backup.yaml",
      line: 17,
      note: 'pg_dump on schedule "0 2 * * *" (CronJob db-backup)',
    });
  });

  it("a CronJob that runs a script (by its path in the image) which dumps the database", async () => {
    const r = await detect("backups/db-backups", fixture("cronjob-script"));
    expect(r.status).toBe("pass");
    expect(r.evidence).toEqual([
      {
        path: "k8s/backup.yaml",
        line: 15,
        note: 'runs backup.sh on schedule "0 3 * * *" (CronJob shop-db-backup), which runs mysqldump',
      },
      { path: "scripts/backup.sh", line: 6, note: 'mysqldump, run on schedule "0 3 * * *" (CronJob shop-db-backup)' },
    ]);
  });

  it("a scheduled workflow that runs a Makefile target which runs the backup", async () => {
    const r = await detect("backups/db-backups", {
      ".github/workflows/backup.yml":
        "on:\n  schedule:\n    - cron: '30 1 * * *'\njobs:\n  backup:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make backup\n",
      Makefile:
        'backup:\n\tmongodump --uri "$MONGO_URL" --archive=backup.archive --gzip\n\taws s3 cp backup.archive s3://b/\n',
    });
    expect(r.status).toBe("pass");
    expect(r.evidence?.map((e) => `${e.path}:${e.line}`)).toEqual([".github/workflows/backup.yml:8", "Makefile:2"]);
  });

  describe("a scheduled job that runs a repository script inside a container", () => {
    const script = '#!/bin/sh\nset -eu\npg_dump "$DATABASE_URL" | gzip | aws s3 cp - s3://b/db.sql.gz\n';
    const workflow = (run: string) =>
      `on:\n  schedule:\n    - cron: '0 2 * * *'\njobs:\n  backup:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ${run}\n`;
    it.each([
      ["docker exec", "docker exec -u app devops-ladder scripts/backup.sh"],
      ["docker exec, by its path in the image", "docker exec -i app /app/scripts/backup.sh --full"],
      ["docker exec through an interpreter", "docker exec app sh /app/scripts/backup.sh"],
      ["docker compose exec", "docker compose -f compose.prod.yaml exec -T app scripts/backup.sh"],
      ["docker-compose exec", "docker-compose exec -T app ./scripts/backup.sh"],
      ["kubectl exec", "kubectl exec -n prod deploy/app -c app -- /app/scripts/backup.sh"],
    ])("follows %s into the script", async (_label, run) => {
      const r = await detect("backups/db-backups", {
        ".github/workflows/backup.yml": workflow(run),
        "scripts/backup.sh": script,
      });
      expect(r.status).toBe("pass");
      expect(r.evidence).toContainEqual({
        path: "scripts/backup.sh",
        line: 3,
        note: 'pg_dump, run on schedule "0 2 * * *" (CI job backup)',
      });
    });

    it.each([
      ["a script that is not in the repository", "docker exec app /app/scripts/other.sh"],
      ["a container named like the script, running something else", "docker exec backup.sh ls"],
      ["kubectl exec without a command after --", "kubectl exec -n prod deploy/app scripts/backup.sh"],
      ["docker compose run-less mention", "docker compose logs app scripts/backup.sh"],
      ["an echoed docker exec", "echo docker exec app scripts/backup.sh"],
    ])("does not follow %s", async (_label, run) => {
      const r = await detect("backups/db-backups", {
        ".github/workflows/backup.yml": workflow(run),
        "scripts/backup.sh": script,
      });
      expect(r).toMatchObject({ status: "fail", reasonId: "no-automated-backup" });
    });
  });

  it("managed backups: RDS retention, a backup plan with a selection, Cloud SQL, DynamoDB PITR", async () => {
    const r = await detect("backups/db-backups", {
      "infra/main.tf": `resource "aws_db_instance" "db" {
  engine = "postgres"
  backup_retention_period = 7
}
resource "aws_backup_plan" "p" {
  name = "p"
  rule {
    rule_name = "daily"
    target_vault_name = "v"
    schedule = "cron(0 3 * * ? *)"
  }
}
resource "aws_backup_selection" "s" {
  name = "s"
  plan_id = aws_backup_plan.p.id
  iam_role_arn = "arn:aws:iam::1:role/backup"
  resources = [aws_db_instance.db.arn]
}
resource "google_sql_database_instance" "main" {
  database_version = "POSTGRES_16"
  settings {
    tier = "db-f1-micro"
    backup_configuration {
      enabled = true
    }
  }
}
resource "aws_dynamodb_table" "t" {
  name = "t"
  hash_key = "id"
  point_in_time_recovery {
    enabled = true
  }
}
`,
    });
    expect(r.status).toBe("pass");
    expect(r.evidence?.map((e) => `${e.line} ${e.note}`)).toEqual([
      "3 aws_db_instance.db: backup_retention_period = 7",
      "5 aws_backup_plan.p (cron(0 3 * * ? *)) with a backup selection",
      "23 google_sql_database_instance.main: automated backups",
      "31 aws_dynamodb_table.t: point-in-time recovery",
    ]);
  });

  it("operator schedules: Velero Schedule, CloudNativePG ScheduledBackup", async () => {
    const r = await detect("backups/db-backups", {
      "k8s/velero.yaml":
        "apiVersion: velero.io/v1\nkind: Schedule\nmetadata: {name: daily}\nspec:\n" +
        "  schedule: '0 1 * * *'\n  template: {includedNamespaces: [app]}\n",
      "k8s/cnpg.yaml":
        "apiVersion: postgresql.cnpg.io/v1\nkind: ScheduledBackup\nmetadata: {name: db}\nspec:\n" +
        "  schedule: '0 0 0 * * *'\n  cluster: {name: db}\n",
    });
    expect(r.status).toBe("pass");
    expect(r.evidence?.map((e) => e.path).sort()).toEqual(["k8s/cnpg.yaml", "k8s/velero.yaml"]);
  });
});

describe("backup-scheduled: fails on backups that are not real or not automatic", () => {
  it(
    "suspended, dry-run, echoed, /dev/null, unscheduled, commented-out schedule, retention 0, " +
      "plan without selection, paused Velero, vendored",
    async () => {
      const r = await detect("backups/db-backups", fixture("decoys"));
      expect(r).toMatchObject({ status: "fail", reasonId: "no-automated-backup" });
      const notes = r.evidence!.map((e) => `${e.path}:${e.line} ${e.note}`);
      expect(notes).toEqual(
        expect.arrayContaining([
          "infra/main.tf:7 aws_db_instance.ledger: backup_retention_period = 0 turns automated backups off",
          "infra/main.tf:14 aws_backup_plan.ledger selects no resources (no aws_backup_selection)",
          "k8s/pretend.yaml:51 Schedule nightly is paused/suspended",
          "k8s/suspended.yaml:16 pg_dump runs only when someone runs it (its CronJob is suspended)",
          "scripts/backup.sh:4 pg_dump runs only when someone runs it",
        ]),
      );
      // the dry run and the dump into /dev/null are named as such
      expect(notes.filter((n) => n.includes("backs nothing up")).map((n) => n.split(" ")[0])).toEqual([
        "k8s/pretend.yaml:17",
        "k8s/pretend.yaml:49",
      ]);
      expect(notes.some((n) => n.startsWith("vendor/"))).toBe(false);
    },
  );

  it("a backup script alone is a manual backup: backup-script passes, db-backups fails", async () => {
    const files = {
      "package.json": '{"dependencies":{"pg":"8"}}',
      "scripts/backup.sh": '#!/bin/sh\nset -eu\npg_dump "$DATABASE_URL" > db.sql\n',
    };
    expect(await detect("backups/db-backups", files)).toMatchObject({
      status: "fail",
      reasonId: "no-automated-backup",
    });
    expect(await detect("backups/backup-script", files)).toMatchObject({
      status: "pass",
      evidence: [{ path: "scripts/backup.sh", line: 3, note: "pg_dump" }],
    });
  });

  it("a schema-only dump on a schedule is not a backup", async () => {
    const r = await detect("backups/db-backups", {
      "k8s/schema.yaml": cronJob("schema", 'pg_dump --schema-only "$DATABASE_URL" > /tmp/schema.sql'),
    });
    expect(r).toMatchObject({ status: "fail", reasonId: "no-automated-backup" });
  });
});

describe("has-datastore (condition)", () => {
  it.each([
    [
      "a compose database service",
      { "docker-compose.yml": "services:\n  db:\n    image: postgres:16\n" },
      "docker-compose.yml",
    ],
    ["a database driver", { "package.json": '{"dependencies":{"mongoose":"^8.0.0"}}' }, "package.json"],
    ["a Python driver", { "requirements.txt": "Django==5.0\npsycopg2-binary==2.9.9\n" }, "requirements.txt"],
    [
      "a cloud database",
      { "main.tf": 'resource "aws_rds_cluster" "db" {\n  engine = "aurora-postgresql"\n}\n' },
      "main.tf",
    ],
    [
      "a StatefulSet with volume claims",
      {
        "k8s/sts.yaml":
          "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec:\n  volumeClaimTemplates:\n    - metadata: {name: data}\n",
      },
      "k8s/sts.yaml",
    ],
    [
      "migrations",
      { "db/migrate/20240101000000_create_users.rb": "class CreateUsers; end\n" },
      "db/migrate/20240101000000_create_users.rb",
    ],
  ])("%s", async (_, files, path) => {
    expect((await condition("has-datastore", files as Record<string, string>)).holds).toBe(true);
    expect((await contextOf(files as Record<string, string>)).derived.dataStores[0]?.path).toBe(path);
  });

  it("is N/A for a stateless app: a web framework, a cache without persistence, a test-only database", async () => {
    const r = await condition("has-datastore", {
      "package.json":
        '{"dependencies":{"express":"^4.19.0","ioredis":"^5.0.0"},"devDependencies":{"better-sqlite3":"^11.0.0"}}',
      "docker-compose.yml": "services:\n  cache:\n    image: redis:7\n",
    });
    expect(r).toMatchObject({ holds: false, reason: expect.stringMatching(/no database/) });
  });

  it("Redis counts when its data sits on a volume", async () => {
    const r = await condition("has-datastore", {
      "compose.yaml":
        "services:\n  cache:\n    image: redis:7\n    volumes: [redisdata:/data]\nvolumes:\n  redisdata:\n",
    });
    expect(r.holds).toBe(true);
  });
});

describe("db-backups end to end", () => {
  it("is N/A without a datastore, and the milestone says why", async () => {
    const report = await scanFiles({
      "index.html": "<h1>hi</h1>\n",
      "scripts/deploy.sh": "#!/bin/sh\nset -eu\nrsync -a site/ web@host:/srv/site/\n",
    });
    const signal = signalOf(report, "backups/db-backups");
    expect(signal).toMatchObject({ status: "na", reasonId: "not-has-datastore" });
    expect(report.milestones.find((m) => m.id === "db_backups")?.status).toBe("na");
  });

  it("passes the db_backups milestone with the CronJob's evidence", async () => {
    const report = await scanFiles(fixture("cronjob-script"));
    expect(signalOf(report, "backups/db-backups").status).toBe("pass");
    const milestone = report.milestones.find((m) => m.id === "db_backups")!;
    expect(milestone.status).toBe("pass");
    expect(milestone.evidence.map((e) => e.path)).toContain("k8s/backup.yaml");
  });

  it("fails the milestone on the decoys, and can be declared N/A in the repo config", async () => {
    const report = await scanFiles(fixture("decoys"));
    expect(report.milestones.find((m) => m.id === "db_backups")?.status).toBe("fail");
    const configured = await scanFiles(
      fixture("decoys"),
      "signals:\n  backups/db-backups:\n    not_applicable: backups are the platform team's job\n",
    );
    expect(signalOf(configured, "backups/db-backups")).toMatchObject({
      status: "na",
      reasonId: "not-applicable-by-config",
    });
  });
});
