// Commands that back data up, restore it, or ship a copy elsewhere, judged from a parsed argv.
// A dry run, a schema-only dump or a dump written to /dev/null backs nothing up.

import { programOf } from "../../vocabulary/programs.js";
import { shellScriptIndex } from "../../vocabulary/shells.js";
import { VALUE_FLAGS } from "../../vocabulary/words.js";
import { positionals, unquote } from "../command-class.js";
import { parseShell } from "../shell-parse.js";

export interface DataCommand {
  /** what was recognised, e.g. "pg_dump", "restic backup", "velero schedule create" */
  summary: string;
  /** the tool stores the copy away from the data by itself (object storage, a remote repository) */
  offsite?: boolean;
  /** automatic by itself, wherever it is run: it creates a backup schedule, or replicates continuously */
  automatic?: "schedule" | "continuous";
}

const DRY_RUN = /^(--dry-run|--simulate|--dryrun|--noop|--no-op)(=.*)?$/;
const DISCARDED_FILE = /^(-f|--file|--result-file|-r|--out|-o|--output|--archive)=?\/dev\/null$/;
/** restic/borg repositories on another machine or in object storage */
const REMOTE_REPO = /^["']?(s3|b2|gs|azure|swift|rest|rclone|sftp):|^["']?(ssh:\/\/|[\w.-]+@[\w.-]+:)/;

/** A command that writes a backup of a database, a volume or a cluster; undefined for anything else. */
export function backupCommand(argv: readonly string[]): DataCommand | undefined {
  const inner = unwrapped(argv);
  if (inner) return backupCommand(inner);
  const { program, args } = programOf(argv);
  if (
    args.some((a) => DRY_RUN.test(a)) ||
    args.some((a, i) => DISCARDED_FILE.test(a) || DISCARDED_FILE.test(`${a}=${args[i + 1]}`))
  )
    return undefined;
  const has = (...flags: string[]) => args.some((a) => flags.some((f) => a === f || a.startsWith(`${f}=`)));
  const words = positionals(args, VALUE_FLAGS[program] ?? []);
  const [sub = "", next = ""] = words;
  switch (program) {
    case "pg_dump":
      return has("-s", "--schema-only") ? undefined : { summary: "pg_dump" };
    case "pg_dumpall":
      return has("-s", "--schema-only", "-g", "--globals-only", "-r", "--roles-only", "-t", "--tablespaces-only")
        ? undefined
        : { summary: "pg_dumpall" };
    case "pg_basebackup":
      return { summary: "pg_basebackup" };
    case "mysqldump":
    case "mariadb-dump":
    case "mydumper":
      return has("-d", "--no-data") ? undefined : { summary: program };
    case "mongodump":
      return { summary: "mongodump" };
    case "redis-cli":
      return has("--rdb") || /^bgsave$/i.test(sub)
        ? { summary: `redis-cli ${has("--rdb") ? "--rdb" : "BGSAVE"}` }
        : undefined;
    case "sqlite3":
      return words.slice(1).some((w) => /^["']?\.(backup|dump)\b/.test(w)) ? { summary: "sqlite3 .backup" } : undefined;
    case "etcdctl":
      return sub === "snapshot" && next === "save" ? { summary: "etcdctl snapshot save" } : undefined;
    case "restic":
      return sub === "backup" ? { summary: "restic backup", offsite: remoteRepo(args, "-r", "--repo") } : undefined;
    case "borg":
      return sub === "create" ? { summary: "borg create", offsite: REMOTE_REPO.test(next) } : undefined;
    case "velero":
      if ((sub === "backup" || sub === "schedule") && next === "create") {
        return {
          summary: `velero ${sub} create`,
          offsite: true,
          ...(sub === "schedule" ? { automatic: "schedule" as const } : {}),
        };
      }
      if (sub === "create" && (next === "backup" || next === "schedule")) {
        return {
          summary: `velero create ${next}`,
          offsite: true,
          ...(next === "schedule" ? { automatic: "schedule" as const } : {}),
        };
      }
      return undefined;
    case "kopia":
      return sub === "snapshot" && (next === "create" || (words.length >= 2 && !SNAPSHOT_VERBS.has(next)))
        ? { summary: "kopia snapshot create" }
        : undefined;
    case "borgmatic": {
      // no action runs create, prune, compact and check; --list/-l style flags are not actions
      const action = words.find((w) => !w.startsWith("-")) ?? "";
      return action === "" || action === "create" ? { summary: "borgmatic create", offsite: false } : undefined;
    }
    case "zfs":
      return sub === "send" ? { summary: "zfs send" } : undefined;
    case "syncoid": {
      const target = words[words.length - 1] ?? "";
      return words.length >= 2
        ? { summary: "syncoid", offsite: /^[\w.-]+@[\w.-]+:|^[\w.-]+:[\w/]/.test(target) }
        : undefined;
    }
    case "zfs-autobackup":
      return { summary: "zfs-autobackup", offsite: has("--ssh-source", "--ssh-target") };
    case "sanoid":
      return has("--cron", "--take-snapshots") ? { summary: "sanoid snapshots" } : undefined;
    case "litestream":
      return sub === "replicate"
        ? { summary: "litestream replicate", offsite: true, automatic: "continuous" }
        : undefined;
    case "wal-g":
    case "wal-e":
      return sub === "backup-push" ? { summary: `${program} backup-push`, offsite: true } : undefined;
    case "pgbackrest":
      return words.includes("backup") ? { summary: "pgbackrest backup", offsite: true } : undefined;
    case "barman":
      return sub === "backup" ? { summary: "barman backup", offsite: true } : undefined;
    case "xtrabackup":
    case "mariabackup":
      return has("--backup") ? { summary: `${program} --backup` } : undefined;
    case "aws": {
      const op = `${sub} ${next}`;
      if (
        /^(rds (create-db-snapshot|create-db-cluster-snapshot)|dynamodb create-backup|backup start-backup-job|ec2 create-snapshots?)$/.test(
          op,
        )
      ) {
        return { summary: `aws ${op}`, offsite: true };
      }
      return undefined;
    }
    // app-level exporters: the application's own command that writes out all of its data
    case "python":
    case "python3":
      return /(^|\/)manage\.py$/.test(sub) && next === "dumpdata" ? { summary: "manage.py dumpdata" } : undefined;
    case "manage.py":
    case "django-admin":
      return sub === "dumpdata" ? { summary: `${program} dumpdata` } : undefined;
    case "php":
      return /(^|\/)artisan$/.test(sub) && next === "backup:run" ? { summary: "artisan backup:run" } : undefined;
    case "artisan":
      return sub === "backup:run" ? { summary: "artisan backup:run" } : undefined;
    case "gitlab-backup":
      return sub === "create" ? { summary: "gitlab-backup create" } : undefined;
    case "gitlab-rake":
      return sub === "gitlab:backup:create" ? { summary: "gitlab-rake gitlab:backup:create" } : undefined;
    case "wp":
      return sub === "db" && next === "export" ? { summary: "wp db export" } : undefined;
    case "drush":
      return sub === "sql-dump" || sub === "sql:dump" ? { summary: `drush ${sub}` } : undefined;
    case "consul":
      return sub === "snapshot" && next === "save" ? { summary: "consul snapshot save" } : undefined;
    case "vault":
      return words.slice(0, 4).join(" ") === "operator raft snapshot save"
        ? { summary: "vault operator raft snapshot save" }
        : undefined;
    case "gcloud":
      return sub === "sql" && next === "backups" && words[2] === "create"
        ? { summary: "gcloud sql backups create", offsite: true }
        : undefined;
    default:
      return undefined;
  }
}

const SNAPSHOT_VERBS = new Set([
  "list",
  "ls",
  "delete",
  "restore",
  "verify",
  "expire",
  "gc",
  "estimate",
  "diff",
  "copy-history",
  "move-history",
  "pin",
  "fix",
  "migrate",
]);

/** A command that restores a backup into a database or a cluster. `fed`: it reads a pipe or a file. */
export function restoreCommand(argv: readonly string[], fed = false): DataCommand | undefined {
  const inner = unwrapped(argv);
  if (inner) return restoreCommand(inner, fed);
  const { program, args } = programOf(argv);
  if (args.some((a) => DRY_RUN.test(a))) return undefined;
  const words = positionals(args, VALUE_FLAGS[program] ?? []);
  const [sub = "", next = ""] = words;
  switch (program) {
    case "pg_restore":
    case "mongorestore":
    case "myloader":
      return { summary: program };
    case "psql":
    case "mysql":
    case "mariadb":
      // a client fed with a dump (`gunzip -c db.sql.gz | psql`, `mysql db < dump.sql`) restores it
      return fed ? { summary: `${program} fed with a dump` } : undefined;
    case "restic":
      return sub === "restore" ? { summary: "restic restore" } : undefined;
    case "borg":
      return sub === "extract" ? { summary: "borg extract" } : undefined;
    case "borgmatic":
      return sub === "extract" || sub === "restore" ? { summary: `borgmatic ${sub}` } : undefined;
    case "kopia":
      return sub === "restore" || (sub === "snapshot" && next === "restore") ? { summary: "kopia restore" } : undefined;
    case "velero":
      return (sub === "restore" && next === "create") || (sub === "create" && next === "restore")
        ? { summary: "velero restore create" }
        : undefined;
    case "litestream":
      return sub === "restore" ? { summary: "litestream restore" } : undefined;
    case "sqlite3": {
      // `.restore` loads a backup file; `.read dump.sql` or a dump on stdin (only when no SQL argument replaces it) replays one
      const commands = words.slice(1).map(unquote);
      if (commands.some((w) => /^\.restore\s/.test(w))) return { summary: "sqlite3 .restore" };
      if (commands.some((w) => /^\.read\s/.test(w))) return { summary: "sqlite3 .read of a dump" };
      return fed && commands.length === 0 && words.length === 1 ? { summary: "sqlite3 fed with a dump" } : undefined;
    }
    case "wal-g":
      return sub === "backup-fetch" ? { summary: "wal-g backup-fetch" } : undefined;
    case "pgbackrest":
      return words.includes("restore") ? { summary: "pgbackrest restore" } : undefined;
    case "barman":
      return sub === "recover" ? { summary: "barman recover" } : undefined;
    case "aws":
      return sub === "rds" && /^restore-db-/.test(next) ? { summary: `aws rds ${next}` } : undefined;
    case "gcloud":
      return sub === "sql" && next === "backups" && words[2] === "restore"
        ? { summary: "gcloud sql backups restore" }
        : undefined;
    default:
      return undefined;
  }
}

/** `sqlite3 <file> 'PRAGMA integrity_check'` (or quick_check): the database word it checks, as written. */
export function sqliteIntegrityCheck(argv: readonly string[]): string | undefined {
  const { program, args } = programOf(argv);
  if (program !== "sqlite3") return undefined;
  const [db, ...sql] = positionals(args, VALUE_FLAGS.sqlite3 ?? []);
  return db !== undefined && sql.some((w) => /^\s*PRAGMA\s+(\w+\.)?(integrity|quick)_check\b/i.test(unquote(w)))
    ? db
    : undefined;
}

/** The local file a copy writes, as written: `cp a b`, `mv a b`, `install a b`, `aws s3 cp s3://… b`, `gsutil cp gs://… b`. */
export function copyTarget(argv: readonly string[]): string | undefined {
  const { program, args } = programOf(argv);
  if (args.some((a) => DRY_RUN.test(a))) return undefined;
  const words = positionals(
    args.filter((a) => a !== "--"),
    VALUE_FLAGS[program] ?? [],
  );
  const [sub = "", next = ""] = words;
  const cloud =
    (program === "aws" && sub === "s3" && next === "cp") ||
    (program === "gsutil" && sub === "cp") ||
    (program === "gcloud" && sub === "storage" && next === "cp");
  const local = ["cp", "mv", "install"].includes(program) && words.length >= 2;
  const target = cloud || local ? words[words.length - 1] : undefined;
  return target !== undefined && !/^(s3|gs):\/\/|^-$/.test(unquote(target)) ? target : undefined;
}

/** A command that copies data to object storage or another host. */
export function uploadCommand(argv: readonly string[]): string | undefined {
  const inner = unwrapped(argv);
  if (inner) return uploadCommand(inner);
  const { program, args } = programOf(argv);
  if (args.some((a) => DRY_RUN.test(a) || a === "-n")) return undefined;
  const words = positionals(args, VALUE_FLAGS[program] ?? []);
  const [sub = "", next = ""] = words;
  const last = unquote(words[words.length - 1] ?? "");
  switch (program) {
    case "aws":
      return sub === "s3" && ["cp", "sync", "mv"].includes(next) && /^s3:\/\//.test(last)
        ? `aws s3 ${next} to ${last}`
        : undefined;
    case "gsutil":
      return ["cp", "rsync", "mv"].includes(sub) && /^gs:\/\//.test(last) ? `gsutil ${sub} to ${last}` : undefined;
    case "gcloud":
      return sub === "storage" && ["cp", "rsync", "mv"].includes(next) && /^gs:\/\//.test(last)
        ? `gcloud storage ${next} to ${last}`
        : undefined;
    case "az":
      return sub === "storage" &&
        (next === "blob" || next === "copy") &&
        words.some((w) => /^upload(-batch)?$|^copy$|^start$/.test(w))
        ? "az storage blob upload"
        : undefined;
    case "azcopy":
      return sub === "copy" || sub === "sync" ? `azcopy ${sub}` : undefined;
    case "rclone":
      return ["copy", "sync", "move", "rcat", "copyto"].includes(sub) && /^[\w-]+:/.test(last)
        ? `rclone ${sub} to ${last}`
        : undefined;
    case "mc":
      return ["cp", "mirror", "pipe", "mv"].includes(sub) ? `mc ${sub}` : undefined;
    case "s3cmd":
      return ["put", "sync"].includes(sub) && /^s3:\/\//.test(last) ? `s3cmd ${sub} to ${last}` : undefined;
    case "b2":
      return sub === "upload-file" || sub === "file" ? "b2 upload-file" : undefined;
    case "rsync":
    case "scp":
      return /^(?:[\w.-]+@)?[\w.-]+:|^rsync:\/\//.test(last) ? `${program} to ${last}` : undefined;
    default:
      return undefined;
  }
}

const EXEC_VALUE_FLAGS = ["-e", "--env", "-u", "--user", "-w", "--workdir", "--env-file", "--detach-keys", "--index"];

/** Flags of `docker run` that take a value (`-v /a:/b`, `--name x`). */
const RUN_VALUE_FLAGS = [
  ...EXEC_VALUE_FLAGS,
  "-v",
  "--volume",
  "--name",
  "--network",
  "--net",
  "--entrypoint",
  "-p",
  "--publish",
  "--mount",
  "--volumes-from",
  "-l",
  "--label",
  "--link",
  "--add-host",
  "-h",
  "--hostname",
  "--restart",
  "--platform",
  "--pull",
  "-m",
  "--memory",
  "--cpus",
  "--log-driver",
  "--log-opt",
  "--cap-add",
  "--cap-drop",
  "--security-opt",
  "--tmpfs",
  "--device",
  "--ulimit",
  "--shm-size",
  "--ipc",
  "--pid",
  "--dns",
  "--cidfile",
];
const COMPOSE_RUN_VALUE_FLAGS = [...RUN_VALUE_FLAGS, "-f", "--file", "-p", "--project-name", "--profile"];

/** The command a new container runs: `docker run --rm -v x:/x IMAGE cmd …`, `docker compose run --rm web cmd …`. */
function run(rest: string[], valueFlags: string[]): string[] | undefined {
  const words = positionals(rest, valueFlags);
  return words.length > 1 ? rest.slice(rest.indexOf(words[1]!, rest.indexOf(words[0]!) + 1)) : undefined;
}

/** The command run inside a container: `docker exec db pg_dump …`, `docker compose exec -T app scripts/x.sh`, `kubectl exec pod -- x`. */
export function execInContainer(argv: readonly string[]): string[] | undefined {
  const { program, args } = programOf(argv);
  const exec = (rest: string[]) => {
    const words = positionals(rest, EXEC_VALUE_FLAGS);
    return words.length > 1 ? rest.slice(rest.indexOf(words[1]!)) : undefined; // words[0] is the container
  };
  switch (program) {
    case "docker":
    case "podman": {
      if (args[0] === "exec") return exec(args.slice(1));
      if (args[0] === "run" || (args[0] === "container" && args[1] === "run"))
        return run(args.slice(args.indexOf("run") + 1), RUN_VALUE_FLAGS);
      if (args[0] !== "compose") return undefined;
      const sub = positionals(args.slice(1), VALUE_FLAGS.compose)[0];
      if (sub === "run") return run(args.slice(args.indexOf("run") + 1), COMPOSE_RUN_VALUE_FLAGS);
      return sub === "exec" ? exec(args.slice(args.indexOf("exec") + 1)) : undefined;
    }
    case "docker-compose":
    case "podman-compose": {
      const sub = positionals(args, VALUE_FLAGS.compose)[0];
      if (sub === "run") return run(args.slice(args.indexOf("run") + 1), COMPOSE_RUN_VALUE_FLAGS);
      return sub === "exec" ? exec(args.slice(args.indexOf("exec") + 1)) : undefined;
    }
    case "kubectl":
    case "oc": {
      const dash = args.indexOf("--");
      return args.includes("exec") && dash >= 0 && dash < args.length - 1 ? args.slice(dash + 1) : undefined;
    }
    default:
      return undefined;
  }
}

/** `docker exec db pg_dump …`, `kubectl exec pod -- pg_dump …`, `ssh host 'pg_dump …'`, `sh -c '…'`, `timeout 1h …`. */
function unwrapped(argv: readonly string[]): string[] | undefined {
  if (argv[0] === "sudo" && argv[1]?.startsWith("-")) {
    const rest = positionals(argv.slice(1), [
      "-u",
      "--user",
      "-g",
      "--group",
      "-h",
      "--host",
      "-p",
      "--prompt",
      "-C",
      "-D",
      "-r",
      "-t",
    ]);
    return rest.length > 0 ? argv.slice(argv.indexOf(rest[0]!, 1)) : undefined;
  }
  const inContainer = execInContainer(argv);
  if (inContainer) return inContainer;
  const { program, args } = programOf(argv);
  switch (program) {
    case "timeout":
      return positionals(args, ["-s", "--signal", "-k", "--kill-after"]).length > 1
        ? args.slice(args.indexOf(positionals(args, ["-s", "--signal", "-k", "--kill-after"])[1]!))
        : undefined;
    case "nice":
    case "ionice":
    case "chronic":
    case "flock": {
      const words = positionals(args, ["-n", "-c", "--class", "-w", "--timeout"]);
      const skip = program === "flock" ? 1 : 0; // flock's first word is the lock file
      return words.length > skip ? args.slice(args.indexOf(words[skip]!)) : undefined;
    }
    default: {
      const scriptAt = program === "ssh" ? -1 : shellScriptIndex(program, args);
      const script = program === "ssh" ? sshCommand(args) : scriptAt >= 0 ? args[scriptAt] : undefined;
      if (!script) return undefined;
      return parseShell(unquote(script)).commands.find((c) => backupCommand(c.argv) || restoreCommand(c.argv))?.argv;
    }
  }
}

function sshCommand(args: readonly string[]): string | undefined {
  const words = positionals(args, ["-i", "-p", "-o", "-l", "-F", "-J", "-b", "-c", "-E", "-L", "-R", "-D", "-W"]);
  return words.length > 1 ? words.slice(1).join(" ") : undefined;
}

function remoteRepo(args: readonly string[], ...flags: string[]): boolean {
  return args.some(
    (a, i) =>
      (flags.includes(a) && REMOTE_REPO.test(args[i + 1] ?? "")) ||
      flags.some((f) => a.startsWith(`${f}=`) && REMOTE_REPO.test(a.slice(f.length + 1))),
  );
}
