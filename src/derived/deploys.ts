// What the repository's own commands do (scripts, Makefile targets, just recipes, npm scripts), and which of them deploy.
// CI jobs are classified by the CI analyzers themselves (their facts say what each job deploys or publishes).

import { sshRemoteScript } from "../analyzers/command-class/remote.js";
import { classifyCommand, classifyOnHost } from "../analyzers/command-class.js";
import { parseShell } from "../analyzers/shell-parse.js";
import type { FactStore } from "../engine/facts.js";
import type { ClassifiedCommand } from "../facts/derived.js";
import type { CommandFact } from "../facts/index.js";
import { programOf } from "../vocabulary/programs.js";
import type { CommandGraph } from "./command-graph.js";

/** Commands that a person or a job runs from the repository. */
export const LOCAL_ORIGINS: ReadonlySet<CommandFact["origin"]> = new Set([
  "shell",
  "makefile",
  "just",
  "package-json",
  "terraform",
]);

export function localCommandClasses(facts: FactStore): ClassifiedCommand[] {
  const list: ClassifiedCommand[] = [];
  for (const command of facts.all("command")) {
    if (!LOCAL_ORIGINS.has(command.origin)) continue;
    const cls = classifyCommand(command.argv);
    if (cls) list.push({ command, cls });
  }
  return list;
}

/**
 * Deploy commands, plus copies to a host followed by a remote restart in the same file or unit
 * (`rsync dist/ host:/srv/app` then `ssh host systemctl restart app`).
 */
export function deploys(classified: readonly ClassifiedCommand[]): ClassifiedCommand[] {
  const found = classified.filter((c) => c.cls.kind === "deploy");
  const key = (c: CommandFact) => `${c.path}\0${c.origin === "shell" ? "" : (c.unit ?? "")}`;
  const restarts = new Map<string, ClassifiedCommand>();
  for (const c of classified) if (c.cls.kind === "remote-restart") restarts.set(key(c.command), c);
  for (const c of classified) {
    const restart = c.cls.kind === "transfer" ? restarts.get(key(c.command)) : undefined;
    if (restart)
      found.push({
        command: c.command,
        cls: { kind: "deploy", summary: `${c.cls.summary}, then ${restart.cls.summary}` },
      });
  }
  return found;
}

/**
 * `ssh prod "cd app && git pull && just prod"`: the host runs the repository's own recipe, target or script, and what
 * that reaches runs on the host — `docker compose up -d` there is the deploy. Only ssh commands that are not already
 * a deploy by themselves; the reached commands are judged as running on a server.
 */
export function remoteRunnerDeploys(
  classified: readonly ClassifiedCommand[],
  facts: FactStore,
  graph: CommandGraph,
): ClassifiedCommand[] {
  const known = new Set(classified.filter((c) => c.cls.kind === "deploy").map((c) => c.command));
  const out: ClassifiedCommand[] = [];
  for (const command of facts.all("command")) {
    if (!LOCAL_ORIGINS.has(command.origin) || known.has(command)) continue;
    const { program, args } = programOf(command.argv);
    if (program !== "ssh") continue;
    const script = sshRemoteScript(args);
    if (!script) continue;
    for (const remote of parseShell(script).commands) {
      const runner = programOf(remote.argv).program;
      if (runner === "ssh" || runner === "cd" || runner === "git") continue;
      const start: CommandFact = { ...command, argv: remote.argv };
      const reached = graph.reach(start).slice(1);
      const hit = reached.map((c) => ({ c, cls: classifyOnHost(c.argv) })).find((x) => x.cls?.kind === "deploy");
      if (!hit) continue;
      out.push({
        command,
        cls: {
          kind: "deploy",
          summary: `ssh: ${remote.argv.slice(0, 2).join(" ")} runs ${hit.cls!.summary} on the host`,
        },
      });
      break;
    }
  }
  return out;
}
