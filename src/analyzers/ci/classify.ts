// What a CI command or action does, read from its parsed words: deploy, publish a release, or run tests.
// Each rule knows the tool's verbs and the flags that make it a no-op (`--dry-run`, `--check`, `-DskipTests` …).
// An image push alone (`docker push`) is neither: it ships an artifact that something else must deploy.
import { parseShell, programOf } from "../shell-parse.js";

export type ActionKind = "deploy" | "publish" | "test";
export interface Classified {
  kind: ActionKind;
  what: string;
}

const deploy = (what: string): Classified => ({ kind: "deploy", what });
const publish = (what: string): Classified => ({ kind: "publish", what });
const test = (what: string): Classified => ({ kind: "test", what });

/** Runners that execute another program: `npx jest`, `bundle exec rspec`, `poetry run pytest`, `python -m pytest`. */
function unwrap(argv: readonly string[]): { program: string; args: string[] } {
  let { program, args } = programOf(argv);
  for (let guard = 0; guard < 4; guard++) {
    const positional = args.filter((a) => !a.startsWith("-"));
    if (["npx", "bunx", "pnpx"].includes(program) || (program === "pnpm" && args[0] === "dlx") || (program === "yarn" && args[0] === "dlx")) {
      const rest = args.slice(args[0] === "dlx" ? 1 : 0).filter((a) => !a.startsWith("-"));
      if (rest.length === 0) break;
      ({ program, args } = programOf(args.slice(args.indexOf(rest[0]!))));
    } else if ((program === "bundle" || program === "poetry" || program === "pipenv" || program === "uv" || program === "hatch" || program === "pdm") && (positional[0] === "exec" || positional[0] === "run")) {
      ({ program, args } = programOf(args.slice(args.indexOf(positional[0]) + 1)));
    } else if (/^python[0-9.]*$/.test(program) && args[0] === "-m" && args[1]) {
      ({ program, args } = { program: args[1], args: args.slice(2) });
    } else break;
  }
  return { program: program.replace(/\.(exe|cmd|sh)$/, ""), args };
}

const hasFlag = (args: readonly string[], ...flags: string[]) =>
  args.some((a) => flags.some((f) => a === f || a.startsWith(`${f}=`)));
/** `--dry-run` in any form except kubectl's explicit `--dry-run=none`, which really applies. */
const dryRun = (args: readonly string[]) => args.some((a) => a === "--dry-run" || (a.startsWith("--dry-run=") && a !== "--dry-run=none"));
const verbs = (args: readonly string[]) => args.filter((a) => !a.startsWith("-"));
const leads = (args: readonly string[], ...seq: string[]) => {
  const words = verbs(args).slice(0, seq.length + 2);
  const at = words.indexOf(seq[0]!);
  return at >= 0 && seq.every((s, i) => words[at + i] === s);
};

/** Classifies one simple command. `remote` is set for commands that run on a server over ssh. */
export function classifyCommand(argv: readonly string[], remote = false): Classified | undefined {
  const { program, args } = unwrap(argv);
  const words = verbs(args);
  const first = words[0];
  switch (program) {
    case "kubectl":
    case "oc":
      if (dryRun(args)) return undefined;
      if (leads(args, "apply") || leads(args, "replace") || (leads(args, "create") && hasFlag(args, "-f", "--filename", "-k"))) return deploy(`${program} ${first === "create" ? "create" : "apply"}`);
      if (leads(args, "set", "image") || leads(args, "rollout", "restart")) return deploy(`${program} ${words.slice(0, 2).join(" ")}`);
      return undefined;
    case "helm":
      if (dryRun(args) || hasFlag(args, "--help", "-h")) return undefined;
      if (first === "upgrade" || first === "install") return deploy(`helm ${first}${hasFlag(args, "--install", "-i") ? " --install" : ""}`);
      if (first === "push") return publish("helm push");
      return undefined;
    case "helmfile":
      return words.some((w) => w === "apply" || w === "sync" || w === "deploy") && !dryRun(args) ? deploy("helmfile apply") : undefined;
    case "terraform":
    case "tofu":
    case "terragrunt":
      if (hasFlag(args, "-destroy", "-help", "--help")) return undefined;
      return words.slice(0, 2).includes("apply") ? deploy(`${program} apply`) : undefined;
    case "pulumi":
      return first === "up" || first === "update" ? deploy("pulumi up") : undefined;
    case "cdk":
      return first === "deploy" ? deploy("cdk deploy") : undefined;
    case "sam":
      return first === "deploy" && !hasFlag(args, "--no-execute-changeset") ? deploy("sam deploy") : undefined;
    case "serverless":
    case "sls":
      return first === "deploy" && !hasFlag(args, "--noDeploy", "--package") ? deploy(`${program} deploy`) : undefined;
    case "flyctl":
    case "fly":
      return first === "deploy" && !hasFlag(args, "--build-only") ? deploy(`${program} deploy`) : undefined;
    case "gcloud":
      if (words.slice(0, 3).includes("deploy") || leads(args, "deploy", "releases", "create") || leads(args, "run", "services", "replace")) {
        return deploy(`gcloud ${words.slice(0, 3).join(" ")}`);
      }
      return undefined;
    case "aws":
      return awsCommand(words, args);
    case "eb":
      return first === "deploy" ? deploy("eb deploy") : undefined;
    case "az":
      if ((first === "webapp" || first === "functionapp") && (words[1] === "deploy" || words[1] === "up" || words[1] === "deployment")) return deploy(`az ${first} ${words[1]}`);
      if (first === "containerapp" && (words[1] === "update" || words[1] === "up")) return deploy(`az containerapp ${words[1]}`);
      if (words.slice(0, 3).includes("deployment") && words.includes("create") && !words.includes("what-if")) return deploy("az deployment create");
      return undefined;
    case "func":
      return leads(args, "azure", "functionapp", "publish") ? deploy("func azure functionapp publish") : undefined;
    case "heroku":
      return first === "container:release" ? deploy("heroku container:release") : undefined;
    case "git":
      return first === "push" && words[1] !== undefined && /^(heroku|dokku|production|prod|live|deploy)$|heroku\.com|dokku@/.test(words[1])
        ? deploy(`git push ${words[1]}`) : undefined;
    case "vercel":
      return (first === "deploy" || hasFlag(args, "--prod")) && !leads(args, "build") ? deploy("vercel deploy") : undefined;
    case "netlify":
      return first === "deploy" ? deploy("netlify deploy") : undefined;
    case "wrangler":
      return first === "deploy" || first === "publish" || leads(args, "pages", "deploy") ? deploy(`wrangler ${first === "pages" ? "pages deploy" : first}`) : undefined;
    case "firebase":
      return first === "deploy" ? deploy("firebase deploy") : undefined;
    case "kamal":
      return first === "deploy" || first === "redeploy" ? deploy(`kamal ${first}`) : undefined;
    case "cap":
    case "mina":
      return words.includes("deploy") ? deploy(`${program} deploy`) : undefined;
    case "ansible-playbook":
      return hasFlag(args, "--check", "-C", "--syntax-check", "--list-tasks") ? undefined : deploy("ansible-playbook");
    case "skaffold":
      return first === "run" || first === "deploy" ? deploy(`skaffold ${first}`) : undefined;
    case "argocd":
      return leads(args, "app", "sync") ? deploy("argocd app sync") : undefined;
    case "nomad":
      return leads(args, "job", "run") || first === "run" ? deploy("nomad job run") : undefined;
    case "copilot":
      return words.slice(0, 2).includes("deploy") ? deploy("copilot deploy") : undefined;
    case "railway":
      return first === "up" ? deploy("railway up") : undefined;
    case "dpl":
      return deploy("dpl");
    case "ecs-deploy":
      return deploy("ecs-deploy");
    case "docker": {
      if (leads(args, "stack", "deploy")) return deploy("docker stack deploy");
      if (remote && (leads(args, "compose", "up") || leads(args, "service", "update"))) return deploy(`docker ${words.slice(0, 2).join(" ")} (over ssh)`);
      // `docker --context prod run …`, `docker -H ssh://host compose up`: the engine is on another machine
      const engine = remoteEngine(args);
      if (engine) {
        const rest = verbs(args.filter((_, i) => i !== engine.valueAt));
        if (rest[0] === "run" || (rest[0] === "compose" && rest.includes("up"))) return deploy(`docker ${rest[0] === "run" ? "run" : "compose up"} on ${engine.what}`);
      }
      return undefined;
    }
    case "docker-compose":
      return remote && first === "up" ? deploy("docker-compose up (over ssh)") : undefined;
    case "pm2":
      return remote && (first === "reload" || first === "restart" || first === "startOrReload") ? deploy(`pm2 ${first} (over ssh)`) : undefined;
    case "systemctl":
      return remote && (first === "restart" || first === "reload") ? deploy(`systemctl ${first} (over ssh)`) : undefined;
    case "ssh":
      return sshCommand(args);
    default:
      return publishCommand(program, args, words) ?? testCommand(program, args, words);
  }
}

function awsCommand(words: string[], args: string[]): Classified | undefined {
  const [service, op] = words;
  const ops: Record<string, string[]> = {
    ecs: ["update-service", "deploy"],
    cloudformation: ["deploy", "create-stack", "update-stack", "execute-change-set"],
    lambda: ["update-function-code"],
    deploy: ["create-deployment"],
    elasticbeanstalk: ["update-environment"],
    apprunner: ["start-deployment", "update-service"],
  };
  if (!service || !op || !ops[service]?.includes(op)) return undefined;
  if (op === "deploy" && service === "cloudformation" && hasFlag(args, "--no-execute-changeset")) return undefined;
  return deploy(`aws ${service} ${op}`);
}

/** The Docker engine a command talks to, when it is another machine's: `--context prod`, `-H ssh://host`. */
function remoteEngine(args: readonly string[]): { what: string; valueAt?: number } | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const [flag, inline] = a.startsWith("--") && a.includes("=") ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] : [a, undefined];
    if (flag !== "--context" && flag !== "-c" && flag !== "--host" && flag !== "-H") continue;
    const value = unquote(inline ?? args[i + 1] ?? "");
    const remote = flag === "--context" || flag === "-c" ? value !== "" && value !== "default" : /^(ssh|tcp):\/\//.test(value);
    return remote ? { what: `${flag === "--context" || flag === "-c" ? "context" : "host"} ${value}`, valueAt: inline === undefined ? i + 1 : undefined } : undefined;
  }
  return undefined;
}

/** `ssh host 'cd app && docker compose up -d'`: the remote command is shell too. */
function sshCommand(args: string[]): Classified | undefined {
  const valued = new Set(["-i", "-p", "-o", "-l", "-F", "-J", "-L", "-R", "-D", "-e", "-c", "-m", "-b", "-S", "-W", "-w", "-E", "-O", "-Q", "-B", "-I"]);
  let i = 0;
  while (i < args.length && args[i]!.startsWith("-")) i += valued.has(args[i]!) ? 2 : 1;
  const remote = args.slice(i + 1).map(unquote).join(" ");
  return remote ? classifyRemote(remote) : undefined;
}

/** Classifies a script that runs on a server (ssh, an ssh action's `script`). */
export function classifyRemote(script: string): Classified | undefined {
  for (const command of parseShell(script).commands) {
    const found = classifyCommand(command.argv, true);
    if (found?.kind === "deploy") return found;
  }
  return undefined;
}

function unquote(word: string): string {
  if (word.length >= 2 && (word[0] === "'" || word[0] === '"') && word.at(-1) === word[0]) return word.slice(1, -1);
  return word;
}

function publishCommand(program: string, args: string[], words: string[]): Classified | undefined {
  const first = words[0];
  if (["npm", "pnpm", "yarn", "bun"].includes(program)) {
    const publishes = first === "publish" || (program === "yarn" && words[0] === "npm" && words[1] === "publish");
    return publishes && !dryRun(args) ? publish(`${program} publish`) : undefined;
  }
  switch (program) {
    case "semantic-release":
      return hasFlag(args, "--dry-run", "-d") ? undefined : publish("semantic-release");
    case "changeset":
      return first === "publish" ? publish("changeset publish") : undefined;
    case "lerna":
      return first === "publish" ? publish("lerna publish") : undefined;
    case "cargo":
      return first === "publish" && !dryRun(args) ? publish("cargo publish") : undefined;
    case "twine":
      return first === "upload" ? publish("twine upload") : undefined;
    case "poetry":
    case "uv":
    case "flit":
    case "hatch":
    case "pdm":
      return first === "publish" && !dryRun(args) ? publish(`${program} publish`) : undefined;
    case "gem":
      return first === "push" ? publish("gem push") : undefined;
    case "mvn":
    case "mvnw":
      return words.includes("deploy") && !args.some((a) => /^-Dmaven\.deploy\.skip=true$/.test(a)) ? publish("mvn deploy") : undefined;
    case "gradle":
    case "gradlew":
      return words.some((w) => /^publish/.test(w) || w === "uploadArchives") ? publish(`${program} publish`) : undefined;
    case "goreleaser":
      return (first === "release" || first === undefined) && !hasFlag(args, "--snapshot", "--skip-publish") && !args.some((a) => /^--skip=.*publish/.test(a))
        ? publish("goreleaser release") : undefined;
    case "gh":
      return words[0] === "release" && words[1] === "create" && !hasFlag(args, "--draft", "-d") ? publish("gh release create") : undefined;
    case "dotnet":
      return words[0] === "nuget" && words[1] === "push" ? publish("dotnet nuget push") : undefined;
    case "nuget":
      return first === "push" ? publish("nuget push") : undefined;
    case "vsce":
    case "ovsx":
      return first === "publish" ? publish(`${program} publish`) : undefined;
    default:
      return undefined;
  }
}

function testCommand(program: string, args: string[], words: string[]): Classified | undefined {
  const first = words[0];
  const named = (what = `${program} ${first ?? ""}`.trim()) => test(what);
  if (["npm", "pnpm", "yarn", "bun"].includes(program)) {
    if (first === "test" || first === "t" || first === "tst") return named(`${program} test`);
    if ((first === "run" || first === "run-script") && words[1] && /^(test|e2e|spec|cypress)/.test(words[1])) return named(`${program} run ${words[1]}`);
    if (program !== "npm" && words[0] && /^test[:-]/.test(words[0])) return named(`${program} ${words[0]}`);
    return undefined;
  }
  switch (program) {
    case "jest": case "mocha": case "ava": case "karma": case "tap": case "rspec": case "phpunit": case "pest":
    case "pytest": case "py.test": case "unittest": case "nose2": case "tox": case "nox": case "behave": case "cucumber":
    case "gotestsum": case "ctest":
      return hasFlag(args, "--version", "--help", "--collect-only", "--co", "--listTests", "--list") ? undefined : named(program);
    case "vitest":
      return (first === undefined || first === "run") && !hasFlag(args, "--version", "-v", "--help", "-h") ? named("vitest") : undefined;
    case "playwright":
    case "cypress":
      return first === "test" || first === "run" ? named(`${program} ${first}`) : undefined;
    case "go":
      return first === "test" ? named("go test") : undefined;
    case "cargo":
      return first === "test" || first === "nextest" ? named(`cargo ${first}`) : undefined;
    case "mvn":
    case "mvnw":
      if (args.some((a) => /^-D(skipTests|maven\.test\.skip)(=true)?$/.test(a))) return undefined;
      return words.some((w) => ["test", "verify", "install", "package", "integration-test"].includes(w)) ? named(`mvn ${words.find((w) => ["test", "verify", "install", "package", "integration-test"].includes(w))}`) : undefined;
    case "gradle":
    case "gradlew":
      if (args.some((a, i) => (a === "-x" || a === "--exclude-task") && /test/i.test(args[i + 1] ?? ""))) return undefined;
      return words.some((w) => /^(test|check|build|[a-zA-Z]*Test)$/.test(w)) ? named(`${program} ${words.find((w) => /test|check|build/i.test(w))}`) : undefined;
    case "make":
    case "just":
    case "task":
      return words.some((w) => /^(test|tests|check|test-.*|.*-test)$/.test(w)) ? named(`${program} ${words.find((w) => /test|check/.test(w))}`) : undefined;
    case "dotnet": case "swift": case "deno": case "bazel": case "bazelisk": case "flutter": case "dart": case "mix":
    case "sbt": case "lein": case "stack": case "cabal": case "composer": case "rake": case "turbo": case "nx": case "zig":
      return words.slice(0, 3).some((w) => w === "test" || w === "spec" || w === "tests") ? named(`${program} test`) : undefined;
    default:
      return undefined;
  }
}

/** Known actions, orbs, pipes and tasks (lower-case, without version), and the inputs that decide. */
export function classifyAction(uses: string, inputs: Record<string, string> = {}): Classified | undefined {
  const name = uses.toLowerCase().replace(/^docker:\/\//, "").replace(/@.*$/, "").replace(/:[^/]*$/, "");
  const input = (key: string) => (inputs[key] ?? "").toLowerCase();
  const exact: Record<string, () => Classified | undefined> = {
    "azure/webapps-deploy": () => deploy(name),
    "azure/k8s-deploy": () => (input("action") === "reject" ? undefined : deploy(name)),
    "azure/functions-action": () => deploy(name),
    "azure/container-apps-deploy-action": () => deploy(name),
    "azure/arm-deploy": () => (input("deploymentmode") === "validate" ? undefined : deploy(name)),
    "aws-actions/amazon-ecs-deploy-task-definition": () => deploy(name),
    "aws-actions/aws-cloudformation-github-deploy": () => (input("no-execute-changeset") === "1" || input("no-execute-changeset") === "true" ? undefined : deploy(name)),
    "google-github-actions/deploy-cloudrun": () => deploy(name),
    "google-github-actions/deploy-appengine": () => deploy(name),
    "google-github-actions/deploy-cloud-functions": () => deploy(name),
    "google-github-actions/deploy-gke": () => deploy(name),
    "actions/deploy-pages": () => deploy(name),
    "peaceiris/actions-gh-pages": () => deploy(name),
    "jamesives/github-pages-deploy-action": () => deploy(name),
    "cloudflare/wrangler-action": () => (!input("command") || /^(deploy|publish|pages deploy)/.test(input("command")) ? deploy(name) : undefined),
    "cloudflare/pages-action": () => deploy(name),
    "amondnet/vercel-action": () => deploy(name),
    "nwtgck/actions-netlify": () => deploy(name),
    "akhileshns/heroku-deploy": () => deploy(name),
    "superfly/flyctl-actions": () => (/\bdeploy\b/.test(input("args")) ? deploy(name) : undefined),
    "pulumi/actions": () => (input("command") === "up" || input("command") === "update" ? deploy(name) : undefined),
    "digitalocean/app_action": () => deploy(name),
    "softprops/action-gh-release": () => (input("draft") === "true" ? undefined : publish(name)),
    "ncipollo/release-action": () => (input("draft") === "true" ? undefined : publish(name)),
    "pypa/gh-action-pypi-publish": () => publish(name),
    "js-devtools/npm-publish": () => (input("dry-run") === "true" ? undefined : publish(name)),
    "changesets/action": () => (input("publish") ? publish(name) : undefined),
    "goreleaser/goreleaser-action": () => (/\brelease\b/.test(input("args")) && !/--snapshot|--skip[=-]publish/.test(input("args")) ? publish(name) : undefined),
    "cypress-io/github-action": () => (input("runtests") === "false" ? undefined : test(name)),
  };
  const rule = exact[name];
  if (rule) return rule();
  // CircleCI orb commands/jobs (`aws-ecs/deploy-service-update`) and Bitbucket pipes (`atlassian/aws-ecs-deploy`)
  const command = name.slice(name.lastIndexOf("/") + 1);
  if (name.includes("/") && /^deploy([-_]|$)|[-_]deploy([-_]|$)/.test(command)) return deploy(name);
  if (name.includes("/") && /^(test|run-tests)$/.test(command)) return test(name);
  return undefined;
}
