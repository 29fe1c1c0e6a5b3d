// The backups task: data that is backed up for real and can be restored, releases that can be undone.
// Every detector reads facts (and, through the command graph, the shell structure of scripts already read).

import {
  backupCommand,
  copyTarget,
  type DataCommand,
  restoreCommand,
  sqliteIntegrityCheck,
  uploadCommand,
} from "../analyzers/command-class/data.js";
import { programOf } from "../analyzers/shell-parse.js";
import { type CommandGraph, isLocal } from "../derived/command-graph.js";
import {
  type DetectContext,
  type Detector,
  dedupeEvidence,
  fail,
  notApplicable,
  pass,
  passIfAny,
} from "../engine/detector.js";
import type { Evidence } from "../engine/types.js";
import type { CommandFact } from "../facts/index.js";
import { autoRollbacks, rollbackSummary } from "./backups/auto-rollback.js";
import { managedBackups } from "./backups/managed-backups.js";
import { downMigrations } from "./backups/migrations.js";

export const backupsDetectors: Record<string, Detector> = {
  "backups/db-backups": scheduledBackups,
  "backups/backup-script": manualBackups,
  "backups/backup-offsite": offsiteBackups,
  "backups/restore-tested": restoreTested,
  "backups/restore-docs": (ctx) =>
    docTopic(ctx, "restore", "no document explains how to restore the data (a Restore section with steps or commands)"),
  "backups/dr-runbook": disasterRecovery,
  "backups/auto-rollback": automaticRollback,
  "backups/rollback-procedure": rollbackProcedure,
  "backups/down-migrations": downMigrationDetector,
};

// ─── backups ────────────────────────────────────────────────────────────────────────────────────────

interface Backup {
  command: CommandFact;
  data: DataCommand;
  /** the scheduled command that runs it, when it runs on a schedule */
  root?: CommandFact;
}

/** A backup command that really writes a copy: not a dry run, not a schema-only dump, not into /dev/null. */
function realBackup(graph: CommandGraph, c: CommandFact): DataCommand | undefined {
  const data = backupCommand(c.argv);
  return data && !graph.flowOf(c)?.discarded ? data : undefined;
}

/** Backups that run without a person: reached from a scheduled command, or automatic by themselves. */
function automatedBackups(ctx: DetectContext): Backup[] {
  const graph = ctx.derived.commands;
  const found: Backup[] = [];
  for (const { command: root, runs } of ctx.derived.schedules) {
    for (const c of runs) {
      const data = realBackup(graph, c);
      if (data) found.push({ command: c, data, root });
    }
  }
  for (const c of graph.commands) {
    const automatic = backupCommand(c.argv)?.automatic;
    if (automatic !== "schedule" && !(automatic === "continuous" && (c.origin === "k8s" || c.origin === "dockerfile")))
      continue;
    const data = realBackup(graph, c);
    if (data) found.push({ command: c, data });
  }
  return found;
}

function describeSchedule(root: CommandFact): string {
  const when = root.schedule === "scheduled" ? "on a schedule" : `on schedule "${root.schedule}"`;
  const where =
    root.origin === "k8s"
      ? `CronJob ${root.unit}`
      : root.origin === "ci"
        ? `CI job ${root.unit}`
        : (root.unit ?? root.origin);
  return `${when} (${where})`;
}

function backupEvidence(b: Backup): Evidence[] {
  const { command: c, data, root } = b;
  if (!root)
    return [
      {
        path: c.path,
        line: c.line,
        note: `${data.summary}: ${data.automatic === "schedule" ? "creates a backup schedule" : "replicates continuously"}`,
      },
    ];
  if (root === c) return [{ path: c.path, line: c.line, note: `${data.summary} ${describeSchedule(root)}` }];
  return [
    {
      path: root.path,
      line: root.line,
      note: `runs ${programOf(root.argv).program} ${describeSchedule(root)}, which runs ${data.summary}`,
    },
    { path: c.path, line: c.line, note: `${data.summary}, run ${describeSchedule(root)}` },
  ];
}

function scheduledBackups(ctx: DetectContext): ReturnType<Detector> {
  const automated = automatedBackups(ctx);
  const managed = managedBackups(ctx);
  const evidence = [...automated.flatMap(backupEvidence), ...managed.found];
  if (evidence.length > 0) return pass(dedupeEvidence(evidence));
  // near misses: backups nobody schedules, switched-off settings, dry runs and dumps to /dev/null
  const graph = ctx.derived.commands;
  const near: Evidence[] = [...managed.nearMisses];
  for (const c of graph.commands) {
    if (c.origin === "dockerfile") continue;
    // scheduled ones were judged above (with their shell read again); the rest by their words alone
    const data = backupCommand(c.argv);
    if (data && (c.schedule === undefined || realBackup(graph, c))) {
      near.push({
        path: c.path,
        line: c.line,
        note: `${data.summary} runs only when someone runs it${suspended(ctx, c) ? " (its CronJob is suspended)" : ""}`,
      });
    } else if (BACKUP_PROGRAM.test(programOf(c.argv).program)) {
      near.push({
        path: c.path,
        line: c.line,
        note: "a dry run, a schema-only dump or a dump thrown away: backs nothing up",
      });
    }
  }
  return fail(
    "no automated backup: no scheduled job dumps the data, and no managed backup (backup plan, retention, operator schedule) is on",
    dedupeEvidence(near),
  );
}

/** enough evidence to convince; more only costs time on big trees */
const EVIDENCE_CAP = 10;

const BACKUP_PROGRAM =
  /^(pg_dump|pg_dumpall|pg_basebackup|mysqldump|mariadb-dump|mongodump|restic|borg|velero|wal-g|pgbackrest|litestream|xtrabackup|mariabackup)$/;

function suspended(ctx: DetectContext, c: CommandFact): boolean {
  return (
    c.origin === "k8s" &&
    ctx.facts
      .all("k8s")
      .some(
        (o) =>
          o.path === c.path &&
          o.kind === "CronJob" &&
          o.name === c.unit &&
          typeof o.doc.spec === "object" &&
          o.doc.spec !== null &&
          (o.doc.spec as Record<string, unknown>).suspend === true,
      )
  );
}

/** A backup someone can run: a script, Makefile target, npm script or manual pipeline that really dumps the data. */
function manualBackups(ctx: DetectContext): ReturnType<Detector> {
  const graph = ctx.derived.commands;
  const evidence: Evidence[] = [];
  for (const c of graph.commands) {
    if (c.origin === "dockerfile") continue;
    const data = realBackup(graph, c);
    if (data)
      evidence.push({
        path: c.path,
        line: c.line,
        note: c.unit && c.origin !== "shell" ? `${data.summary} (${c.unit})` : data.summary,
      });
    if (evidence.length >= EVIDENCE_CAP) break;
  }
  return passIfAny(
    evidence,
    "no script, Makefile target, npm script or job runs a real backup command (pg_dump, mysqldump, mongodump, restic backup …)",
  );
}

/** Backups leave the machine they protect: the job uploads the dump, or the tool writes to object storage / a remote repository. */
function offsiteBackups(ctx: DetectContext): ReturnType<Detector> {
  const graph = ctx.derived.commands;
  const evidence: Evidence[] = [];
  const local: Evidence[] = [];
  const backups: Backup[] = [...automatedBackups(ctx)];
  const automated = new Set(backups.map((b) => b.command));
  const units = new Map<string, CommandFact[]>();
  const unitOf = (c: CommandFact) => (c.origin === "shell" ? c.path : `${c.path}\0${c.origin}\0${c.unit ?? ""}`);
  for (const c of graph.commands) {
    const key = unitOf(c);
    const list = units.get(key);
    if (list) list.push(c);
    else units.set(key, [c]);
    if (backups.length < EVIDENCE_CAP * 2 && !automated.has(c) && c.origin !== "dockerfile" && backupCommand(c.argv)) {
      const data = realBackup(graph, c);
      if (data) backups.push({ command: c, data });
    }
  }
  for (const b of backups) {
    const { command: c, data } = b;
    if (data.offsite) {
      evidence.push({ path: c.path, line: c.line, note: `${data.summary} writes to remote storage` });
      continue;
    }
    const neighbours = [...(units.get(unitOf(c)) ?? []), ...(b.root ? graph.reach(b.root) : [])];
    const upload = neighbours.map((o) => ({ o, what: uploadCommand(o.argv) })).find((u) => u.what);
    if (upload)
      evidence.push({ path: upload.o.path, line: upload.o.line, note: `${data.summary}, then ${upload.what}` });
    else local.push({ path: c.path, line: c.line, note: `${data.summary} keeps the dump next to the data` });
  }
  for (const m of managedBackups(ctx).found)
    evidence.push({ ...m, note: `${m.note}: stored by the platform, apart from the data` });
  if (evidence.length > 0) return pass(dedupeEvidence(evidence));
  return fail(
    "no backup is copied off the machine it protects (to object storage or another host)",
    dedupeEvidence(local),
  );
}

// ─── restore ────────────────────────────────────────────────────────────────────────────────────────

/** A restore command; a database client counts only when it is fed a dump (the shell is read only then). */
function restoreOf(graph: CommandGraph, c: CommandFact): DataCommand | undefined {
  if (!restoreCommand(c.argv, true)) return checkedSqliteCopy(graph, c);
  return restoreCommand(c.argv, graph.flowOf(c)?.fed ?? false);
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

/** A scheduled job restores a backup: the only proof that backups can be restored. */
function restoreTested(ctx: DetectContext): ReturnType<Detector> {
  const graph = ctx.derived.commands;
  const evidence: Evidence[] = [];
  const manual: Evidence[] = [];
  for (const { command: root, runs } of ctx.derived.schedules) {
    for (const c of runs) {
      const restore = restoreOf(graph, c);
      if (!restore) continue;
      evidence.push({ path: root.path, line: root.line, note: `restores ${describeSchedule(root)}` });
      if (c !== root)
        evidence.push({ path: c.path, line: c.line, note: `${restore.summary}, run ${describeSchedule(root)}` });
    }
  }
  if (evidence.length > 0) return pass(dedupeEvidence(evidence));
  for (const c of graph.commands) {
    const restore = isLocal(c) ? restoreOf(graph, c) : undefined;
    if (restore) manual.push({ path: c.path, line: c.line, note: `${restore.summary} runs only by hand` });
  }
  return fail(
    "no scheduled job restores a backup to prove it works (pg_restore, restic restore, velero restore create, sqlite3 .restore …)",
    dedupeEvidence(manual),
  );
}

function docTopic(ctx: DetectContext, topic: "restore" | "rollback", reason: string): ReturnType<Detector> {
  return passIfAny(
    ctx.facts
      .all("doc")
      .flatMap((d) =>
        d.topics.filter((t) => t.topic === topic).map((t) => ({ path: d.path, line: t.line, note: t.heading })),
      ),
    reason,
  );
}

/** A disaster-recovery plan that states how much data may be lost (RPO) and how long recovery may take (RTO). */
function disasterRecovery(ctx: DetectContext): ReturnType<Detector> {
  const evidence: Evidence[] = [];
  const near: Evidence[] = [];
  for (const d of ctx.facts.all("doc")) {
    for (const t of d.topics) {
      if (t.topic !== "disaster-recovery") continue;
      if (t.states?.rpo && t.states.rto)
        evidence.push({ path: d.path, line: t.line, note: `${t.heading}: states RPO and RTO` });
      else near.push({ path: d.path, line: t.line, note: `${t.heading}: no RPO/RTO stated` });
    }
  }
  if (evidence.length > 0) return pass(evidence);
  return fail("no disaster-recovery plan that states its RPO (data you may lose) and RTO (time to recover)", near);
}

// ─── rollback ───────────────────────────────────────────────────────────────────────────────────────

function automaticRollback(ctx: DetectContext): ReturnType<Detector> {
  const { found, nearMisses } = autoRollbacks(ctx);
  if (found.length > 0) return pass(dedupeEvidence(found));
  const graph = ctx.derived.commands;
  const manual = graph.commands
    .filter((c) => c.origin !== "dockerfile" && rollbackSummary(c.argv))
    .map((c) => ({ path: c.path, line: c.line, note: `${rollbackSummary(c.argv)} runs only when someone runs it` }));
  return fail(
    "a failed deploy does not roll back by itself (no helm --atomic, no rollback on failure in the deploy script or pipeline, no Argo Rollouts/Flagger analysis, no CodeDeploy/ECS auto-rollback)",
    dedupeEvidence([...nearMisses, ...manual]),
  );
}

/** Someone can roll back: a rollback command in a script, target or pipeline, or written rollback steps. */
function rollbackProcedure(ctx: DetectContext): ReturnType<Detector> {
  const graph = ctx.derived.commands;
  const evidence: Evidence[] = [];
  for (const c of graph.commands) {
    if (c.origin === "dockerfile" || c.origin === "k8s") continue;
    const how = rollbackSummary(c.argv);
    if (how)
      evidence.push({ path: c.path, line: c.line, note: c.unit && c.origin !== "shell" ? `${how} (${c.unit})` : how });
  }
  for (const d of ctx.facts.all("doc"))
    for (const t of d.topics)
      if (t.topic === "rollback") evidence.push({ path: d.path, line: t.line, note: t.heading });
  return passIfAny(
    evidence,
    "no rollback procedure: no script, target or job rolls back, and no document explains how",
  );
}

function downMigrationDetector(ctx: DetectContext): ReturnType<Detector> {
  const m = downMigrations(ctx.paths);
  if (m.kind !== "sql") return notApplicable("no SQL migrations with one file per direction");
  const latest = m.latest!;
  if (latest.down)
    return pass([
      {
        path: latest.down,
        line: 1,
        note: `the latest migration can be undone (${m.covered} of ${m.total} have a down migration)`,
      },
    ]);
  return fail(`the latest migration has no down migration (${m.covered} of ${m.total} have one)`, [
    { path: latest.up, line: 1, note: "no matching down/undo file" },
  ]);
}
