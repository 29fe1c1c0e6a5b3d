// What runs on a schedule: every command with a schedule (a crontab line, a Kubernetes CronJob, a systemd
// timer's service, a scheduled CI job), with every command it reaches through scripts and targets.
import type { Schedule } from "../facts/derived.js";
import type { CommandGraph } from "./command-graph.js";

export function schedules(graph: CommandGraph): Schedule[] {
  return graph.commands
    .filter((c) => c.schedule !== undefined)
    .map((command) => ({ command, runs: graph.reach(command) }));
}
