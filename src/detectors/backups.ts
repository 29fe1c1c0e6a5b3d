// The backups task: data that is backed up for real and can be restored, releases that can be undone.
// Every detector reads facts (and, through the command graph, the shell structure of scripts already read).

import { isLocal } from "../derived/command-graph.js";
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
import type { ScheduledBackup } from "../facts/derived.js";
import type { CommandFact } from "../facts/index.js";
import { downMigrations } from "./backups/migrations.js";

export const backupsDetectors: Record<string, Detector> = {
  "backups/db-backups": scheduledBackups,
  "backups/backup-script": manualBackups,
  "backups/backup-offsite": offsiteBackups,
  "backups/restore-tested": restoreTested,
  "backups/restore-docs": (ctx) =>
    docTopic(
      ctx,
      "restore",
      "no document explains how to restore the data (a Restore section with steps or commands)",
      "no-restore-docs",
    ),
  "backups/dr-runbook": disasterRecovery,
  "backups/auto-rollback": automaticRollback,
  "backups/rollback-procedure": rollbackProcedure,
  "backups/down-migrations": downMigrationDetector,
};

// ─── backups ────────────────────────────────────────────────────────────────────────────────────────

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

function backupEvidence(b: ScheduledBackup): Evidence[] {
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
      note: `runs ${b.rootProgram ?? root.argv[0]} ${describeSchedule(root)}, which runs ${data.summary}`,
    },
    { path: c.path, line: c.line, note: `${data.summary}, run ${describeSchedule(root)}` },
  ];
}

function scheduledBackups(ctx: DetectContext): ReturnType<Detector> {
  const { automated, managed, commands } = ctx.derived.backups;
  const evidence = [...automated.flatMap(backupEvidence), ...managed.found];
  if (evidence.length > 0) return pass(dedupeEvidence(evidence));
  // near misses: backups nobody schedules, switched-off settings, dry runs and dumps to /dev/null
  const near: Evidence[] = [...managed.nearMisses];
  for (const d of commands) {
    const c = d.command;
    if (c.origin === "dockerfile") continue;
    // scheduled ones were judged above (with their shell read again); the rest by their words alone
    if (d.named && (c.schedule === undefined || d.backup)) {
      near.push({
        path: c.path,
        line: c.line,
        note: `${d.named.summary} runs only when someone runs it${d.suspended ? " (its CronJob is suspended)" : ""}`,
      });
    } else if (d.backupProgram) {
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
    "no-automated-backup",
  );
}

/** enough evidence to convince; more only costs time on big trees */
const EVIDENCE_CAP = 10;

/** A backup someone can run: a script, Makefile target, npm script or manual pipeline that really dumps the data. */
function manualBackups(ctx: DetectContext): ReturnType<Detector> {
  const evidence: Evidence[] = [];
  for (const { command: c, backup: data } of ctx.derived.backups.commands) {
    if (c.origin === "dockerfile") continue;
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
    "no-backup-command",
  );
}

/** Backups leave the machine they protect: the job uploads the dump, or the tool writes to object storage / a remote repository. */
function offsiteBackups(ctx: DetectContext): ReturnType<Detector> {
  const graph = ctx.derived.commands;
  const facts = ctx.derived.backups;
  const evidence: Evidence[] = [];
  const local: Evidence[] = [];
  const backups: ScheduledBackup[] = [...facts.automated];
  const automated = new Set(backups.map((b) => b.command));
  for (const d of facts.commands) {
    if (backups.length >= EVIDENCE_CAP * 2) break;
    if (!automated.has(d.command) && d.command.origin !== "dockerfile" && d.backup)
      backups.push({ command: d.command, data: d.backup });
  }
  const unitOf = (c: CommandFact) => (c.origin === "shell" ? c.path : `${c.path}\0${c.origin}\0${c.unit ?? ""}`);
  const uploads = new Map<string, { command: CommandFact; upload: string }[]>();
  for (const d of facts.commands) {
    if (!d.upload) continue;
    const key = unitOf(d.command);
    const list = uploads.get(key);
    const entry = { command: d.command, upload: d.upload };
    if (list) list.push(entry);
    else uploads.set(key, [entry]);
  }
  for (const b of backups) {
    const { command: c, data } = b;
    if (data.offsite) {
      evidence.push({ path: c.path, line: c.line, note: `${data.summary} writes to remote storage` });
      continue;
    }
    const reached = b.root ? graph.reach(b.root) : [];
    const upload =
      uploads.get(unitOf(c))?.[0] ??
      reached.map((o) => ({ command: o, upload: facts.of(o)?.upload })).find((u) => u.upload);
    if (upload)
      evidence.push({
        path: upload.command.path,
        line: upload.command.line,
        note: `${data.summary}, then ${upload.upload}`,
      });
    else local.push({ path: c.path, line: c.line, note: `${data.summary} keeps the dump next to the data` });
  }
  for (const m of facts.managed.found)
    evidence.push({ ...m, note: `${m.note}: stored by the platform, apart from the data` });
  if (evidence.length > 0) return pass(dedupeEvidence(evidence));
  return fail(
    "no backup is copied off the machine it protects (to object storage or another host)",
    dedupeEvidence(local),
    "no-offsite-copy",
  );
}

// ─── restore ────────────────────────────────────────────────────────────────────────────────────────

/** A scheduled job restores a backup: the only proof that backups can be restored. */
function restoreTested(ctx: DetectContext): ReturnType<Detector> {
  const data = ctx.derived.backups;
  const evidence: Evidence[] = [];
  const manual: Evidence[] = [];
  for (const { command: root, runs } of ctx.derived.schedules) {
    for (const c of runs) {
      const restore = data.of(c)?.restore;
      if (!restore) continue;
      evidence.push({ path: root.path, line: root.line, note: `restores ${describeSchedule(root)}` });
      if (c !== root)
        evidence.push({ path: c.path, line: c.line, note: `${restore.summary}, run ${describeSchedule(root)}` });
    }
  }
  if (evidence.length > 0) return pass(dedupeEvidence(evidence));
  for (const { command: c, restore } of data.commands) {
    if (restore && isLocal(c))
      manual.push({ path: c.path, line: c.line, note: `${restore.summary} runs only by hand` });
  }
  return fail(
    "no scheduled job restores a backup to prove it works (pg_restore, restic restore, velero restore create, sqlite3 .restore …)",
    dedupeEvidence(manual),
    "no-scheduled-restore",
  );
}

function docTopic(
  ctx: DetectContext,
  topic: "restore" | "rollback",
  reason: string,
  reasonId: string,
): ReturnType<Detector> {
  return passIfAny(
    ctx.facts
      .all("doc")
      .flatMap((d) =>
        d.topics.filter((t) => t.topic === topic).map((t) => ({ path: d.path, line: t.line, note: t.heading })),
      ),
    reason,
    reasonId,
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
  return fail(
    "no disaster-recovery plan that states its RPO (data you may lose) and RTO (time to recover)",
    near,
    near.length > 0 ? "no-rpo-rto" : "no-dr-plan",
  );
}

// ─── rollback ───────────────────────────────────────────────────────────────────────────────────────

function automaticRollback(ctx: DetectContext): ReturnType<Detector> {
  const { found, nearMisses, commands } = ctx.derived.rollbacks;
  if (found.length > 0) return pass(dedupeEvidence(found));
  const manual = commands
    .filter(({ command: c }) => c.origin !== "dockerfile")
    .map(({ command: c, summary }) => ({
      path: c.path,
      line: c.line,
      note: `${summary} runs only when someone runs it`,
    }));
  return fail(
    "a failed deploy does not roll back by itself (no helm --atomic, no rollback on failure in " +
      "the deploy script or pipeline, no Argo Rollouts/Flagger analysis, no Flux HelmRelease upgrade " +
      "remediation, no CodeDeploy/ECS auto-rollback)",
    dedupeEvidence([...nearMisses, ...manual]),
    "no-auto-rollback",
  );
}

/** Someone can roll back: a rollback command in a script, target or pipeline, or written rollback steps. */
function rollbackProcedure(ctx: DetectContext): ReturnType<Detector> {
  const evidence: Evidence[] = [];
  for (const { command: c, summary: how } of ctx.derived.rollbacks.commands) {
    if (c.origin === "dockerfile" || c.origin === "k8s") continue;
    evidence.push({ path: c.path, line: c.line, note: c.unit && c.origin !== "shell" ? `${how} (${c.unit})` : how });
  }
  for (const d of ctx.facts.all("doc"))
    for (const t of d.topics)
      if (t.topic === "rollback") evidence.push({ path: d.path, line: t.line, note: t.heading });
  return passIfAny(
    evidence,
    "no rollback procedure: no script, target or job rolls back, and no document explains how",
    "no-rollback-procedure",
  );
}

function downMigrationDetector(ctx: DetectContext): ReturnType<Detector> {
  const m = downMigrations(ctx.paths);
  if (m.kind !== "sql") return notApplicable("no SQL migrations with one file per direction", "no-sql-migrations");
  const latest = m.latest!;
  if (latest.down)
    return pass([
      {
        path: latest.down,
        line: 1,
        note: `the latest migration can be undone (${m.covered} of ${m.total} have a down migration)`,
      },
    ]);
  return fail(
    `the latest migration has no down migration (${m.covered} of ${m.total} have one)`,
    [{ path: latest.up, line: 1, note: "no matching down/undo file" }],
    "no-down-migration",
  );
}
