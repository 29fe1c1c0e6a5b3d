// Commands found anywhere a shell command runs: scripts, Makefile recipes, CI steps, container
// commands, package.json scripts. Many detectors (deploy, backup, rollback) ask "what runs, where".

export type CommandOrigin =
  | "shell"
  | "makefile"
  | "just"
  | "ci"
  | "dockerfile"
  | "k8s"
  | "compose"
  | "package-json"
  | "cron"
  | "systemd"
  /** a Terraform `local-exec` provisioner: runs on the machine that applies */
  | "terraform"
  /** a shell-out of a Ruby background job (`system("…")` in app/jobs/*.rb); its unit is the job's class */
  | "ruby";

export interface CommandFact {
  path: string;
  line: number;
  /** words of one simple command; a non-literal word keeps its source text, e.g. "\"$DATABASE_URL\"" */
  argv: string[];
  origin: CommandOrigin;
  /**
   * the enclosing unit: Makefile target, just recipe, CI job id, package.json script, CronJob name, shell function,
   * systemd service file name
   */
  unit?: string;
  /** set when the command runs on a schedule (a cron expression or nickname, a systemd OnCalendar= value, or "scheduled" when unknown) */
  schedule?: string;
}

/** One command of a shell text with how it runs, read from the shell's syntax tree. */
export interface FlowCommand {
  /** file line (in a package.json, the script's line) */
  line: number;
  /** words as written (the shared parser's convention) */
  argv: string[];
  /** the enclosing function */
  fn?: string;
  /** runs only after a command failed: `if ! x; then …`, `if x; then …; else …`, `x || …`, `[ $? -ne 0 ]`, `trap … ERR` */
  onFailure: boolean;
  /** what it produces is thrown away: its stdout (or its pipeline's, through filters) goes to /dev/null */
  discarded: boolean;
  /** reads data from a pipe or a file (`… | psql`, `psql < dump.sql`) */
  fed: boolean;
}

/**
 * How the commands of one shell text run: a script, a CI step's `run:`, a recipe line, an npm script, a crontab
 * entry, a container's `sh -c` script. Emitted by the analyzer that parsed the text, next to its command facts.
 */
export interface ShellFlowFact {
  path: string;
  origin: CommandOrigin;
  /** the unit of the text's command facts (CI job id, Makefile target, npm script, CronJob); none for a script */
  unit?: string;
  /** file line where the text begins */
  line: number;
  /** in order; an ERR trap's handler commands follow the `trap` command, at its line */
  commands: FlowCommand[];
}
