// Backups beyond a dump in a script (issue 9, group 4): operator objects, chart values, tools and schedulers.
import { describe, expect, it } from "vitest";
import { condition, contextOf, detect } from "../helpers.js";

const pvc =
  "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data}\nspec:\n  resources: {requests: {storage: 1Gi}}\n";

const replicationSource = (spec: string) =>
  `apiVersion: volsync.backube/v1alpha1\nkind: ReplicationSource\nmetadata: {name: app}\nspec:\n  sourcePVC: data\n${spec}`;

describe("operator objects", () => {
  it("a VolSync ReplicationSource with a schedule, or with no trigger at all, backs the volume up", async () => {
    const scheduled = await detect("backups/db-backups", {
      "k8s/pvc.yaml": pvc,
      "k8s/volsync.yaml": replicationSource(
        '  trigger:\n    schedule: "15 * * * *"\n  kopia:\n    repository: app-volsync\n    retain: {daily: 3}\n',
      ),
    });
    expect(scheduled.status).toBe("pass");
    expect(scheduled.evidence?.[0]).toMatchObject({ path: "k8s/volsync.yaml", line: 1 });
    expect(scheduled.evidence?.[0]?.note).toContain("VolSync kopia backup (15 * * * *)");
    const continuous = await detect("backups/db-backups", {
      "k8s/pvc.yaml": pvc,
      "k8s/volsync.yaml": replicationSource("  restic:\n    repository: app-restic\n"),
    });
    expect(continuous.status).toBe("pass");
  });

  it("a VolSync ReplicationSource that is paused, waits for a manual trigger, or has no mover is no backup", async () => {
    for (const spec of [
      '  paused: true\n  trigger:\n    schedule: "0 * * * *"\n  restic:\n    repository: r\n',
      "  trigger:\n    manual: first-sync\n  restic:\n    repository: r\n",
      '  trigger:\n    schedule: "0 * * * *"\n',
    ]) {
      const r = await detect("backups/db-backups", {
        "k8s/pvc.yaml": pvc,
        "k8s/volsync.yaml": replicationSource(spec),
      });
      expect(r, spec).toMatchObject({ status: "fail", reasonId: "no-automated-backup" });
    }
  });

  it("a kopiur SnapshotSchedule with a cron; not when suspended", async () => {
    const schedule = (extra: string) =>
      `apiVersion: kopiur.home-operations.com/v1alpha1\nkind: SnapshotSchedule\n` +
      `metadata: {name: app}\nspec:\n  policyRef: {name: app}\n  schedule:\n` +
      `    cron: "H * * * *"\n${extra}`;
    const on = await detect("backups/db-backups", { "k8s/pvc.yaml": pvc, "k8s/schedule.yaml": schedule("") });
    expect(on.status).toBe("pass");
    expect(on.evidence?.[0]?.note).toContain("kopiur snapshot schedule");
    const off = await detect("backups/db-backups", {
      "k8s/pvc.yaml": pvc,
      "k8s/schedule.yaml": schedule("  suspend: true\n"),
    });
    expect(off).toMatchObject({ status: "fail", reasonId: "no-automated-backup" });
    expect(off.evidence?.[0]?.note).toContain("paused/suspended");
  });
});

describe("backups switched on in a chart's values", () => {
  const umbrella = (deps: string, values: string) => ({
    "apps/app/Chart.yaml": `apiVersion: v2\nname: app\nversion: 0.1.0\ndependencies:\n${deps}`,
    "apps/app/values.yaml": values,
  });
  const cnpg =
    "  - name: cluster\n    alias: db\n    repository: https://cloudnative-pg.github.io/charts\n    version: 0.8.1\n";
  const velero = "  - name: velero\n    repository: https://vmware-tanzu.github.io/helm-charts\n    version: 12.1.0\n";

  it("an umbrella chart's CloudNativePG cluster with backups enabled, and Velero schedules that are on", async () => {
    const r = await detect(
      "backups/db-backups",
      umbrella(
        cnpg,
        "db:\n  cluster:\n    instances: 1\n  backups:\n    enabled: true\n    scheduledBackups:\n" +
          "      - name: daily\n        schedule: '0 0 1 * * *'\n",
      ),
    );
    expect(r.status).toBe("pass");
    expect(r.evidence?.[0]).toMatchObject({ path: "apps/app/values.yaml", line: 4 });
    expect(r.evidence?.[0]?.note).toContain("CloudNativePG scheduled backups (0 0 1 * * *)");
    const v = await detect("backups/db-backups", {
      ...umbrella(velero, "velero:\n  schedules:\n    nightly:\n      disabled: false\n      schedule: '0 2 * * *'\n"),
      "k8s/pvc.yaml": pvc,
    });
    expect(v.status).toBe("pass");
    expect(v.evidence?.[0]).toMatchObject({ path: "apps/app/values.yaml", line: 2 });
  });

  it("not when CloudNativePG backups are off, or every Velero schedule is disabled or paused", async () => {
    const off = await detect("backups/db-backups", umbrella(cnpg, "db:\n  backups:\n    enabled: false\n"));
    expect(off).toMatchObject({ status: "fail", reasonId: "no-automated-backup" }); // the cluster is a data store: db-backups applies
    expect(off.evidence?.[0]?.note).toContain("not enabled");
    const disabled = await detect("backups/db-backups", {
      ...umbrella(
        velero,
        "velero:\n  schedules:\n    a:\n      disabled: true\n      schedule: '0 2 * * *'\n    b:\n" +
          "      paused: true\n      schedule: '0 3 * * *'\n",
      ),
      "k8s/pvc.yaml": pvc,
    });
    expect(disabled).toMatchObject({ status: "fail", reasonId: "no-automated-backup" });
  });

  it("a Flux HelmRelease of the Velero chart with schedules in its values", async () => {
    const release = (extra: string) => `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: velero}
spec:${extra}
  chart:
    spec:
      chart: velero
      sourceRef: {kind: HelmRepository, name: vmware-tanzu}
  values:
    schedules:
      daily:
        schedule: "0 3 * * *"
`;
    const on = await detect("backups/db-backups", { "k8s/pvc.yaml": pvc, "k8s/velero.yaml": release("") });
    expect(on.status).toBe("pass");
    const suspended = await detect("backups/db-backups", {
      "k8s/pvc.yaml": pvc,
      "k8s/velero.yaml": release("\n  suspend: true"),
    });
    expect(suspended).toMatchObject({ status: "fail", reasonId: "no-automated-backup" });
  });
});

describe("data stores seen where they are", () => {
  it.each([
    [
      "a database image built from the repository's own Dockerfile",
      { "docker/db/Dockerfile": "FROM postgres:14-alpine\nCOPY init.sql /docker-entrypoint-initdb.d/\n" },
      "docker/db/Dockerfile",
    ],
    [
      "an umbrella chart's database dependency",
      {
        "chart/Chart.yaml":
          "apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n  - name: postgresql\n" +
          "    repository: oci://registry-1.docker.io/bitnamicharts\n    version: 15.0.0\n",
      },
      "chart/Chart.yaml",
    ],
    [
      "a HelmRelease of CloudNativePG's cluster chart",
      {
        "k8s/db.yaml":
          "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: db}\nspec:\n" +
          "  chart:\n    spec:\n      chart: cluster\n" +
          "      sourceRef: {kind: HelmRepository, name: cloudnative-pg}\n",
      },
      "k8s/db.yaml",
    ],
    [
      "Django migrations",
      { "app/migrations/0001_initial.py": "from django.db import migrations\n" },
      "app/migrations/0001_initial.py",
    ],
  ])("%s", async (_, files, path) => {
    const ctx = await contextOf(files as Record<string, string>);
    expect(ctx.derived.dataStores.map((d) => d.path)).toContain(path);
  });

  it.each([
    [
      "a database dependency switched off in the values",
      {
        "chart/Chart.yaml":
          "apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n  - name: postgresql\n" +
          "    version: 15.0.0\n    condition: postgresql.enabled\n",
        "chart/values.yaml": "postgresql:\n  enabled: false\n",
      },
    ],
    ["a database Dockerfile in a test folder", { "test/db/Dockerfile": "FROM postgres:16\n" }],
    ["an application image", { Dockerfile: 'FROM node:20-alpine\nCMD ["node", "server.js"]\n' }],
    ["a Lambda named migrations", { "lambdas/migrations/lambda_handler.py": "def handler(event, ctx):\n  pass\n" }],
  ])("not %s", async (_, files) => {
    expect((await condition("has-datastore", files as Record<string, string>)).holds).toBe(false);
  });
});

describe("managed backups in Terraform set through variables and modules", () => {
  const rds = (retention: string) =>
    `resource "aws_db_instance" "db" {\n  engine = "postgres"\n  backup_retention_period = ${retention}\n}\n`;
  const module = (days: string) =>
    `module "rds" {\n  source = "./modules/rds"\n  backup_retention_period = ${days}\n}\n`;

  it("a retention passed by the module's caller, from a variable set in a .tfvars file", async () => {
    const r = await detect("backups/db-backups", {
      "terraform/modules/rds/main.tf": rds("var.backup_retention_period"),
      "terraform/modules/rds/variables.tf": 'variable "backup_retention_period" {\n  type = number\n}\n',
      "terraform/main.tf": module("var.rds_backup_retention_period"),
      "terraform/variables.tf": 'variable "rds_backup_retention_period" {\n  type = number\n}\n',
      "terraform/environments/production.tfvars": "rds_backup_retention_period = 30\n",
    });
    expect(r.status).toBe("pass");
    expect(r.evidence?.[0]).toMatchObject({ path: "terraform/modules/rds/main.tf", line: 3 });
    expect(r.evidence?.[0]?.note).toContain("30 in terraform/environments/production.tfvars");
  });

  it("a variable's default; not when every value is 0 or nothing sets it", async () => {
    const byDefault = await detect("backups/db-backups", {
      "main.tf": `${rds("var.days")}variable "days" {\n  default = 7\n}\n`,
    });
    expect(byDefault.status).toBe("pass");
    const zero = await detect("backups/db-backups", {
      "modules/rds/main.tf": rds("var.days"),
      "main.tf": module("0").replace("backup_retention_period", "days"),
    });
    expect(zero).toMatchObject({ status: "fail", reasonId: "no-automated-backup" });
    const unset = await detect("backups/db-backups", { "main.tf": rds("var.days") });
    expect(unset).toMatchObject({ status: "fail", reasonId: "no-automated-backup" });
    expect(unset.evidence?.[0]?.note).toContain("not a literal number");
  });

  it("a Velero module installs Velero with its schedules; not when switched off", async () => {
    const velero = (extra: string) =>
      `module "velero" {\n  source = "github.com/example/terraform-aws-velero?ref=2.8.0"\n${extra}}\n`;
    const on = await detect("backups/db-backups", { "velero.tf": velero("  cluster = var.cluster\n") });
    expect(on.status).toBe("pass");
    expect(on.evidence?.[0]?.note).toContain("installs Velero");
    for (const extra of ["  count = 0\n", "  enable_velero = false\n"]) {
      const off = await detect("backups/db-backups", { "velero.tf": velero(extra) });
      expect(off, extra).toMatchObject({ status: "fail", reasonId: "no-automated-backup" });
    }
  });
});

describe("backup tools and where commands hide", () => {
  it.each([
    [
      "docker run --rm -v mysql:/var/lib/mysql mariadb:10 /bin/sh -c 'mariabackup --backup --target-dir=/b'",
      "mariabackup --backup",
    ],
    ["docker compose run --rm -T web pg_dump app", "pg_dump"],
    ["kopia snapshot create /srv/data", "kopia snapshot create"],
    ["borgmatic --verbosity 1", "borgmatic create"],
    ["borgmatic create --stats", "borgmatic create"],
    ["zfs send -R tank/data@daily", "zfs send"],
    ["syncoid -r tank/data backup@nas:pool/data", "syncoid"],
    ["sanoid --cron", "sanoid snapshots"],
    ["zfs-autobackup --ssh-target nas offsite", "zfs-autobackup"],
  ])("%s backs up", async (cmd, summary) => {
    const r = await detect("backups/backup-script", {
      "scripts/backup.sh": `#!/bin/sh\n${cmd}\n`,
      "compose.yaml": "services:\n  db:\n    image: postgres:16\n",
    });
    expect(r.status, cmd).toBe("pass");
    expect(r.evidence?.[0]?.note).toBe(summary);
  });

  it.each([
    "docker run --rm alpine echo mariabackup --backup",
    "docker run --rm mariadb:10 mariabackup --prepare --target-dir=/b",
    "kopia snapshot list",
    "borgmatic list",
    "zfs snapshot tank/data@now",
    "sanoid --monitor-health",
    "echo syncoid tank/data nas:pool/data",
  ])("%s does not", async (cmd) => {
    const r = await detect("backups/backup-script", {
      "scripts/backup.sh": `#!/bin/sh\n${cmd}\n`,
      "compose.yaml": "services:\n  db:\n    image: postgres:16\n",
    });
    expect(r, cmd).toMatchObject({ status: "fail", reasonId: "no-backup-command" });
  });

  it("syncoid to another host is off the machine", async () => {
    const r = await detect("backups/backup-offsite", {
      "scripts/replicate.sh": "#!/bin/sh\nsyncoid -r tank/data backup@nas:pool/data\n",
      "compose.yaml": "services:\n  db:\n    image: postgres:16\n",
    });
    expect(r.status).toBe("pass");
  });
});

describe("a crontab mounted into a backup container", () => {
  const files = (line: string) => ({
    "apps/app/docker-compose.yml":
      "services:\n  db:\n    image: postgres:16\n  borgmatic:\n" +
      "    image: ghcr.io/borgmatic-collective/borgmatic:2\n    volumes:\n" +
      "      - ./borgmatic-crontab.txt:/etc/borgmatic.d/crontab.txt:ro\n",
    "apps/app/borgmatic-crontab.txt": `# daily\n${line}\n`,
  });

  it("schedules borgmatic", async () => {
    const r = await detect("backups/db-backups", files("0 0 * * * /usr/local/bin/borgmatic --verbosity -2"));
    expect(r.status).toBe("pass");
    expect(r.evidence?.[0]).toMatchObject({ path: "apps/app/borgmatic-crontab.txt", line: 2 });
  });

  it("not when the line is commented out or only lists archives", async () => {
    for (const line of ["#0 0 * * * borgmatic", "0 0 * * * borgmatic list"])
      expect(await detect("backups/db-backups", files(line)), line).toMatchObject({
        status: "fail",
        reasonId: "no-automated-backup",
      });
  });
});
