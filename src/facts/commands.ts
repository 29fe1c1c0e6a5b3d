// Commands found anywhere a shell command runs: scripts, Makefile recipes, CI steps, container
// commands, package.json scripts. Many detectors (deploy, backup, rollback) ask "what runs, where".

export type CommandOrigin =
  | "shell"
  | "makefile"
  | "ci"
  | "dockerfile"
  | "k8s"
  | "compose"
  | "package-json"
  | "cron"
  | "systemd";

export interface CommandFact {
  path: string;
  line: number;
  /** words of one simple command; a non-literal word keeps its source text, e.g. "\"$DATABASE_URL\"" */
  argv: string[];
  origin: CommandOrigin;
  /** the enclosing unit: Makefile target, CI job id, package.json script, CronJob name, shell function, systemd service file name */
  unit?: string;
  /** set when the command runs on a schedule (a cron expression or nickname, a systemd OnCalendar= value, or "scheduled" when unknown) */
  schedule?: string;
}
