// Commands that reach another host: docker against a remote engine, rsync/scp to `host:path`, and ssh, whose
// remote command is shell too and is judged as running on a server.

import { programOf } from "../../vocabulary/programs.js";
import { hasFlag, positionals, unquote, VALUE_FLAGS } from "../../vocabulary/words.js";
import type { CommandClass } from "../command-class.js";
import { parseShell } from "../shell-parse.js";

/** Classifies one command of a script that runs on a server. */
export type RemoteClassifier = (argv: readonly string[]) => CommandClass | undefined;

/**
 * docker/podman. `remote` is set over ssh; `docker --context prod …` and `docker -H ssh://host …` are remote too.
 * An image push is a publish that something else must deploy (`image: true`).
 */
export function classifyDocker(
  program: string,
  args: readonly string[],
  words: readonly string[],
  remote: boolean,
): CommandClass | undefined {
  const [sub = "", next = ""] = words;
  if (sub === "push") return { kind: "publish", summary: `${program} push`, image: true };
  if (sub === "stack" && next === "deploy") return { kind: "deploy", summary: `${program} stack deploy` };
  if (sub === "service" && (next === "update" || next === "create"))
    return { kind: "deploy", summary: `${program} service ${next}` };
  if (sub === "service" && next === "rollback") return { kind: "rollback", summary: `${program} service rollback` };
  if ((sub === "compose" && next === "up") || sub === "run") {
    const engine = remoteEngine(args);
    const what = `${program} ${sub === "run" ? "run" : "compose up"}`;
    if (engine) return { kind: "deploy", summary: `${what} on ${engine}` };
    if (remote) return { kind: "deploy", summary: what };
  }
  return undefined;
}

/**
 * The engine a docker command talks to when it is another machine's: `--context prod`, `-H ssh://host`.
 * Only global options count (before the subcommand): `docker run -c 512` sets CPU shares.
 */
function remoteEngine(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length && args[i]!.startsWith("-"); i++) {
    const [flag = "", inline] = args[i]!.startsWith("--") ? args[i]!.split(/=(.*)/s) : [args[i]!];
    if (!["--context", "-c", "--host", "-H"].includes(flag)) {
      if (inline === undefined && VALUE_FLAGS.docker!.includes(flag)) i++;
      continue;
    }
    const value = unquote(inline ?? args[i + 1] ?? "");
    if (flag === "--context" || flag === "-c") return value && value !== "default" ? `context ${value}` : undefined;
    return /^(ssh|tcp):\/\//.test(value) ? `host ${value}` : undefined;
  }
  return undefined;
}

/** `docker-compose up` starts the new version only when it runs on the server. */
export function classifyDockerCompose(words: readonly string[], remote: boolean): CommandClass | undefined {
  return remote && words[0] === "up" ? { kind: "deploy", summary: "docker-compose up" } : undefined;
}

/**
 * A container started in the background on the Docker engine the command talks to: `docker compose up -d`,
 * `docker-compose up --detach`, `docker run -d`. Run by a CI step that mounts the host's socket
 * (/var/run/docker.sock), it starts the new version on that host: a deploy. Foreground runs (`docker run --rm
 * app npm test`, `compose up --abort-on-container-exit`) are test harnesses.
 */
export function detachedStart(program: string, args: readonly string[], words: readonly string[]): string | undefined {
  const detached =
    hasFlag(args, "-d", "--detach") || args.some((a) => /^-[a-zA-Z]*d[a-zA-Z]*$/.test(a) && !a.startsWith("--"));
  if (!detached) return undefined;
  if ((program === "docker" || program === "podman") && words[0] === "compose" && words[1] === "up")
    return `${program} compose up -d`;
  if (program === "docker-compose" && words[0] === "up") return "docker-compose up -d";
  if ((program === "docker" || program === "podman") && words[0] === "run") return `${program} run -d`;
  return undefined;
}

/** `docker compose down|stop|rm`, `docker-compose down`: a harness that tears down what it started. */
export function tearsDown(program: string, words: readonly string[]): boolean {
  const verb = program === "docker-compose" ? words[0] : words[0] === "compose" ? words[1] : undefined;
  return verb === "down" || verb === "stop" || verb === "rm" || verb === "kill";
}

/** rsync/scp whose destination is `host:path`; an rsync dry run (`--dry-run`, `-n`, `-avn`) copies nothing. */
export function classifyTransfer(
  program: string,
  args: readonly string[],
  words: readonly string[],
): CommandClass | undefined {
  const dry = program === "rsync" && (hasFlag(args, "--dry-run") || args.some((a) => /^-[a-zA-Z]*n[a-zA-Z]*$/.test(a)));
  const target = words[words.length - 1];
  if (target === undefined || !isRemotePath(target) || dry) return undefined;
  // files copied into a web server's document root are live once copied: a static site's deploy
  const path = unquote(target).replace(/^[^:]*:/, "");
  if (WEB_ROOT.test(path)) return { kind: "deploy", summary: `${program} to ${target} (a web server's document root)` };
  return { kind: "transfer", summary: `${program} to ${target}` };
}

/** Document roots of web servers: /var/www/…, /srv/www, /srv/http, /usr/share/nginx/html, ~/public_html. */
const WEB_ROOT = /^(\/var\/www(\/|$)|\/srv\/(www|http)(\/|$)|\/usr\/share\/nginx\/html(\/|$)|(~\/)?public_html(\/|$))/;

/** `ssh host 'cd app && git pull && systemctl restart app'`: the remote command, parsed and judged. */
export function classifySsh(args: readonly string[], classify: RemoteClassifier): CommandClass | undefined {
  const script = sshRemoteScript(args);
  return script ? classifyRemoteScript(script, classify) : undefined;
}

/** The command `ssh [options] host …` runs on the host, as one shell text ("" when it only logs in). */
export function sshRemoteScript(args: readonly string[]): string {
  let i = 0;
  while (i < args.length && args[i]!.startsWith("-")) i += VALUE_FLAGS.ssh!.includes(args[i]!) ? 2 : 1;
  return args
    .slice(i + 1)
    .map(unquote)
    .join(" ")
    .trim();
}

/**
 * A script that runs on a server (over ssh, an ssh action's `script`): a deploy or rollback in it, or a restart
 * after fetching a new version (`git pull`, `docker compose pull`, `--build`); a restart alone is `remote-restart`.
 */
export function classifyRemoteScript(script: string, classify: RemoteClassifier): CommandClass | undefined {
  let fetches = false;
  let restart: string | undefined;
  for (const command of parseShell(script).commands) {
    const found = classify(command.argv);
    if (found && (found.kind === "deploy" || found.kind === "rollback"))
      return { ...found, summary: `${found.summary} (over ssh)` };
    const { program, args } = programOf(command.argv);
    const w = positionals(args, []);
    if (
      (program === "git" && ["pull", "fetch", "checkout", "reset"].includes(w[0] ?? "")) ||
      ((program === "docker" || program === "podman") &&
        (w[0] === "pull" || (w[0] === "compose" && w[1] === "pull"))) ||
      (program === "docker-compose" && w[0] === "pull") ||
      args.includes("--build") ||
      args.includes("--pull")
    )
      fetches = true;
    restart ??= restartOf(program, w);
  }
  if (restart && fetches) return { kind: "deploy", summary: `ssh: fetch and ${restart}` };
  if (restart) return { kind: "remote-restart", summary: `ssh: ${restart}` };
  return undefined;
}

function restartOf(program: string, w: string[]): string | undefined {
  if (
    program === "systemctl" &&
    ["restart", "reload", "start", "reload-or-restart", "try-restart"].includes(w[0] ?? "")
  )
    return `systemctl ${w[0]}`;
  if (program === "service" && ["restart", "reload", "start"].includes(w[1] ?? "")) return `service ${w[1]}`;
  if ((program === "docker" || program === "podman") && w[0] === "restart") return `${program} restart`;
  if (program === "pm2" && ["reload", "restart", "start", "startOrReload", "startOrRestart"].includes(w[0] ?? ""))
    return `pm2 ${w[0]}`;
  if (program === "supervisorctl" && ["restart", "start", "update"].includes(w[0] ?? ""))
    return `supervisorctl ${w[0]}`;
  return undefined;
}

/** `user@host:path`, `host:path`, `rsync://…` — not a local path, not a Windows drive */
function isRemotePath(word: string): boolean {
  const w = unquote(word);
  return (
    /^rsync:\/\//.test(w) ||
    (/^(?:[\w.-]+@)?(?:[\w.-]+|\[[0-9a-f:]+\]|\$\{?\w+\}?):/i.test(w) && !/^[A-Za-z]:[\\/]/.test(w))
  );
}
