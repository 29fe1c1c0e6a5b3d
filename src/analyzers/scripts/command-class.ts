// What one command does to the outside world, judged from its argv (already parsed by a shell parser,
// so `echo "kubectl apply"` and comments never get here as a kubectl command).
// Used by the scripts analyzers (which scripts matter) and the deploy detectors (which commands deploy).
import { parseShell, programOf } from "../shell-parse.js";

export type CommandKind =
  /** ships a new version somewhere: kubectl apply, helm upgrade, terraform apply, fly deploy … */
  | "deploy"
  /** undoes a deploy: helm rollback, kubectl rollout undo … */
  | "rollback"
  /** touches infrastructure without deploying: terraform plan, kubectl get, aws …, a dry run */
  | "infra"
  /** talks to or dumps a database, runs migrations */
  | "database"
  /** copies files to another host: rsync/scp to `host:path` */
  | "transfer"
  /** restarts a service on a remote host (ssh … systemctl restart), without fetching a new version */
  | "remote-restart"
  /** publishes an artefact: docker push */
  | "publish";

export interface CommandClass {
  kind: CommandKind;
  /** the tool and subcommand, e.g. "kubectl apply", "ssh: docker compose up" */
  summary: string;
}

/** Classifies one simple command; undefined for anything that does not reach outside the machine. */
export function classifyCommand(argv: readonly string[]): CommandClass | undefined {
  return classify(argv, 0);
}

function classify(argv: readonly string[], depth: number): CommandClass | undefined {
  if (depth > 3) return undefined;
  const { program, args } = programOf(argv);
  if (!program || /^["'$`]/.test(program)) return undefined; // a variable or quoted word: unknown program
  const unwrapped = unwrap(program, args);
  if (unwrapped) return classify(unwrapped, depth + 1);
  const words = positionals(args, VALUE_FLAGS[program] ?? []);
  const has = (...flags: string[]) => args.some((a) => flags.some((f) => a === f || a.startsWith(`${f}=`)));
  const cls = (kind: CommandKind, summary: string): CommandClass => ({ kind, summary });
  const sub = words[0] ?? "";

  switch (program) {
    case "kubectl":
    case "oc": {
      const dry = args.some((a) => /^--dry-run(=(client|server|true))?$/.test(a));
      if (sub === "rollout" && words[1] === "undo") return cls("rollback", `${program} rollout undo`);
      const deploys = ["apply", "replace", "patch"].includes(sub) || (sub === "create" && has("-f", "--filename", "-k", "--kustomize")) ||
        (sub === "set" && words[1] === "image") || (sub === "rollout" && words[1] === "restart");
      if (deploys && !dry) return cls("deploy", `${program} ${sub}${sub === "set" || sub === "rollout" ? ` ${words[1]}` : ""}`);
      return cls("infra", `${program} ${sub}`.trim());
    }
    case "helm": {
      if (sub === "rollback") return cls("rollback", "helm rollback");
      if ((sub === "upgrade" || sub === "install") && !has("--dry-run")) return cls("deploy", `helm ${sub}`);
      return cls("infra", `helm ${sub}`.trim());
    }
    case "helmfile":
      if (["apply", "sync", "deploy"].includes(sub)) return cls("deploy", `helmfile ${sub}`);
      return cls("infra", `helmfile ${sub}`.trim());
    case "terraform":
    case "tofu":
    case "terragrunt": {
      const subs = sub === "run-all" ? words.slice(1) : words;
      if (subs[0] === "apply" && !has("-help", "--help", "-destroy")) return cls("deploy", `${program} apply`);
      return cls("infra", `${program} ${sub}`.trim());
    }
    case "pulumi":
      if (sub === "up" || sub === "update") return has("--preview-only") ? cls("infra", "pulumi up --preview-only") : cls("deploy", "pulumi up");
      return cls("infra", `pulumi ${sub}`.trim());
    case "cdk":
    case "cdktf":
      return sub === "deploy" ? cls("deploy", `${program} deploy`) : cls("infra", `${program} ${sub}`.trim());
    case "fly":
    case "flyctl":
      if (sub === "deploy" && !has("--build-only")) return cls("deploy", `${program} deploy`);
      if (sub === "releases" && words[1] === "rollback") return cls("rollback", `${program} releases rollback`);
      return cls("infra", `${program} ${sub}`.trim());
    case "gcloud": {
      const path = words.slice(0, 4);
      if (path.includes("deploy") && !path.some((w) => ["list", "describe", "delete"].includes(w))) {
        return cls("deploy", `gcloud ${path.slice(0, path.indexOf("deploy") + 1).join(" ")}`);
      }
      if (path[0] === "run" && path[1] === "services" && path[2] === "update") return cls("deploy", "gcloud run services update");
      if (path[0] === "sql") return cls("database", `gcloud sql ${path[1] ?? ""}`.trim());
      return cls("infra", `gcloud ${path.slice(0, 2).join(" ")}`.trim());
    }
    case "aws":
      return classifyAws(words);
    case "az": {
      const path = words.slice(0, 4);
      const deploys = path.includes("deploy") || (path.includes("up") && ["webapp", "containerapp"].includes(path[0] ?? "")) ||
        (path[0] === "containerapp" && path[1] === "update") || (path[0] === "deployment" && path.includes("create")) ||
        (path.includes("deployment") && path.includes("config-zip"));
      return deploys ? cls("deploy", `az ${path.join(" ")}`) : cls("infra", `az ${path.slice(0, 2).join(" ")}`.trim());
    }
    case "func":
      return sub === "azure" && words.includes("publish") ? cls("deploy", "func azure functionapp publish") : undefined;
    case "serverless":
    case "sls":
      if (sub === "deploy" && !has("--noDeploy", "--package")) return cls("deploy", `${program} deploy`);
      if (sub === "rollback") return cls("rollback", `${program} rollback`);
      return cls("infra", `${program} ${sub}`.trim());
    case "sam":
      return (sub === "deploy" && !has("--no-execute-changeset")) || sub === "sync" ? cls("deploy", `sam ${sub}`) : cls("infra", `sam ${sub}`.trim());
    case "eb":
      return sub === "deploy" ? cls("deploy", "eb deploy") : cls("infra", `eb ${sub}`.trim());
    case "copilot":
      return words.slice(0, 2).includes("deploy") ? cls("deploy", `copilot ${words.slice(0, 2).join(" ")}`) : cls("infra", `copilot ${sub}`.trim());
    case "kamal":
    case "mrsk":
      if (["deploy", "redeploy", "setup"].includes(sub)) return cls("deploy", `${program} ${sub}`);
      if (sub === "rollback") return cls("rollback", `${program} rollback`);
      return cls("infra", `${program} ${sub}`.trim());
    case "ansible-playbook":
      if (has("--check", "-C", "--syntax-check", "--list-hosts", "--list-tasks", "--list-tags")) return cls("infra", "ansible-playbook --check");
      return cls("deploy", "ansible-playbook");
    case "ansible":
      return cls("infra", "ansible");
    case "cap":
    case "mina":
    case "dep":
    case "fab":
      // Capistrano `cap production deploy`, Mina/Deployer `deploy`, Fabric task named deploy
      if (words.includes("deploy") || words.some((w) => /^deploy(:|$)/.test(w))) return cls("deploy", `${program} deploy`);
      if (words.some((w) => /^deploy:rollback$|^rollback$/.test(w))) return cls("rollback", `${program} rollback`);
      return undefined;
    case "vercel": {
      const local = ["dev", "env", "link", "login", "logout", "pull", "build", "ls", "list", "logs", "inspect", "whoami", "help", "init", "domains", "dns", "certs", "secrets", "teams", "switch", "project", "alias", "remove", "rm"];
      if (sub === "rollback") return cls("rollback", "vercel rollback");
      if (sub === "deploy" || has("--prod") || (words.length === 0 && !has("--help", "-h", "--version", "-v"))) return cls("deploy", "vercel deploy");
      return local.includes(sub) ? undefined : cls("deploy", "vercel deploy");
    }
    case "netlify":
    case "ntl":
      return sub === "deploy" ? cls("deploy", "netlify deploy") : undefined;
    case "firebase":
      return sub === "deploy" ? cls("deploy", "firebase deploy") : undefined;
    case "wrangler":
      if (sub === "deploy" || sub === "publish" || (sub === "pages" && words[1] === "deploy")) return cls("deploy", `wrangler ${sub}`);
      if (sub === "rollback") return cls("rollback", "wrangler rollback");
      return undefined;
    case "railway":
      return sub === "up" || sub === "redeploy" ? cls("deploy", `railway ${sub}`) : undefined;
    case "heroku":
      if (sub === "container:release" || sub === "releases:rollback") {
        return cls(sub === "container:release" ? "deploy" : "rollback", `heroku ${sub}`);
      }
      return cls("infra", `heroku ${sub}`.trim());
    case "cf":
      return sub === "push" ? cls("deploy", "cf push") : undefined;
    case "doctl":
      return words[0] === "apps" && ["create-deployment", "update"].includes(words[1] ?? "") ? cls("deploy", `doctl apps ${words[1]}`) : cls("infra", `doctl ${sub}`.trim());
    case "nomad":
      return (sub === "job" && words[1] === "run") || sub === "run" ? cls("deploy", "nomad job run") : cls("infra", `nomad ${sub}`.trim());
    case "argocd":
      if (sub === "app" && words[1] === "sync") return cls("deploy", "argocd app sync");
      if (sub === "app" && words[1] === "rollback") return cls("rollback", "argocd app rollback");
      return cls("infra", `argocd ${sub}`.trim());
    case "skaffold":
      return sub === "run" || sub === "deploy" ? cls("deploy", `skaffold ${sub}`) : undefined;
    case "waypoint":
      return sub === "up" || sub === "deploy" ? cls("deploy", `waypoint ${sub}`) : undefined;
    case "kn":
      return sub === "service" && ["create", "update", "apply"].includes(words[1] ?? "") ? cls("deploy", `kn service ${words[1]}`) : undefined;
    case "ecs-deploy":
      return cls("deploy", "ecs-deploy");
    case "git":
      // `git push heroku main`, `git push dokku main`: pushing to a PaaS remote deploys
      if (sub === "push" && /^(heroku|dokku)\b|^dokku@|^ssh:\/\/dokku@|heroku\.com/.test(words[1] ?? "")) return cls("deploy", `git push ${words[1]}`);
      return undefined;
    case "docker":
    case "podman":
      return classifyDocker(program, args, words);
    case "docker-compose":
      return undefined; // local unless reached through ssh (handled there)
    case "rsync":
    case "scp":
      return words.slice(-1).some(isRemotePath) && !has("--dry-run", "-n") ? cls("transfer", `${program} to ${words[words.length - 1]}`) : undefined;
    case "ssh":
      return classifySsh(args, depth);
    case "psql": case "mysql": case "mariadb": case "sqlite3": case "mongo": case "mongosh": case "redis-cli": case "cqlsh":
    case "pg_dump": case "pg_dumpall": case "pg_restore": case "pg_basebackup": case "mysqldump": case "mariadb-dump":
    case "mongodump": case "mongorestore": case "flyway": case "liquibase": case "alembic": case "migrate": case "dbmate":
    case "goose": case "atlas":
      return cls("database", program);
    case "restic": case "borg": case "velero": case "pgbackrest": case "wal-g": case "barman":
      return cls("database", program);
    case "rails": case "rake":
      return words.some((w) => w.startsWith("db:")) ? cls("database", `${program} ${words.find((w) => w.startsWith("db:"))}`) : undefined;
    case "prisma":
      return sub === "migrate" || sub === "db" ? cls("database", `prisma ${sub}`) : undefined;
    default:
      return undefined;
  }
}

/** Runners that execute another command: `npx serverless deploy`, `bundle exec cap production deploy` … */
function unwrap(program: string, args: readonly string[]): string[] | undefined {
  const skipFlags = (rest: readonly string[]) => {
    let i = 0;
    while (i < rest.length && rest[i]!.startsWith("-")) i += rest[i] === "-p" || rest[i] === "--package" ? 2 : 1;
    return rest.slice(i);
  };
  if (program === "npx" || program === "bunx" || program === "pnpx") return nonEmpty(skipFlags(args));
  if ((program === "pnpm" || program === "yarn") && (args[0] === "exec" || args[0] === "dlx")) return nonEmpty(skipFlags(args.slice(1)));
  if (program === "bundle" && args[0] === "exec") return nonEmpty(args.slice(1));
  if ((program === "poetry" || program === "pipenv" || program === "uv") && args[0] === "run") return nonEmpty(args.slice(1));
  if ((program === "bash" || program === "sh") && args[0] === "-c" && args[1]) return innerFirst(args[1]);
  return undefined;
}

function nonEmpty(argv: string[]): string[] | undefined {
  return argv.length > 0 ? argv : undefined;
}

/** `bash -c "kubectl apply -f x"`: the first command of the inner text that classifies */
function innerFirst(word: string): string[] | undefined {
  const inner = parseShell(unquote(word));
  return inner.commands.find((c) => classifyCommand(c.argv))?.argv;
}

function classifyAws(words: string[]): CommandClass | undefined {
  const [service = "", op = ""] = words;
  const summary = `aws ${service} ${op}`.trim();
  const deploy =
    (service === "ecs" && ["update-service", "deploy", "create-service"].includes(op)) ||
    (service === "deploy" && op === "create-deployment") ||
    (service === "cloudformation" && ["deploy", "create-stack", "update-stack", "execute-change-set"].includes(op)) ||
    (service === "lambda" && ["update-function-code", "publish-layer-version"].includes(op)) ||
    (service === "elasticbeanstalk" && op === "update-environment") ||
    (service === "apprunner" && op === "start-deployment") ||
    (service === "amplify" && op === "start-deployment");
  if (deploy) return { kind: "deploy", summary };
  if (service === "rds" || service === "dynamodb") return { kind: "database", summary };
  return { kind: "infra", summary };
}

function classifyDocker(program: string, args: readonly string[], words: string[]): CommandClass | undefined {
  // `docker --context prod …` or `docker -H ssh://host …` runs on another machine
  const remote = args.some((a, i) => ((a === "--context" || a === "-c") && args[i + 1] && args[i + 1] !== "default") ||
    ((a === "-H" || a === "--host") && /^(ssh|tcp):\/\//.test(args[i + 1] ?? "")) || /^(--host|-H)=(ssh|tcp):\/\//.test(a) ||
    /^--context=(?!default$)/.test(a));
  const [sub = "", next = ""] = words;
  if (sub === "push") return { kind: "publish", summary: `${program} push` };
  if (sub === "stack" && next === "deploy") return { kind: "deploy", summary: `${program} stack deploy` };
  if (sub === "service" && (next === "update" || next === "create")) return { kind: "deploy", summary: `${program} service ${next}` };
  if (sub === "service" && next === "rollback") return { kind: "rollback", summary: `${program} service rollback` };
  if (remote && ((sub === "compose" && next === "up") || sub === "run")) return { kind: "deploy", summary: `${program} (remote) ${sub} ${next}`.trim() };
  return undefined;
}

const SSH_VALUE_FLAGS = ["-b", "-c", "-D", "-E", "-e", "-F", "-I", "-i", "-J", "-L", "-l", "-m", "-O", "-o", "-p", "-Q", "-R", "-S", "-W", "-w", "-B"];

/** `ssh host 'cd app && git pull && systemctl restart app'`: parse the remote command and judge it. */
function classifySsh(args: readonly string[], depth: number): CommandClass | undefined {
  let i = 0;
  while (i < args.length && args[i]!.startsWith("-")) i += SSH_VALUE_FLAGS.includes(args[i]!) ? 2 : 1;
  const remote = args.slice(i + 1).map(unquote).join(" ").trim();
  if (!remote) return undefined;
  const inner = parseShell(remote).commands;
  let fetches = false;
  let restart: string | undefined;
  for (const command of inner) {
    const found = classify(command.argv, depth + 1);
    if (found && (found.kind === "deploy" || found.kind === "rollback")) return { kind: found.kind, summary: `ssh: ${found.summary}` };
    const { program, args: a } = programOf(command.argv);
    const w = positionals(a, []);
    if ((program === "git" && ["pull", "fetch", "checkout", "reset"].includes(w[0] ?? "")) ||
      ((program === "docker" || program === "podman") && (w[0] === "pull" || (w[0] === "compose" && w[1] === "pull"))) ||
      (program === "docker-compose" && w[0] === "pull") || a.includes("--build") || a.includes("--pull")) fetches = true;
    restart ??= restartOf(program, w);
  }
  if (restart && fetches) return { kind: "deploy", summary: `ssh: fetch and ${restart}` };
  if (restart) return { kind: "remote-restart", summary: `ssh: ${restart}` };
  return undefined;
}

function restartOf(program: string, w: string[]): string | undefined {
  if (program === "systemctl" && ["restart", "reload", "start", "reload-or-restart", "try-restart"].includes(w[0] ?? "")) return `systemctl ${w[0]}`;
  if (program === "service" && ["restart", "reload", "start"].includes(w[1] ?? "")) return `service ${w[1]}`;
  if ((program === "docker" || program === "podman") && w[0] === "compose" && w[1] === "up") return "docker compose up";
  if (program === "docker-compose" && w[0] === "up") return "docker-compose up";
  if ((program === "docker" || program === "podman") && (w[0] === "run" || w[0] === "restart")) return `docker ${w[0]}`;
  if (program === "pm2" && ["reload", "restart", "start", "startOrReload", "startOrRestart"].includes(w[0] ?? "")) return `pm2 ${w[0]}`;
  if (program === "supervisorctl" && ["restart", "start", "update"].includes(w[0] ?? "")) return `supervisorctl ${w[0]}`;
  return undefined;
}

/** `user@host:path`, `host:path`, `rsync://…` — not a local path, not a Windows drive */
function isRemotePath(word: string): boolean {
  const w = unquote(word);
  return /^rsync:\/\//.test(w) || /^(?:[\w.-]+@)?(?:[\w.-]+|\[[0-9a-f:]+\]|\$\{?\w+\}?):/i.test(w) && !/^[A-Za-z]:[\\/]/.test(w);
}

/** Option flags that take a value, per program, so that `kubectl -n prod apply` finds `apply`. */
const VALUE_FLAGS: Record<string, string[]> = {
  kubectl: ["-n", "--namespace", "--context", "--kubeconfig", "--cluster", "--user", "-s", "--server", "--token", "-f", "--filename", "-k", "--kustomize", "-l", "--selector", "-o", "--output"],
  oc: ["-n", "--namespace", "--context", "--kubeconfig", "-f", "--filename", "-l", "--selector", "-o", "--output"],
  helm: ["-n", "--namespace", "--kube-context", "--kubeconfig", "-f", "--values", "--set", "--set-string", "--version", "--timeout", "-o", "--output"],
  helmfile: ["-f", "--file", "-e", "--environment", "-l", "--selector", "--kube-context"],
  terraform: ["-chdir"],
  aws: ["--region", "--profile", "--output", "--endpoint-url", "--cli-input-json", "--query"],
  gcloud: ["--project", "--region", "--zone", "--account", "--configuration", "--format"],
  az: ["--subscription", "-o", "--output", "--query"],
  fly: ["-a", "--app", "-c", "--config", "-r", "--region"],
  flyctl: ["-a", "--app", "-c", "--config", "-r", "--region"],
  serverless: ["--stage", "-s", "--region", "-r", "--config", "-c", "--aws-profile"],
  sls: ["--stage", "-s", "--region", "-r", "--config", "-c", "--aws-profile"],
  kamal: ["-d", "--destination", "-c", "--config-file", "-r", "--roles", "--hosts", "-h", "--version"],
  pulumi: ["-s", "--stack", "-C", "--cwd"],
  docker: ["--context", "-c", "-H", "--host", "-f", "--file", "-p", "--project-name", "--config", "--log-level", "--env-file", "--profile"],
  podman: ["--context", "-c", "-H", "--host", "-f", "--file", "-p", "--project-name"],
  git: ["-C", "-c"],
  vercel: ["--token", "-t", "--scope", "-S", "--cwd", "-A", "--local-config", "-e", "--env", "-b", "--build-env"],
  netlify: ["--dir", "-d", "--site", "-s", "--auth", "--message", "-m", "--alias", "--functions", "-f"],
  cap: [],
  argocd: ["--server", "--auth-token", "--grpc-web-root-path"],
  nomad: ["-address", "-region", "-namespace", "-token"],
  rsync: ["-e", "--rsh", "--exclude", "--include", "--exclude-from", "--include-from", "--filter", "-f", "--chown", "--chmod", "--port"],
  scp: ["-i", "-P", "-o", "-F", "-J", "-c", "-l", "-S"],
};

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
  if (word.length >= 2 && (word[0] === '"' || word[0] === "'") && word[word.length - 1] === word[0]) return word.slice(1, -1);
  return word;
}
