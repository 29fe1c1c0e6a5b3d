// Commands written in a document's code blocks, read with the shell parser, and what each does for a person who
// follows the document on a server. In a README, `docker compose up -d` or `sudo systemctl enable --now app` is how
// the product is installed: a deploy by hand. In a script the same commands only count over ssh or on a CI host
// (command-class.ts); in docs the section's heading says whether the machine is a server or a laptop (doc-topics.ts).

import { programOf } from "../../vocabulary/programs.js";
import { positionals, unquote, VALUE_FLAGS } from "../../vocabulary/words.js";
import { classifyCommand } from "../command-class.js";
import { parseShell } from "../shell-parse.js";

export type DocCommandKind =
  /** ships or starts the product where it runs: kubectl apply, helm install, docker compose up, systemctl enable … */
  | "deploy"
  /** publishes a package or an image: npm publish, twine upload, docker push */
  | "publish"
  /** builds, tests, installs dependencies or moves around: npm ci, cargo build, go test, git clone, cd */
  | "local"
  /** anything else (a project's own tool, an unknown program): it may deploy, so it never rules a section out */
  | "other";

export interface DocCommand {
  argv: string[];
  kind: DocCommandKind;
  /** for deploys: the tool and verb, e.g. "docker compose up" */
  summary?: string;
  /** compose up and stack deploy: the compose files named with -f/--file/-c/--compose-file (empty: the default) */
  composeFiles?: string[];
}

/** prompts that mark a console transcript's command lines: `$ cmd`, `❯ cmd`, `PS> cmd` (the rest is output) */
const PROMPT = /^\s*(?:\$|❯|PS>)\s+/;
/** `<your-domain>`, `<name>`: a placeholder, not a redirection (`<<EOF` stays a here-document) */
const PLACEHOLDER = /(?<!<)<[A-Za-z][\w.:/@-]*(?: [\w.:/@-]+){0,3}>/g;

/** The commands of one code block: a console transcript's prompted lines, or the whole block as a script. */
export function commandsOfBlock(text: string): string[][] {
  const lines = text.slice(0, 10_000).split("\n");
  let script: string;
  if (lines.some((l) => PROMPT.test(l))) {
    const kept: string[] = [];
    let continued = false;
    for (const line of lines) {
      if (PROMPT.test(line)) kept.push(line.replace(PROMPT, ""));
      else if (continued) kept.push(line);
      else kept.push(""); // output: keep the line count
      continued = /\\\s*$/.test(kept[kept.length - 1]!);
    }
    script = kept.join("\n");
  } else script = text.slice(0, 10_000);
  script = script.replace(PLACEHOLDER, "PLACEHOLDER");
  const whole = parseShell(script);
  if (!whole.error) return whole.commands.map((c) => c.argv);
  // a block that does not parse as a whole (a stray `>`, prose between commands): line by line
  const out: string[][] = [];
  for (const line of logicalLines(script)) {
    const parsed = parseShell(line);
    if (!parsed.error) out.push(...parsed.commands.map((c) => c.argv));
  }
  return out;
}

function logicalLines(script: string): string[] {
  const out: string[] = [];
  let current = "";
  for (const line of script.split("\n")) {
    if (/\\\s*$/.test(line)) current += `${line.replace(/\\\s*$/, "")} `;
    else {
      out.push(current + line);
      current = "";
    }
  }
  if (current) out.push(current);
  return out.filter((l) => l.trim() !== "" && !l.trimStart().startsWith("#"));
}

/** programs and verbs that only build, test, fetch or move around on the reader's machine */
const LOCAL_PROGRAMS = new Set([
  "cd",
  "ls",
  "cat",
  "echo",
  "printf",
  "export",
  "source",
  ".",
  "mkdir",
  "cp",
  "mv",
  "rm",
  "touch",
  "chmod",
  "chown",
  "ln",
  "tar",
  "unzip",
  "curl",
  "wget",
  "git",
  "npm",
  "npx",
  "yarn",
  "pnpm",
  "bun",
  "node",
  "deno",
  "cargo",
  "rustup",
  "go",
  "mvn",
  "gradle",
  "gradlew",
  "pip",
  "pip3",
  "pipx",
  "poetry",
  "uv",
  "python",
  "python3",
  "ruby",
  "bundle",
  "gem",
  "rake",
  "composer",
  "php",
  "dotnet",
  "make",
  "cmake",
  "tsc",
  "brew",
  "apt",
  "apt-get",
  "dnf",
  "yum",
  "apk",
  "pacman",
  "nix",
  "sed",
  "grep",
  "openssl",
  "ssh-keygen",
  "pytest",
  "jest",
  "vitest",
  "tox",
  "pre-commit",
]);

/** What one command does when a person runs it from a document. */
export function docCommand(argv: readonly string[]): DocCommand {
  const { program: invoked, args } = programOf(argv);
  const program = invoked.replace(/\.(exe|cmd)$/, "");
  const cls = classifyCommand(argv);
  const start = startsService(program, args);
  const summary = cls?.kind === "deploy" ? cls.summary : start;
  if (summary) {
    const stack = /^(docker|podman) stack deploy$/.test(summary);
    const files = stack || /compose up$/.test(summary) ? composeFilesOf(args, stack) : undefined;
    return { argv: [...argv], kind: "deploy", summary, ...(files ? { composeFiles: files } : {}) };
  }
  if (cls?.kind === "publish") return { argv: [...argv], kind: "publish", summary: cls.summary };
  if (cls?.kind === "test") return { argv: [...argv], kind: "local" };
  if (program === "docker" || program === "podman") {
    const sub = positionals(args, VALUE_FLAGS.docker ?? [])[0];
    return { argv: [...argv], kind: sub === "build" || sub === "login" || sub === "pull" ? "local" : "other" };
  }
  if (program === "python" || program === "python3") {
    // `python setup.py sdist upload` publishes; other setup.py / -m build runs are local
    const words = args.filter((a) => !a.startsWith("-"));
    if (words[0] === "setup.py" && words.includes("upload"))
      return { argv: [...argv], kind: "publish", summary: "setup.py upload" };
    return { argv: [...argv], kind: words[0] === "setup.py" || args[0] === "-m" ? "local" : "other" };
  }
  if (program === "cargo" && args[0] === "publish")
    return { argv: [...argv], kind: "publish", summary: "cargo publish" };
  if (program === "gem" && args[0] === "push") return { argv: [...argv], kind: "publish", summary: "gem push" };
  if ((program === "make" || program === "just" || program === "task") && runnerDeploys(args))
    return { argv: [...argv], kind: "deploy", summary: `${program} ${args.filter((a) => !a.startsWith("-"))[0]}` };
  if (program === "mise" && args[0] === "run" && runnerDeploys(args.slice(1)))
    return { argv: [...argv], kind: "deploy", summary: `mise run ${args[1]}` };
  if (program === "npx" || program === "make" || program === "just" || program === "task")
    return { argv: [...argv], kind: program === "make" ? "local" : "other" };
  if (LOCAL_PROGRAMS.has(program)) return { argv: [...argv], kind: "local" };
  const script = localScript(program, argv[argv.length - args.length - 1] ?? invoked, args);
  if (script) return { argv: [...argv], kind: "deploy", summary: script };
  return { argv: [...argv], kind: "other" };
}

/**
 * A service started where the reader runs it: `docker compose up` (detached or not: the heading says whether this
 * machine is a server), `docker run -d`/`--restart`, `systemctl enable|start`, `pm2 start`, `flux bootstrap`,
 * `bootc switch`.
 */
function startsService(program: string, args: readonly string[]): string | undefined {
  const words = positionals(args, VALUE_FLAGS[program] ?? []);
  const composeWords =
    program === "docker-compose" || program === "podman-compose"
      ? positionals(args, VALUE_FLAGS.compose ?? [])
      : (program === "docker" || program === "podman") && words[0] === "compose"
        ? positionals(args.slice(args.indexOf("compose") + 1), VALUE_FLAGS.compose ?? [])
        : undefined;
  if (composeWords?.[0] === "up") return `${program === "docker-compose" ? "docker-compose" : `${program} compose`} up`;
  if ((program === "docker" || program === "podman") && words[0] === "run") {
    const background = args.some(
      (a) => a === "-d" || a === "--detach" || a.startsWith("--restart") || /^-[a-zA-Z]*d[a-zA-Z]*$/.test(a),
    );
    return background ? `${program} run -d` : undefined;
  }
  if (program === "systemctl" && ["enable", "start", "restart"].includes(words[0] ?? ""))
    return `systemctl ${words[0]}`;
  if (program === "pm2" && ["start", "startOrReload", "startOrRestart"].includes(words[0] ?? "")) return "pm2 start";
  if (program === "flux" && (words[0] === "bootstrap" || words[0] === "install")) return `flux ${words[0]}`;
  if (program === "bootc" && (words[0] === "switch" || words[0] === "install")) return `bootc ${words[0]}`;
  return undefined;
}

/** `-f a.yml -f b.yml`, `--file=a.yml`, and for `docker stack deploy` also `-c`/`--compose-file` */
function composeFilesOf(args: readonly string[], stack: boolean): string[] {
  const flags = stack ? ["-c", "--compose-file"] : ["-f", "--file"];
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const eq = flags.find((f) => a.startsWith(`${f}=`));
    if (flags.includes(a) && args[i + 1]) files.push(unquote(args[++i]!));
    else if (eq) files.push(unquote(a.slice(eq.length + 1)));
  }
  return files;
}

/** a task runner's target that deploys by its name: `make deploy`, `just bootstrap cluster`, `task tf:apply` */
function runnerDeploys(args: readonly string[]): boolean {
  return args
    .filter((a) => !a.startsWith("-") && !a.includes("="))
    .slice(0, 3)
    .some((w) =>
      /(^|[-_:.])(deploy|bootstrap|apply|provision|rollout|ansible|helmfile|terragrunt|tg|kube|k8s|cluster)([-_:.]|$)/i.test(
        w,
      ),
    );
}

/**
 * The repository's own installer or launcher, run from a checkout: `./launcher rebuild app`, `sudo bash
 * basic-install.sh`, `./discourse-setup`, `./scripts/deploy.sh prod`. A script piped from the internet
 * (`curl … | bash`) is not the repository's and is not read here.
 */
function localScript(program: string, invoked: string, args: readonly string[]): string | undefined {
  let path = invoked;
  if (program === "bash" || program === "sh" || program === "zsh") {
    const file = args.find((a) => !a.startsWith("-"));
    if (!file || !/\.(sh|bash)$/.test(file)) return undefined;
    path = unquote(file);
  } else if (!path.startsWith("./") && !/^[\w-]+\/[\w./-]+$/.test(path)) return undefined;
  const name = path.slice(path.lastIndexOf("/") + 1).replace(/\.(sh|bash)$/, "");
  const verb = positionals(args, [])[0] ?? "";
  if (/^(rebuild|bootstrap|deploy|upgrade|install)$/.test(verb)) return `${path} ${verb}`;
  if (
    /(^|[-_.])(install|setup|deploy|launcher|launch|bootstrap|provision|upgrade|update|init|stack)([-_.]|$)/i.test(name)
  )
    return path;
  return undefined;
}
