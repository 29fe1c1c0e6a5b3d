// What the repository's own commands do (scripts, Makefile targets, just recipes, npm scripts), and which of them deploy.
// CI jobs are classified by the CI analyzers themselves (their facts say what each job deploys or publishes).
import { classifyCommand } from "../analyzers/command-class.js";
import type { FactStore } from "../engine/facts.js";
import type { ClassifiedCommand } from "../facts/derived.js";
import type { CommandFact } from "../facts/index.js";

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
