// Self-hosted installs that deploy on the machine they run on (issue 9, group 2). A product shipped as a compose
// stack is deployed by its install or update script: `docker compose pull` then `up -d`, often through a variable
// (`$COMPOSE_COMMAND up -d`, `$dc up --wait` with `dc` built in a sourced file) or inside a function
// (`cmd_install`, `redeploy_compose`). A service installed as a systemd unit is deployed by the script that puts
// the unit in place and enables it (also a podman Quadlet `.container` unit). The same compose commands in a
// development or test script start a workstation's environment, not a deploy.

import { DETACH_VALUE } from "../analyzers/scripts/shell.js";
import type { FactStore } from "../engine/facts.js";
import { dirPrefixOf, joinRepoPath } from "../engine/paths.js";
import type { ClassifiedCommand } from "../facts/derived.js";
import type { CommandFact } from "../facts/index.js";
import { programOf } from "../vocabulary/programs.js";
import { positionals, unquote, VALUE_FLAGS } from "../vocabulary/words.js";

/** a path segment, script name or function name that says install, update or deploy */
const INSTALL_CONTEXT =
  /(^|[-_./])(install(er|s)?|update|upgrade|deploy|redeploy|self-?host(ed|ing)?|production|prod|launcher)([-_./]|$)/i;
/** … and one that says the machine is a workstation or a test harness */
const DEV_CONTEXT =
  /(^|[-_./])(dev|develop(ment)?|local|tests?|testing|e2e|demo|examples?|ci|sandbox|playground|fixtures?)([-_./]|$)/i;
/** folders and files where systemd and podman Quadlet read units */
const UNIT_DIR = /(^|\/)(systemd\/(system|user)|containers\/systemd)(\/|$)/;

type Tool = "compose" | "engine";

/**
 * Variables that hold a container tool's command line, across every script (a sourced file defines what its caller
 * runs): `COMPOSE_COMMAND="docker compose"`, `dc="$dc_base --env-file x"`, `docker_path=$(which docker)`.
 */
function toolVariables(facts: FactStore): Map<string, Tool> {
  const values = new Map<string, string[]>();
  for (const s of facts.all("shell"))
    for (const v of s.toolVars ?? []) values.set(v.name, [...(values.get(v.name) ?? []), v.value]);
  const tools = new Map<string, Tool>();
  const direct = (value: string): Tool | undefined =>
    /(^|[\s"'(`])(docker|podman|\$\{?\w+\}?)[ -]compose\b/.test(value)
      ? "compose"
      : /^(sudo\s+)?(docker|podman)(\s|$)|\b(which|command -v)\s+(docker|podman)\b/.test(value)
        ? "engine"
        : undefined;
  for (let round = 0; round < 4; round++) {
    for (const [name, list] of values) {
      if (tools.has(name)) continue;
      for (const value of list) {
        const leading = value.match(/^\$\{?([A-Za-z_]\w*)\}?(\s|$)/)?.[1];
        const tool = (leading && tools.get(leading)) || direct(value);
        if (tool) {
          tools.set(name, tool);
          break;
        }
      }
    }
  }
  return tools;
}

/** Variables assigned a flag that leaves a container running (`attach_on_run="-d"`), with that flag. */
function detachVariables(facts: FactStore): Map<string, string> {
  const flags = new Map<string, string>();
  for (const s of facts.all("shell"))
    for (const v of s.toolVars ?? []) if (DETACH_VALUE.test(v.value)) flags.set(v.name, v.value);
  return flags;
}

/** `docker run … $attach_on_run …` with `attach_on_run="-d"` somewhere: the flag the variable may hold. */
function withFlags(argv: readonly string[], flags: Map<string, string>): string[] {
  return argv.map((w) => {
    const name = unquote(w).match(/^\$\{?([A-Za-z_]\w*)\}?$/)?.[1];
    return (name && flags.get(name)) || w;
  });
}

/** `docker run` that leaves a container running: detached, or restarted by the engine. */
function startsContainer(argv: readonly string[]): boolean {
  const { program, args } = programOf(argv);
  if (program !== "docker" && program !== "podman") return false;
  if (positionals(args, VALUE_FLAGS.docker ?? [])[0] !== "run") return false;
  const run = args.slice(args.indexOf("run") + 1);
  return (
    !run.includes("--rm") &&
    run.some(
      (a, i) => a === "-d" || a === "--detach" || DETACH_VALUE.test(a) || (a === "--restart" && run[i + 1] !== "no"),
    )
  );
}

/** `$SUDO docker compose …` → `docker compose …`; `$COMPOSE_COMMAND up -d` → `docker compose up -d`. */
function resolved(argv: readonly string[], tools: Map<string, Tool>): string[] {
  const variable = (w: string) => unquote(w).match(/^\$\{?([A-Za-z_]\w*)\}?$/)?.[1];
  let rest = [...argv];
  while (rest.length > 1 && /^(sudo|sudo_cmd|maybe_sudo|as_root)$/i.test(variable(rest[0]!) ?? ""))
    rest = rest.slice(1);
  const name = rest[0] === undefined ? undefined : variable(rest[0]);
  const tool = name === undefined ? undefined : tools.get(name);
  if (tool === "compose") return ["docker", "compose", ...rest.slice(1)];
  if (tool === "engine") return ["docker", ...rest.slice(1)];
  return rest;
}

/** The compose verb and its words: `docker compose -f x.yml up -d` → up, with the compose files named. */
function composeCall(argv: readonly string[]): { verb: string; args: string[]; files: string[] } | undefined {
  const { program, args } = programOf(argv);
  let rest: string[];
  if (program === "docker-compose" || program === "podman-compose") rest = args;
  else if ((program === "docker" || program === "podman") && args.includes("compose"))
    rest = args.slice(args.indexOf("compose") + 1);
  else return undefined;
  const verb = positionals(rest, VALUE_FLAGS.compose ?? [])[0];
  if (!verb) return undefined;
  const files: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    if ((rest[i] === "-f" || rest[i] === "--file") && rest[i + 1]) files.push(unquote(rest[i + 1]!));
    else if (rest[i]!.startsWith("--file=")) files.push(unquote(rest[i]!.slice(7)));
  }
  return { verb, args: rest.slice(rest.indexOf(verb) + 1), files };
}

const detached = (args: readonly string[]) =>
  args.some(
    (a) =>
      a === "-d" ||
      a === "--detach" ||
      a === "--wait" ||
      (/^-[a-zA-Z]+$/.test(a) && !a.startsWith("--") && a.includes("d")),
  );

/** Install and update scripts that start a compose stack, and scripts that install and enable a systemd unit. */
export function installDeploys(facts: FactStore): ClassifiedCommand[] {
  const tools = toolVariables(facts);
  const flags = detachVariables(facts);
  const commands = facts.all("command").filter((c) => c.origin === "shell");
  const found: ClassifiedCommand[] = [];
  const byScript = new Map<string, CommandFact[]>();
  for (const c of commands) byScript.set(c.path, [...(byScript.get(c.path) ?? []), c]);

  for (const [path, list] of byScript) {
    if (DEV_CONTEXT.test(path)) continue;
    const pathSays = INSTALL_CONTEXT.test(path);
    // compose: an up that stays running, or an up after a pull, in an install-named script or function
    const pulls = new Set<string>();
    const ups: { c: CommandFact; detached: boolean; scope: string }[] = [];
    for (const c of list) {
      const call = composeCall(resolved(c.argv, tools));
      if (!call || call.files.some((f) => DEV_CONTEXT.test(f))) continue;
      if (!pathSays && !(c.unit && INSTALL_CONTEXT.test(c.unit) && !DEV_CONTEXT.test(c.unit))) continue;
      const scope = pathSays ? "" : (c.unit ?? "");
      if (call.verb === "pull" || (call.verb === "up" && call.args.some((a) => a === "--pull" || a === "--build")))
        pulls.add(scope);
      if (call.verb === "up") ups.push({ c, detached: detached(call.args), scope });
    }
    const up = ups.find((u) => u.detached) ?? ups.find((u) => pulls.has(u.scope));
    if (up)
      found.push({
        command: up.c,
        cls: {
          kind: "deploy",
          summary: `docker compose up${up.detached ? " -d" : " after a pull"}${pathSays ? " (install script)" : ""}`,
        },
      });

    // a container left running by an install or launcher script (`$docker_path run $attach_on_run … $image`)
    if (!up) {
      const run = list.find(
        (c) =>
          (pathSays || (c.unit && INSTALL_CONTEXT.test(c.unit) && !DEV_CONTEXT.test(c.unit))) &&
          startsContainer(withFlags(resolved(c.argv, tools), flags)),
      );
      if (run)
        found.push({
          command: run,
          cls: { kind: "deploy", summary: `docker run -d${pathSays ? " (install script)" : ""}` },
        });
    }

    // systemd: a unit put in place, then enabled or started
    const places = list.some((c) => {
      const { program, args } = programOf(c.argv);
      return (
        ["cp", "install", "mv", "ln", "tee", "rsync"].includes(program) && args.some((a) => UNIT_DIR.test(unquote(a)))
      );
    });
    const starts = list.find((c) => {
      const { program, args } = programOf(c.argv);
      const verb = positionals(args, [])[0];
      return program === "systemctl" && ["enable", "start", "restart", "reload-or-restart"].includes(verb ?? "");
    });
    if (places && starts)
      found.push({
        command: starts,
        cls: {
          kind: "deploy",
          summary: `installs a systemd unit, then systemctl ${positionals(programOf(starts.argv).args, [])[0]}`,
        },
      });
  }
  return found;
}

const DEFAULT_COMPOSE = ["compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml"];

/** Joins a folder (with trailing slash, or empty) and a relative path, resolving `.` and `..`. */
/** A compose or stack file that the install docs start on a server, and the docs' install steps. */
export interface ComposeInstall {
  path: string;
  line: number;
  note: string;
  doc: { path: string; line: number };
}

/**
 * Compose files that the docs present as the install: an install or deploy section (not a development or demo one,
 * see doc-topics.ts) runs `docker compose up` or `docker stack deploy` on them, and the stack is made to run on a
 * server (released images rather than a build of the checkout, or a restart policy). A stack file is always one.
 */
export function documentedComposeInstalls(facts: FactStore, paths: readonly string[]): ComposeInstall[] {
  const composes = new Map(facts.all("compose").map((c) => [c.path, c]));
  let existingPaths: Set<string> | undefined;
  const existing = { has: (path: string) => (existingPaths ??= new Set(paths)).has(path) };
  const out: ComposeInstall[] = [];
  const seen = new Set<string>();
  for (const doc of facts.all("doc")) {
    if (DEV_CONTEXT.test(doc.path)) continue;
    const dir = dirPrefixOf(doc.path);
    for (const topic of doc.topics) {
      if (topic.topic !== "deploy" || !topic.composeFiles) continue;
      const stack = /stack deploy/.test(topic.command ?? "");
      const named = topic.composeFiles.length > 0 ? topic.composeFiles : DEFAULT_COMPOSE;
      const paths = named.flatMap((f) => [joinRepoPath(dir, f), joinRepoPath("", f)]);
      for (const path of paths) {
        if (seen.has(path) || DEV_CONTEXT.test(path.slice(path.lastIndexOf("/") + 1))) continue;
        const compose = composes.get(path);
        // a stack file (docker-stack.yml) is no compose file by its name: it is one by being deployed
        if (!compose && !(stack && existing.has(path))) continue;
        const server =
          stack ||
          (compose !== undefined &&
            compose.services.length > 0 &&
            (compose.services.every((s) => !s.build) ||
              compose.services.some((s) => s.restart === "always" || s.restart === "unless-stopped")));
        if (!server) continue;
        seen.add(path);
        out.push({
          path,
          line: compose?.services[0]?.line ?? 1,
          note: `${doc.path} '${topic.heading}' installs this stack (${topic.command})`,
          doc: { path: doc.path, line: topic.line },
        });
      }
    }
  }
  return out;
}
