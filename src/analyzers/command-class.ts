// What one command does, judged from its argv (already parsed by a shell parser, so `echo "kubectl apply"` and
// comments never get here as a kubectl command). One vocabulary for every caller: the scripts analyzers (which
// scripts matter), the deploy and backups detectors, and the CI analyzers (what a job does).
// The rules per tool live in ./command-class/: deploy tools, remote hosts, releases, tests.

import { programOf } from "../vocabulary/programs.js";
import { shellScriptIndex } from "../vocabulary/shells.js";
import { positionals, unquote, VALUE_FLAGS } from "../vocabulary/words.js";
import { classifyDeployTool } from "./command-class/deploy-tools.js";
import { classifyRelease } from "./command-class/release.js";
import {
  classifyDocker,
  classifyDockerCompose,
  classifyRemoteScript,
  classifySsh,
  classifyTransfer,
  detachedStart,
  tearsDown,
} from "./command-class/remote.js";
import { classifyTests } from "./command-class/tests.js";
import { parseShell } from "./shell-parse.js";

export { positionals, unquote } from "../vocabulary/words.js";

export type CommandKind =
  /** ships a new version somewhere: kubectl apply, helm upgrade, terraform apply, fly deploy … */
  | "deploy"
  /** undoes a deploy: helm rollback, kubectl rollout undo … */
  | "rollback"
  /** touches infrastructure without deploying: terraform plan, kubectl get, aws …, a dry run */
  | "infra"
  /** talks to or dumps a database, runs migrations, backs up data */
  | "database"
  /** copies files to another host: rsync/scp to `host:path` */
  | "transfer"
  /** restarts a service on a remote host (ssh … systemctl restart), without fetching a new version */
  | "remote-restart"
  /** publishes a release, a package or an image: npm publish, gh release create, helm push, docker push */
  | "publish"
  /** runs a test suite: npm test, pytest, go test, mvn verify … */
  | "test";

export interface CommandClass {
  kind: CommandKind;
  /** the tool and subcommand, e.g. "kubectl apply", "docker compose up (over ssh)" */
  summary: string;
  /** a flag that qualifies the summary where evidence names it, e.g. helm's "--install" */
  detail?: string;
  /** a container image push: an artefact that something else must deploy, not a release */
  image?: boolean;
}

/** Classifies one simple command; undefined for anything that neither reaches outside the machine nor runs tests. */
export function classifyCommand(argv: readonly string[]): CommandClass | undefined {
  return classify(argv, 0, false);
}

/** Classifies one command that runs on a server (reached from the command of `ssh host '…'`). */
export function classifyOnHost(argv: readonly string[]): CommandClass | undefined {
  return classify(argv, 1, true);
}

/** Classifies a script that runs on a server (an ssh action's `script`, the command of `ssh host '…'`). */
export function classifyRemote(script: string): CommandClass | undefined {
  return classifyRemoteScript(script, (argv) => classify(argv, 1, true));
}

/**
 * For a command run with the host's Docker socket mounted (a self-hosted CI step): the container it leaves
 * running on that host (`docker compose up -d`), or `teardown` when it stops what a harness started.
 */
export function onHostEngine(argv: readonly string[]): { start: string } | { teardown: true } | undefined {
  const { program, args } = programOf(argv);
  if (program !== "docker" && program !== "podman" && program !== "docker-compose") return undefined;
  const words = positionals(args, VALUE_FLAGS[program] ?? []);
  if (tearsDown(program, words)) return { teardown: true };
  const start = detachedStart(program, args, words);
  return start ? { start } : undefined;
}

function classify(argv: readonly string[], depth: number, remote: boolean): CommandClass | undefined {
  if (depth > 3) return undefined;
  const { program: invoked, args } = programOf(argv);
  if (!invoked || /^["'$`]/.test(invoked)) return undefined; // a variable or quoted word: unknown program
  const program = invoked.replace(/\.(exe|cmd|sh)$/, "");
  const inner = runs(program, args);
  if (inner) return classify(inner, depth + 1, remote);
  // the command a container runs (`docker run --rm img pytest`, `docker compose run app npm test`); a container
  // that runs no command we know is still judged as docker (`docker run -d` over ssh deploys)
  const contained = runInContainer(program, args);
  const inside = contained ? classify(contained, depth + 1, remote) : undefined;
  if (inside) return inside;
  const words = positionals(args, VALUE_FLAGS[program] ?? []);
  switch (program) {
    case "docker":
    case "podman":
      return classifyDocker(program, args, words, remote);
    case "docker-compose":
      return classifyDockerCompose(words, remote);
    case "rsync":
    case "scp":
      return classifyTransfer(program, args, words);
    case "ssh":
      return classifySsh(args, (inner) => classify(inner, depth + 1, true));
    case "gcloud": {
      // `gcloud compute ssh vm --command "…"` runs the command on the VM, as ssh does
      const script = words[0] === "compute" && words[1] === "ssh" ? flagValue(args, "--command") : undefined;
      if (script !== undefined) return classifyRemote(script);
      return classifyDeployTool(program, args, words);
    }
    default:
      return (
        classifyDeployTool(program, args, words) ??
        classifyData(program, words) ??
        classifyRelease(program, args, words) ??
        classifyTests(program, args, words)
      );
  }
}

/**
 * The command a runner executes: `npx serverless deploy`, `bundle exec cap production deploy`, `poetry run pytest`,
 * `python -m twine upload`, `bash -c 'helm upgrade …'` (its first command that classifies).
 */
function runs(program: string, args: readonly string[]): string[] | undefined {
  const skipFlags = (rest: readonly string[]) => {
    let i = 0;
    while (i < rest.length && rest[i]!.startsWith("-")) i += rest[i] === "-p" || rest[i] === "--package" ? 2 : 1;
    return rest.slice(i);
  };
  const nonEmpty = (argv: string[]) => (argv.length > 0 ? argv : undefined);
  if (program === "npx" || program === "bunx" || program === "pnpx") return nonEmpty(skipFlags(args));
  if ((program === "pnpm" || program === "yarn") && (args[0] === "exec" || args[0] === "dlx"))
    return nonEmpty(skipFlags(args.slice(1)));
  if (["bundle", "poetry", "pipenv", "uv", "hatch", "pdm"].includes(program)) {
    const at = args.findIndex((a) => !a.startsWith("-"));
    return args[at] === "exec" || args[at] === "run" ? nonEmpty(args.slice(at + 1)) : undefined;
  }
  if (/^python[0-9.]*$/.test(program) && args[0] === "-m" && args[1]) return args.slice(1);
  if (/^python[0-9.]*$/.test(program) && /\.py$/.test(args[0] ?? "")) return [...args]; // `python manage.py test`
  const scriptAt = shellScriptIndex(program, args);
  if (scriptAt >= 0 && args[scriptAt]) {
    return parseShell(unquote(args[scriptAt]!)).commands.find((c) => classifyCommand(c.argv))?.argv;
  }
  return undefined;
}

/** The command after the image of `docker run`, or after the service of `docker compose run`. */
function runInContainer(program: string, args: readonly string[]): string[] | undefined {
  let rest: readonly string[];
  if ((program === "docker" || program === "podman") && args[0] === "run") rest = args.slice(1);
  else {
    const compose =
      program === "docker-compose" || program === "podman-compose"
        ? args
        : args[0] === "compose"
          ? args.slice(1)
          : undefined;
    if (
      !compose ||
      (program !== "docker-compose" && program !== "podman-compose" && program !== "docker" && program !== "podman")
    )
      return undefined;
    const sub = positionals(compose, VALUE_FLAGS.compose!)[0];
    if (sub !== "run") return undefined;
    rest = compose.slice(compose.indexOf("run") + 1);
  }
  const words = positionals(rest, VALUE_FLAGS[args[0] === "run" ? "docker run" : "compose run"]!);
  if (words.length < 2) return undefined;
  // words[0] is the image or service; the command starts at the next positional word, as written
  const start = rest.indexOf(words[1]!, rest.indexOf(words[0]!) + 1);
  return start > 0 ? rest.slice(start) : undefined;
}

/** The value of `--flag value` or `--flag=value`, unquoted. */
function flagValue(args: readonly string[], flag: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === flag) return args[i + 1] === undefined ? undefined : unquote(args[i + 1]!);
    if (args[i]!.startsWith(`${flag}=`)) return unquote(args[i]!.slice(flag.length + 1));
  }
  return undefined;
}

function classifyData(program: string, words: readonly string[]): CommandClass | undefined {
  switch (program) {
    case "psql":
    case "mysql":
    case "mariadb":
    case "sqlite3":
    case "mongo":
    case "mongosh":
    case "redis-cli":
    case "cqlsh":
    case "pg_dump":
    case "pg_dumpall":
    case "pg_restore":
    case "pg_basebackup":
    case "mysqldump":
    case "mariadb-dump":
    case "mongodump":
    case "mongorestore":
    case "flyway":
    case "liquibase":
    case "alembic":
    case "migrate":
    case "dbmate":
    case "goose":
    case "atlas":
    case "restic":
    case "borg":
    case "velero":
    case "pgbackrest":
    case "wal-g":
    case "barman":
      return { kind: "database", summary: program };
    case "rails":
    case "rake": {
      const task = words.find((w) => w.startsWith("db:"));
      return task ? { kind: "database", summary: `${program} ${task}` } : undefined;
    }
    case "prisma":
      return words[0] === "migrate" || words[0] === "db"
        ? { kind: "database", summary: `prisma ${words[0]}` }
        : undefined;
    default:
      return undefined;
  }
}
