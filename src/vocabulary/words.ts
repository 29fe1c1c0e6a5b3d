// Reading an argument list: the non-flag words, flags with or without `=value`, the no-op flags, quotes; and the
// one table of flags that take a value, per program (deploy tools, backup tools, remote shells).

/** The non-flag words of an argument list, skipping the values of flags that take one. */
export function positionals(args: readonly string[], valueFlags: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--") {
      out.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith("-") && a.length > 1) {
      if (!a.includes("=") && valueFlags.includes(a)) i++;
      continue;
    }
    out.push(a);
  }
  return out;
}

/** Strips one pair of surrounding quotes from a word as written. */
export function unquote(word: string): string {
  if (word.length >= 2 && (word[0] === '"' || word[0] === "'") && word[word.length - 1] === word[0])
    return word.slice(1, -1);
  return word;
}

/** `--flag` or `--flag=value` for any of the flags. */
export const hasFlag = (args: readonly string[], ...flags: string[]): boolean =>
  args.some((a) => flags.some((f) => a === f || a.startsWith(`${f}=`)));

/**
 * `--dry-run` in any form except the values that really run it: kubectl's and helm's `--dry-run=none`,
 * and the old boolean `--dry-run=false`.
 */
export const isDryRun = (args: readonly string[]): boolean =>
  args.some(
    (a) => a === "--dry-run" || (a.startsWith("--dry-run=") && a !== "--dry-run=none" && a !== "--dry-run=false"),
  );

/** `--help`, `-h`, `-help` (terraform): the command only prints its usage. */
export const isHelp = (args: readonly string[]): boolean => hasFlag(args, "--help", "-h", "-help");

/** Option flags that take a value, per program, so that `kubectl -n prod apply` finds `apply`. */
export const VALUE_FLAGS: Record<string, string[]> = {
  kubectl: [
    "-n",
    "--namespace",
    "--context",
    "--kubeconfig",
    "--cluster",
    "--user",
    "-s",
    "--server",
    "--token",
    "-f",
    "--filename",
    "-k",
    "--kustomize",
    "-l",
    "--selector",
    "-o",
    "--output",
  ],
  oc: ["-n", "--namespace", "--context", "--kubeconfig", "-f", "--filename", "-l", "--selector", "-o", "--output"],
  helm: [
    "-n",
    "--namespace",
    "--kube-context",
    "--kubeconfig",
    "-f",
    "--values",
    "--set",
    "--set-string",
    "--version",
    "--timeout",
    "-o",
    "--output",
  ],
  helmfile: ["-f", "--file", "-e", "--environment", "-l", "--selector", "--kube-context"],
  terraform: ["-chdir"],
  aws: ["--region", "--profile", "--output", "--endpoint-url", "--cli-input-json", "--query"],
  gcloud: ["--project", "--region", "--zone", "--account", "--configuration", "--format", "--instance"],
  az: [
    "--subscription",
    "-o",
    "--output",
    "--query",
    "--account-name",
    "--container-name",
    "-c",
    "--name",
    "-n",
    "--file",
    "-f",
  ],
  fly: ["-a", "--app", "-c", "--config", "-r", "--region"],
  flyctl: ["-a", "--app", "-c", "--config", "-r", "--region"],
  serverless: ["--stage", "-s", "--region", "-r", "--config", "-c", "--aws-profile"],
  sls: ["--stage", "-s", "--region", "-r", "--config", "-c", "--aws-profile"],
  kamal: ["-d", "--destination", "-c", "--config-file", "-r", "--roles", "--hosts", "-h", "--version"],
  pulumi: ["-s", "--stack", "-C", "--cwd"],
  docker: [
    "--context",
    "-c",
    "-H",
    "--host",
    "-f",
    "--file",
    "-p",
    "--project-name",
    "--config",
    "--log-level",
    "--env-file",
    "--profile",
  ],
  podman: ["--context", "-c", "-H", "--host", "-f", "--file", "-p", "--project-name"],
  /** `docker run` / `podman run` options that take a value (before the image) */
  "docker run": [
    "-e",
    "--env",
    "--env-file",
    "-v",
    "--volume",
    "-w",
    "--workdir",
    "-u",
    "--user",
    "--name",
    "-p",
    "--publish",
    "--network",
    "--net",
    "-l",
    "--label",
    "--entrypoint",
    "--platform",
    "--mount",
    "-m",
    "--memory",
    "--cpus",
    "--add-host",
    "-h",
    "--hostname",
    "--log-driver",
    "--log-opt",
    "--restart",
    "--pull",
    "--cap-add",
    "--cap-drop",
    "--device",
    "--dns",
    "--ipc",
    "--pid",
    "--shm-size",
    "--tmpfs",
    "--ulimit",
    "--security-opt",
    "--gpus",
    "--expose",
    "--link",
    "--volumes-from",
    "--group-add",
    "-a",
    "--attach",
  ],
  /** `docker compose run` options that take a value (before the service) */
  "compose run": [
    "-e",
    "--env",
    "-v",
    "--volume",
    "-w",
    "--workdir",
    "-u",
    "--user",
    "--name",
    "-p",
    "--publish",
    "--entrypoint",
    "-l",
    "--label",
    "--cap-add",
    "--cap-drop",
    "--pull",
  ],
  /** `docker compose` global options that take a value (before the subcommand) */
  compose: [
    "-f",
    "--file",
    "-p",
    "--project-name",
    "--profile",
    "--project-directory",
    "--env-file",
    "--ansi",
    "--progress",
    "--parallel",
  ],
  git: ["-C", "-c"],
  vercel: ["--token", "-t", "--scope", "-S", "--cwd", "-A", "--local-config", "-e", "--env", "-b", "--build-env"],
  netlify: ["--dir", "-d", "--site", "-s", "--auth", "--message", "-m", "--alias", "--functions", "-f"],
  argocd: ["--server", "--auth-token", "--grpc-web-root-path"],
  nomad: ["-address", "-region", "-namespace", "-token"],
  rsync: [
    "-e",
    "--rsh",
    "--exclude",
    "--include",
    "--exclude-from",
    "--include-from",
    "--filter",
    "-f",
    "--chown",
    "--chmod",
    "--port",
  ],
  scp: ["-i", "-P", "-o", "-F", "-J", "-c", "-l", "-S"],
  ssh: [
    "-b",
    "-c",
    "-D",
    "-E",
    "-e",
    "-F",
    "-I",
    "-i",
    "-J",
    "-L",
    "-l",
    "-m",
    "-O",
    "-o",
    "-p",
    "-Q",
    "-R",
    "-S",
    "-W",
    "-w",
    "-B",
  ],
  restic: [
    "-r",
    "--repo",
    "--password-file",
    "--tag",
    "--host",
    "--exclude",
    "--exclude-file",
    "--cache-dir",
    "-o",
    "--option",
  ],
  borg: ["--compression", "-C", "--exclude", "-e", "--comment", "--remote-path"],
  borgmatic: [
    "-c",
    "--config",
    "-v",
    "--verbosity",
    "--syslog-verbosity",
    "--log-file",
    "--log-file-verbosity",
    "--monitoring-verbosity",
    "--repository",
  ],
  kopia: ["--config-file", "--password", "--description", "--tags", "--parallel"],
  velero: ["-n", "--namespace", "--kubecontext", "--kubeconfig"],
  pgbackrest: [
    "--stanza",
    "--type",
    "--repo",
    "--config",
    "--log-level-console",
    "--process-max",
    "--set",
    "--target",
    "--delta",
  ],
  "wal-g": ["--config"],
  rclone: ["--config", "--transfers", "--checkers"],
  mc: ["--config-dir"],
  "redis-cli": ["-h", "-p", "-a", "-n", "-u", "--user", "--pass"],
  sqlite3: ["-cmd", "-separator", "-newline", "-nullvalue", "-vfs", "-init"],
  etcdctl: ["--endpoints", "--cacert", "--cert", "--key"],
};
