// Backups that a platform takes by itself once configured: cloud backup plans and retention settings
// (Terraform, CloudFormation), and backup schedules of Kubernetes operators (Velero, CloudNativePG,
// Zalando, Crunchy, Percona, MariaDB, k8up, Stash, Longhorn), and snapshot tools' own policies (sanoid). A setting
// that switches them off is a near miss.
import type { FactStore } from "../engine/facts.js";
import { joinRepoPath } from "../engine/paths.js";
import type { Evidence } from "../engine/types.js";
import { asString, isRecord } from "../engine/yaml.js";
import type { HelmValuesFact, K8sObjectFact, TerraformFact } from "../facts/index.js";

export interface ManagedBackups {
  /** backups in effect */
  found: Evidence[];
  /** configured but switched off, or incomplete (a backup plan that selects nothing) */
  nearMisses: Evidence[];
}

export function managedBackups(facts: FactStore, kubernetes: readonly K8sObjectFact[]): ManagedBackups {
  const result: ManagedBackups = { found: [], nearMisses: [] };
  terraformBackups(facts, result);
  cloudFormationBackups(facts, result);
  for (const o of kubernetes) kubernetesBackup(o, result);
  chartValueBackups(facts, kubernetes, result);
  for (const p of facts.all("snapshotPolicy"))
    result.found.push({ path: p.path, line: p.line, note: `${p.tool} snapshots ${p.dataset} (keeps ${p.keeps})` });
  return result;
}

// ─── Terraform ──────────────────────────────────────────────────────────────────────────────────────

/** Retention attributes that enable automated backups when > 0 (0 turns them off). */
const RETENTION: Record<string, string> = {
  aws_db_instance: "backup_retention_period",
  aws_rds_cluster: "backup_retention_period",
  aws_docdb_cluster: "backup_retention_period",
  aws_neptune_cluster: "backup_retention_period",
  aws_redshift_cluster: "automated_snapshot_retention_period",
  aws_elasticache_replication_group: "snapshot_retention_limit",
  aws_elasticache_cluster: "snapshot_retention_limit",
  aws_memorydb_cluster: "snapshot_retention_limit",
  azurerm_postgresql_flexible_server: "backup_retention_days",
  azurerm_mysql_flexible_server: "backup_retention_days",
  azurerm_postgresql_server: "backup_retention_days",
  azurerm_mysql_server: "backup_retention_days",
  azurerm_mariadb_server: "backup_retention_days",
  digitalocean_database_cluster: "", // managed clusters are backed up daily by the platform, always
};

function terraformBackups(facts: FactStore, result: ManagedBackups): void {
  const all = facts.all("terraform");
  const files = all.filter((f) => !f.tfvars);
  const selectedPlans = new Set<string>();
  for (const f of files) {
    for (const r of f.resources) {
      if (r.type !== "aws_backup_selection") continue;
      const plan = /aws_backup_plan\.([\w-]+)\.id/.exec(String(r.attrs.plan_id ?? ""))?.[1];
      const selects = nonEmpty(r.attrs.resources) || nonEmpty(r.attrs.selection_tag) || nonEmpty(r.attrs.condition);
      if (plan && selects) selectedPlans.add(`${f.dir}\0${plan}`);
    }
  }
  for (const f of files) {
    // a Velero module (terraform-aws-velero, cloud-platform-terraform-velero …) installs Velero with its schedules
    for (const m of f.modules) {
      if (!/(^|[/-])velero([/?.-]|$)/i.test(m.source ?? "")) continue;
      const inputs = m.inputs ?? {};
      const off =
        numberOf(inputs.count) === 0 ||
        Object.entries(inputs).some(([k, v]) => /^(enable|enabled|create)(_velero)?$/.test(k) && v === false);
      if (off)
        result.nearMisses.push({ path: f.path, line: m.line, note: `module.${m.name} (Velero) is switched off` });
      else
        result.found.push({
          path: f.path,
          line: m.line,
          note: `module.${m.name} installs Velero from ${m.source}, with the backup schedules it defines`,
        });
    }
  }
  for (const f of files) {
    for (const r of f.resources) {
      const at = (attr: string) => ({ path: f.path, line: r.attrLines?.[attr] ?? r.line });
      const retentionAttr = RETENTION[r.type];
      if (retentionAttr !== undefined) {
        if (retentionAttr === "") {
          result.found.push({ path: f.path, line: r.line, note: `${r.type}.${r.name}: daily backups by the platform` });
          continue;
        }
        const days = numberOf(r.attrs[retentionAttr]);
        const set = days === undefined ? variableValues(all, f.dir, r.attrs[retentionAttr]) : [];
        if (days !== undefined && days > 0)
          result.found.push({ ...at(retentionAttr), note: `${r.type}.${r.name}: ${retentionAttr} = ${days}` });
        else if (set.some((v) => v.value > 0)) {
          const where = set.map((v) => `${v.value} in ${v.where}`).join(", ");
          result.found.push({
            ...at(retentionAttr),
            note: `${r.type}.${r.name}: ${retentionAttr} = ${String(r.attrs[retentionAttr]).replace(/^\$\{|\}$/g, "")} (${where})`,
          });
        } else if (days === 0 || set.length > 0)
          result.nearMisses.push({
            ...at(retentionAttr),
            note: `${r.type}.${r.name}: ${retentionAttr} = 0 turns automated backups off`,
          });
        else if (r.attrs[retentionAttr] !== undefined)
          result.nearMisses.push({
            ...at(retentionAttr),
            note: `${r.type}.${r.name}: ${retentionAttr} is not a literal number`,
          });
        continue;
      }
      switch (r.type) {
        case "aws_backup_plan": {
          const rules = blocks(r.attrs.rule).filter(
            (rule) => asString(rule.schedule) || rule.enable_continuous_backup === true,
          );
          if (rules.length === 0)
            result.nearMisses.push({
              path: f.path,
              line: r.line,
              note: `aws_backup_plan.${r.name} has no scheduled rule`,
            });
          else if (selectedPlans.has(`${f.dir}\0${r.name}`)) {
            const what = rules.map((rule) => asString(rule.schedule) ?? "continuous").join(", ");
            result.found.push({
              path: f.path,
              line: r.line,
              note: `aws_backup_plan.${r.name} (${what}) with a backup selection`,
            });
          } else
            result.nearMisses.push({
              path: f.path,
              line: r.line,
              note: `aws_backup_plan.${r.name} selects no resources (no aws_backup_selection)`,
            });
          break;
        }
        case "aws_dynamodb_table": {
          const pitr = blocks(r.attrs.point_in_time_recovery)[0];
          if (pitr?.enabled === true)
            result.found.push({
              ...at("point_in_time_recovery"),
              note: `aws_dynamodb_table.${r.name}: point-in-time recovery`,
            });
          break;
        }
        case "google_sql_database_instance": {
          const backup = blocks(blocks(r.attrs.settings)[0]?.backup_configuration)[0];
          if (backup?.enabled === true)
            result.found.push({
              ...at("backup_configuration"),
              note: `google_sql_database_instance.${r.name}: automated backups`,
            });
          else if (backup)
            result.nearMisses.push({
              ...at("backup_configuration"),
              note: `google_sql_database_instance.${r.name}: backup_configuration is not enabled`,
            });
          break;
        }
        case "mongodbatlas_cluster":
        case "mongodbatlas_advanced_cluster":
          if (
            r.attrs.cloud_backup === true ||
            r.attrs.backup_enabled === true ||
            r.attrs.provider_backup_enabled === true
          ) {
            result.found.push({ path: f.path, line: r.line, note: `${r.type}.${r.name}: cloud backup` });
          }
          break;
        case "aws_efs_backup_policy": {
          const policy = blocks(r.attrs.backup_policy)[0];
          if (asString(policy?.status) === "ENABLED")
            result.found.push({ path: f.path, line: r.line, note: `aws_efs_backup_policy.${r.name}: ENABLED` });
          break;
        }
        case "aws_dlm_lifecycle_policy":
          if (asString(r.attrs.state) !== "DISABLED")
            result.found.push({
              path: f.path,
              line: r.line,
              note: `aws_dlm_lifecycle_policy.${r.name}: scheduled snapshots`,
            });
          break;
        default:
          // Azure Backup: a protected item (VM, file share …) or a Data Protection backup instance, both bound to a policy
          if (/^azurerm_backup_protected_\w+$|^azurerm_data_protection_backup_instance_\w+$/.test(r.type)) {
            result.found.push({ path: f.path, line: r.line, note: `${r.type}.${r.name}: Azure Backup` });
          } else if (r.type === "google_spanner_backup_schedule" || r.type === "mongodbatlas_cloud_backup_schedule") {
            result.found.push({ path: f.path, line: r.line, note: `${r.type}.${r.name}` });
          }
      }
    }
  }
}

/**
 * The numbers a `var.x` reference can take: the variable's default in its module, what the module's callers pass
 * (followed through their own variables), and the values of .tfvars files that set it. Empty when none is a number.
 */
function variableValues(
  files: readonly TerraformFact[],
  dir: string,
  value: unknown,
  depth = 0,
): { value: number; where: string }[] {
  const name = /^\$\{var\.([\w-]+)\}$/.exec(String(value ?? ""))?.[1];
  if (!name || depth > 3) return [];
  const out: { value: number; where: string }[] = [];
  for (const f of files) {
    const own = f.dir === dir ? numberOf(f.variableDefaults?.[name]) : undefined;
    if (own !== undefined) out.push({ value: own, where: `the default of var.${name}` });
    const set = f.tfvars ? numberOf(f.values?.[name]) : undefined;
    if (set !== undefined) out.push({ value: set, where: f.path });
    for (const m of f.modules) {
      if (m.origin !== "local" || !m.source || joinRepoPath(f.dir, m.source) !== dir || m.inputs?.[name] === undefined)
        continue;
      const passed = numberOf(m.inputs[name]);
      if (passed !== undefined) out.push({ value: passed, where: `module.${m.name} in ${f.path}` });
      else out.push(...variableValues(files, f.dir, m.inputs[name], depth + 1));
    }
  }
  return out;
}

/** A module's folder from its caller's folder and a local source (`./modules/rds`, `../rds`). */
// ─── CloudFormation / SAM ───────────────────────────────────────────────────────────────────────────

function cloudFormationBackups(facts: FactStore, result: ManagedBackups): void {
  for (const iac of facts.all("iac")) {
    const selections = new Set(
      iac.resources
        .filter((r) => r.type === "AWS::Backup::BackupSelection")
        .map((r) => JSON.stringify(r.attrs?.BackupPlanId ?? "")),
    );
    for (const r of iac.resources) {
      const props = r.attrs ?? {};
      const at = { path: iac.path, line: r.line };
      if (r.type === "AWS::RDS::DBInstance" || r.type === "AWS::RDS::DBCluster" || r.type === "AWS::DocDB::DBCluster") {
        const days = numberOf(props.BackupRetentionPeriod);
        if (days !== undefined && days > 0)
          result.found.push({ ...at, note: `${r.type} ${r.name}: BackupRetentionPeriod ${days}` });
        else if (days === 0)
          result.nearMisses.push({ ...at, note: `${r.type} ${r.name}: BackupRetentionPeriod 0 turns backups off` });
      } else if (
        r.type === "AWS::DynamoDB::Table" &&
        isRecord(props.PointInTimeRecoverySpecification) &&
        truthy(props.PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled)
      ) {
        result.found.push({ ...at, note: `${r.type} ${r.name}: point-in-time recovery` });
      } else if (r.type === "AWS::Backup::BackupPlan") {
        const referenced = [...selections].some((s) => s.includes(r.name));
        if (referenced) result.found.push({ ...at, note: `AWS::Backup::BackupPlan ${r.name} with a backup selection` });
        else result.nearMisses.push({ ...at, note: `AWS::Backup::BackupPlan ${r.name} selects no resources` });
      }
    }
  }
}

// ─── Kubernetes operators ───────────────────────────────────────────────────────────────────────────

function kubernetesBackup(o: K8sObjectFact, result: ManagedBackups): void {
  const spec = isRecord(o.doc.spec) ? o.doc.spec : {};
  const group = o.apiVersion.split("/")[0] ?? "";
  const label = `${o.kind} ${o.name ?? ""}`.trim();
  const at = { path: o.path, line: o.line };
  const scheduled = (schedule: unknown, off: unknown, what: string) => {
    const cron = asString(schedule);
    if (!cron) return;
    if (off === true) result.nearMisses.push({ ...at, note: `${label} is paused/suspended` });
    else result.found.push({ ...at, note: `${label}: ${what} (${cron})` });
  };
  if (group === "velero.io" && o.kind === "Schedule")
    return scheduled(spec.schedule, spec.paused, "Velero backup schedule");
  if (group === "postgresql.cnpg.io" && o.kind === "ScheduledBackup")
    return scheduled(spec.schedule, spec.suspend, "CloudNativePG scheduled backup");
  if (group === "k8up.io" && o.kind === "Schedule")
    return scheduled(isRecord(spec.backup) ? spec.backup.schedule : undefined, undefined, "k8up backup schedule");
  if (group === "volsync.backube" && o.kind === "ReplicationSource") return volsync(spec, label, at, result);
  if (group === "kopiur.home-operations.com" && o.kind === "SnapshotSchedule") {
    const schedule = isRecord(spec.schedule) ? spec.schedule.cron : spec.schedule;
    return scheduled(schedule, spec.suspend ?? spec.paused, "kopiur snapshot schedule");
  }
  if (group === "stackgres.io" && o.kind === "SGCluster") {
    const configurations = isRecord(spec.configurations) ? spec.configurations : {};
    const backup = Array.isArray(configurations.backups) ? configurations.backups.find(isRecord) : undefined;
    return scheduled(backup?.cronSchedule, undefined, "StackGres scheduled backups");
  }
  if (group === "stash.appscode.com" && o.kind === "BackupConfiguration")
    return scheduled(spec.schedule, spec.paused, "Stash backup");
  if (group === "core.kubestash.com" && o.kind === "BackupConfiguration") {
    const session = Array.isArray(spec.sessions) ? spec.sessions.find(isRecord) : undefined;
    const scheduler = isRecord(session?.scheduler) ? session.scheduler : {};
    return scheduled(scheduler.schedule, spec.paused, "KubeStash backup");
  }
  if (group === "longhorn.io" && o.kind === "RecurringJob" && asString(spec.task) === "backup")
    return scheduled(spec.cron, undefined, "Longhorn recurring backup");
  if ((group === "k8s.mariadb.com" || group === "mariadb.mmontes.io") && o.kind === "Backup") {
    const schedule = isRecord(spec.schedule) ? spec.schedule : undefined;
    return scheduled(schedule?.cron, schedule?.suspend, "MariaDB operator backup");
  }
  if (group === "acid.zalan.do" && o.kind === "postgresql") {
    if (spec.enableLogicalBackup === true)
      result.found.push({
        ...at,
        note: `${label}: logical backups (${asString(spec.logicalBackupSchedule) ?? "operator default schedule"})`,
      });
    return;
  }
  if (group === "postgres-operator.crunchydata.com" && o.kind === "PostgresCluster") {
    const repos =
      isRecord(spec.backups) && isRecord(spec.backups.pgbackrest) && Array.isArray(spec.backups.pgbackrest.repos)
        ? spec.backups.pgbackrest.repos
        : [];
    const withSchedule = repos.find(
      (r) => isRecord(r) && isRecord(r.schedules) && Object.values(r.schedules).some((v) => asString(v)),
    );
    if (withSchedule) result.found.push({ ...at, note: `${label}: pgBackRest scheduled backups` });
    return;
  }
  if (/\.percona\.com$/.test(group) && /^Percona/.test(o.kind)) {
    const backup = isRecord(spec.backup) ? spec.backup : isRecord(spec.backups) ? spec.backups : {};
    const tasks = [
      ...(Array.isArray(backup.schedule) ? backup.schedule : []),
      ...(Array.isArray(backup.tasks) ? backup.tasks : []),
    ];
    const on =
      backup.enabled !== false && tasks.some((t) => isRecord(t) && asString(t.schedule) && t.enabled !== false);
    if (on) result.found.push({ ...at, note: `${label}: scheduled backups` });
  }
}

// ─── backup charts installed with values ────────────────────────────────────────────────────────────

/** The backup-making chart a dependency or a HelmRelease installs: Velero, or CloudNativePG's cluster chart. */
export function backupChart(name: string, repository = ""): "velero" | "cnpg-cluster" | undefined {
  if (name === "velero") return "velero";
  if (name === "cluster" && /cloudnative-pg/.test(repository)) return "cnpg-cluster";
  return undefined;
}

/**
 * Backups switched on in the values of a chart that makes them: an umbrella chart's dependency (its values under
 * the alias), a Flux HelmRelease's or an Argo CD Application's inline values. Velero: `schedules.<name>.schedule`
 * not disabled or paused; CloudNativePG cluster chart: `backups.enabled` (its scheduledBackups default to daily).
 */
function chartValueBackups(facts: FactStore, kubernetes: readonly K8sObjectFact[], result: ManagedBackups): void {
  const valuesByDir = new Map<string, HelmValuesFact[]>();
  for (const v of facts.all("helmValues")) {
    const list = valuesByDir.get(v.dir);
    if (list) list.push(v);
    else valuesByDir.set(v.dir, [v]);
  }
  for (const chart of facts.all("helm")) {
    for (const dep of chart.dependencies) {
      const kind = backupChart(dep.name, dep.repository);
      if (!kind) continue;
      const key = dep.alias ?? dep.name;
      for (const file of valuesByDir.get(chart.dir) ?? []) {
        const values = file.values?.[key];
        if (!isRecord(values)) continue;
        const lineOf = (sub: string) => file.keyLines?.[`${key}.${sub}`] ?? file.keyLines?.[key] ?? 1;
        judgeChartValues(
          kind,
          values,
          (sub) => ({ path: file.path, line: lineOf(sub) }),
          `${key} (${dep.name} chart)`,
          result,
        );
      }
    }
  }
  for (const o of kubernetes) {
    const spec = isRecord(o.doc.spec) ? o.doc.spec : {};
    const at = () => ({ path: o.path, line: o.line });
    if (o.apiVersion.startsWith("helm.toolkit.fluxcd.io/") && o.kind === "HelmRelease" && spec.suspend !== true) {
      const chartSpec = isRecord(spec.chart) && isRecord(spec.chart.spec) ? spec.chart.spec : {};
      const source = isRecord(chartSpec.sourceRef) ? (asString(chartSpec.sourceRef.name) ?? "") : "";
      const kind = backupChart(asString(chartSpec.chart) ?? "", source);
      if (kind && isRecord(spec.values)) judgeChartValues(kind, spec.values, at, `HelmRelease ${o.name ?? ""}`, result);
    } else if (o.apiVersion.startsWith("argoproj.io/") && o.kind === "Application") {
      const sources = [spec.source, ...(Array.isArray(spec.sources) ? spec.sources : [])].filter(isRecord);
      for (const source of sources) {
        const kind = backupChart(asString(source.chart) ?? "", asString(source.repoURL));
        const helm = isRecord(source.helm) ? source.helm : {};
        if (kind && isRecord(helm.valuesObject))
          judgeChartValues(kind, helm.valuesObject, at, `Application ${o.name ?? ""}`, result);
      }
    }
  }
}

function judgeChartValues(
  kind: "velero" | "cnpg-cluster",
  values: Record<string, unknown>,
  at: (key: string) => { path: string; line: number },
  label: string,
  result: ManagedBackups,
): void {
  if (kind === "velero") {
    if (!isRecord(values.schedules)) return;
    const on = Object.entries(values.schedules).filter(
      ([, s]) => isRecord(s) && asString(s.schedule) && s.disabled !== true && s.paused !== true,
    );
    if (on.length > 0) {
      const what = on.map(([name, s]) => `${name} (${asString((s as Record<string, unknown>).schedule)})`).join(", ");
      result.found.push({ ...at("schedules"), note: `${label}: Velero backup schedules ${what}` });
    } else
      result.nearMisses.push({ ...at("schedules"), note: `${label}: every Velero schedule is disabled or paused` });
    return;
  }
  const backups = values.backups;
  if (!isRecord(backups)) return;
  if (backups.enabled === true) {
    const crons = (Array.isArray(backups.scheduledBackups) ? backups.scheduledBackups : [])
      .map((b) => (isRecord(b) ? asString(b.schedule) : undefined))
      .filter((c): c is string => c !== undefined);
    const when = crons.length > 0 ? crons.join(", ") : "the chart's daily default";
    result.found.push({ ...at("backups"), note: `${label}: CloudNativePG scheduled backups (${when})` });
  } else result.nearMisses.push({ ...at("backups"), note: `${label}: CloudNativePG backups are not enabled` });
}

/** Movers that copy a volume into a backup repository (rsync, rsyncTLS and syncthing mirror it to another volume). */
const VOLSYNC_BACKUP_MOVERS = ["restic", "kopia", "rclone"];

/**
 * A VolSync ReplicationSource copies a volume on its trigger: a cron schedule, or one sync after another when there
 * is no trigger at all; a manual trigger waits for a person, and `paused` stops it.
 */
function volsync(
  spec: Record<string, unknown>,
  label: string,
  at: { path: string; line: number },
  result: ManagedBackups,
): void {
  const mover = Object.keys(spec).find((k) => VOLSYNC_BACKUP_MOVERS.includes(k) || k === "rsync" || k === "rsyncTLS");
  if (!mover) return;
  const trigger = isRecord(spec.trigger) ? spec.trigger : undefined;
  const what = VOLSYNC_BACKUP_MOVERS.includes(mover) ? `VolSync ${mover} backup` : `VolSync ${mover} replication`;
  if (spec.paused === true) result.nearMisses.push({ ...at, note: `${label} is paused` });
  else if (trigger && asString(trigger.manual) !== undefined && trigger.schedule === undefined)
    result.nearMisses.push({ ...at, note: `${label}: ${what} runs only when someone sets its manual trigger` });
  else if (trigger && asString(trigger.schedule))
    result.found.push({ ...at, note: `${label}: ${what} (${asString(trigger.schedule)})` });
  else if (!trigger) result.found.push({ ...at, note: `${label}: ${what}, one sync after another` });
}

// ─── values ─────────────────────────────────────────────────────────────────────────────────────────

function blocks(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter(isRecord) : isRecord(value) ? [value] : [];
}

function numberOf(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "string" && /^\d+$/.test(value.trim())) return Number(value);
  return undefined;
}

function truthy(value: unknown): boolean {
  return value === true || value === "true";
}

function nonEmpty(value: unknown): boolean {
  return Array.isArray(value) ? value.length > 0 : value !== undefined && value !== null && value !== "";
}
