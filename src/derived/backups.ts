// What the repository's commands do with its data, judged once per scan: which commands back it up (for real:
// not a dry run, not a schema-only dump, not into /dev/null), restore it, or copy it elsewhere; which backups run
// without a person (reached from a schedule, or automatic by themselves); and the platform's managed backups.
// The backups detectors read this (ctx.derived.backups) instead of classifying commands themselves.
import {
  backupCommand,
  copyTarget,
  type DataCommand,
  restoreCommand,
  sqliteIntegrityCheck,
  uploadCommand,
} from "../analyzers/command-class/data.js";
import type { FactStore } from "../engine/facts.js";
import { isRecord } from "../engine/yaml.js";
import type { BackupFacts, DataCommandFact, Schedule, ScheduledBackup } from "../facts/derived.js";
import type { CommandFact, K8sObjectFact } from "../facts/index.js";
import { programOf } from "../vocabulary/programs.js";
import type { CommandGraph } from "./command-graph.js";
import { managedBackups } from "./managed-backups.js";

/** Programs whose only job is backing up: named by a command that backs nothing up, they are a near miss. */
const BACKUP_PROGRAM = new RegExp(
  String.raw`^(pg_dump|pg_dumpall|pg_basebackup|mysqldump|mariadb-dump|mongodump|restic|borg|velero|` +
    String.raw`wal-g|pgbackrest|litestream|xtrabackup|mariabackup|kopia|borgmatic)$`,
);

export function backups(
  facts: FactStore,
  graph: CommandGraph,
  schedules: readonly Schedule[],
  kubernetes: readonly K8sObjectFact[],
): BackupFacts {
  const byCommand = new Map<CommandFact, DataCommandFact>();
  const suspendedCronJobs = new Set(
    kubernetes
      .filter((o) => o.kind === "CronJob" && isRecord(o.doc.spec) && o.doc.spec.suspend === true)
      .map((o) => `${o.path}\0${o.name ?? ""}`),
  );
  for (const c of graph.commands) {
    const fact = dataCommand(graph, c, suspendedCronJobs);
    if (fact) byCommand.set(c, fact);
  }
  const automated: ScheduledBackup[] = [];
  for (const { command: root, runs } of schedules) {
    for (const c of runs) {
      const backup = byCommand.get(c)?.backup;
      if (backup) automated.push({ command: c, data: backup, root, rootProgram: programOf(root.argv).program });
    }
  }
  for (const [c, fact] of byCommand) {
    const automatic = fact.backup?.automatic;
    if (automatic === "schedule" || (automatic === "continuous" && (c.origin === "k8s" || c.origin === "dockerfile")))
      automated.push({ command: c, data: fact.backup! });
  }
  return {
    commands: [...byCommand.values()],
    of: (c) => byCommand.get(c),
    automated,
    managed: managedBackups(facts, kubernetes),
  };
}

function dataCommand(graph: CommandGraph, c: CommandFact, suspended: Set<string>): DataCommandFact | undefined {
  const flow = graph.flowOf(c);
  const named = backupCommand(c.argv);
  const backup = named && !flow?.discarded ? named : undefined;
  const restore = restoreCommand(c.argv, true)
    ? restoreCommand(c.argv, flow?.fed ?? false)
    : checkedSqliteCopy(graph, c);
  const upload = uploadCommand(c.argv);
  const program = programOf(c.argv).program;
  const backupProgram = BACKUP_PROGRAM.test(program);
  const copied = copyTarget(c.argv);
  if (!named && !restore && !upload && !backupProgram && copied === undefined) return undefined;
  return {
    command: c,
    program,
    ...(named ? { named } : {}),
    ...(backup ? { backup } : {}),
    ...(restore ? { restore } : {}),
    ...(upload ? { upload } : {}),
    ...(backupProgram ? { backupProgram } : {}),
    ...(copied !== undefined ? { copyTarget: copied } : {}),
    ...(c.origin === "k8s" && suspended.has(`${c.path}\0${c.unit ?? ""}`) ? { suspended: true } : {}),
  };
}

/**
 * A SQLite backup is a file: it is restored by copying it into place. An integrity check, not thrown away, of a
 * file that an earlier command of the same script or job copied there proves the copy opens as a database.
 */
function checkedSqliteCopy(graph: CommandGraph, c: CommandFact): DataCommand | undefined {
  const db = sqliteIntegrityCheck(c.argv);
  if (db === undefined || graph.flowOf(c)?.discarded) return undefined;
  const siblings =
    c.origin === "shell"
      ? graph.scriptCommands(c.path)
      : graph.commands.filter((o) => o.path === c.path && o.origin === c.origin && o.unit === c.unit);
  const copied = siblings.some((o) => o.line <= c.line && o !== c && copyTarget(o.argv) === db);
  return copied ? { summary: "SQLite backup copied into place and integrity-checked" } : undefined;
}
