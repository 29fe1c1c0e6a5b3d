// What runs on a schedule: every command with a schedule (a crontab line, a Kubernetes CronJob, a systemd
// timer's service, a scheduled CI job), with every command it reaches through scripts and targets.
import type { FactStore } from "../engine/facts.js";
import type { Schedule } from "../facts/derived.js";
import type { CommandGraph } from "./command-graph.js";

export function schedules(graph: CommandGraph, facts?: FactStore): Schedule[] {
  const scheduled = graph.commands
    .filter((c) => c.schedule !== undefined)
    .map((command) => ({ command, runs: graph.reach(command) }));
  return [...scheduled, ...loopSchedules(graph, facts)];
}

/**
 * A script that loops forever and sleeps between rounds (`while true; do restic backup …; sleep 86400; done`, the
 * command of a supervisord program or a container) is its own scheduler: the commands inside the loop run on it.
 */
function loopSchedules(graph: CommandGraph, facts?: FactStore): Schedule[] {
  const loops = new Map<string, { line: number; end: number }[]>();
  for (const s of facts?.all("shell") ?? []) if (s.foreverLoops) loops.set(s.path, s.foreverLoops);
  if (loops.size === 0) return [];
  const out: Schedule[] = [];
  for (const c of graph.commands) {
    if (c.origin !== "shell" || c.schedule !== undefined) continue;
    const loop = loops.get(c.path)?.find((l) => c.line > l.line && c.line <= l.end);
    if (!loop) continue;
    const command = { ...c, schedule: `a loop that sleeps (line ${loop.line})` };
    out.push({ command, runs: graph.reach(c) });
  }
  return out;
}
