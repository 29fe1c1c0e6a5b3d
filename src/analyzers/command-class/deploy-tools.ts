// Deploy tools: Kubernetes, infrastructure as code, clouds and platforms. Each knows its verbs that ship,
// roll back, or only look (`plan`, `get`, a dry run), and the flags that make a deploy a no-op.

import { hasFlag, isDryRun, isHelp } from "../../vocabulary/words.js";
import type { CommandClass, CommandKind } from "../command-class.js";

const cls = (kind: CommandKind, summary: string, detail?: string): CommandClass =>
  detail ? { kind, summary, detail } : { kind, summary };
const infra = (...words: (string | undefined)[]) => cls("infra", words.filter(Boolean).join(" "));

/** `program` with its `args` and their non-flag `words`. */
export function classifyDeployTool(
  program: string,
  args: readonly string[],
  words: readonly string[],
): CommandClass | undefined {
  const sub = words[0] ?? "";
  const has = (...flags: string[]) => hasFlag(args, ...flags);
  switch (program) {
    case "kubectl":
    case "oc": {
      if (isDryRun(args)) return infra(program, sub);
      if (sub === "rollout" && words[1] === "undo") return cls("rollback", `${program} rollout undo`);
      if (
        ["apply", "replace", "patch"].includes(sub) ||
        (sub === "create" && has("-f", "--filename", "-k", "--kustomize"))
      )
        return cls("deploy", `${program} ${sub}`);
      if ((sub === "set" && words[1] === "image") || (sub === "rollout" && words[1] === "restart"))
        return cls("deploy", `${program} ${sub} ${words[1]}`);
      return infra(program, sub);
    }
    case "helm":
      if (isDryRun(args) || isHelp(args)) return infra("helm", sub);
      if (sub === "rollback") return cls("rollback", "helm rollback");
      if (sub === "upgrade" || sub === "install")
        return cls("deploy", `helm ${sub}`, has("--install", "-i") ? "--install" : undefined);
      if (sub === "push") return cls("publish", "helm push");
      return infra("helm", sub);
    case "helmfile":
      return ["apply", "sync", "deploy"].includes(sub) && !isDryRun(args)
        ? cls("deploy", `helmfile ${sub}`)
        : infra("helmfile", sub);
    case "terraform":
    case "tofu":
    case "terragrunt": {
      // Terragrunt: `run-all apply`, `apply-all`, and the newer `run --all apply`, `run -- apply`, `stack run apply`
      const verb =
        program !== "terragrunt"
          ? sub
          : sub === "run-all" || sub === "run"
            ? words[1]
            : sub === "stack" && words[1] === "run"
              ? words[2]
              : sub === "apply-all"
                ? "apply"
                : sub;
      return verb === "apply" && !has("-help", "--help", "-destroy")
        ? cls("deploy", `${program} apply`)
        : infra(program, sub);
    }
    case "pulumi":
      if (sub === "up" || sub === "update")
        return has("--preview-only") ? infra("pulumi up --preview-only") : cls("deploy", "pulumi up");
      return infra("pulumi", sub);
    case "cdk":
    case "cdktf":
      return sub === "deploy" ? cls("deploy", `${program} deploy`) : infra(program, sub);
    case "sam":
      return (sub === "deploy" && !has("--no-execute-changeset")) || sub === "sync"
        ? cls("deploy", `sam ${sub}`)
        : infra("sam", sub);
    case "serverless":
    case "sls":
      if (sub === "deploy" && !has("--noDeploy", "--package")) return cls("deploy", `${program} deploy`);
      if (sub === "rollback") return cls("rollback", `${program} rollback`);
      return infra(program, sub);
    case "fly":
    case "flyctl":
      if (sub === "deploy" && !has("--build-only")) return cls("deploy", `${program} deploy`);
      if (sub === "releases" && words[1] === "rollback") return cls("rollback", `${program} releases rollback`);
      return infra(program, sub);
    case "gcloud":
      return gcloud(words.slice(0, 5));
    case "gke-deploy":
      // Cloud Build's GKE deployer: `run` (prepare + apply) and `apply` ship; `prepare` only renders
      return sub === "run" || sub === "apply" ? cls("deploy", `gke-deploy ${sub}`) : infra("gke-deploy", sub);
    case "aws":
      return aws(words, args);
    case "az":
      return az(words.slice(0, 4));
    case "azd":
      // Azure Developer CLI: `up` provisions and deploys, `provision` applies the Bicep/Terraform, `deploy` ships
      if (hasFlag(args, "--preview", "--help", "-h")) return infra("azd", sub);
      return ["up", "deploy", "provision"].includes(sub) ? cls("deploy", `azd ${sub}`) : infra("azd", sub);
    case "func":
      return sub === "azure" && words.includes("publish") ? cls("deploy", "func azure functionapp publish") : undefined;
    case "eb":
      return sub === "deploy" ? cls("deploy", "eb deploy") : infra("eb", sub);
    case "copilot":
      return words.slice(0, 2).includes("deploy")
        ? cls("deploy", `copilot ${words.slice(0, 2).join(" ")}`)
        : infra("copilot", sub);
    case "kamal":
    case "mrsk":
      if (["deploy", "redeploy", "setup"].includes(sub)) return cls("deploy", `${program} ${sub}`);
      if (sub === "rollback") return cls("rollback", `${program} rollback`);
      return infra(program, sub);
    case "ansible-playbook":
      if (has("--check", "-C", "--syntax-check", "--list-hosts", "--list-tasks", "--list-tags"))
        return infra("ansible-playbook --check");
      return cls("deploy", "ansible-playbook");
    case "ansible":
      return infra("ansible");
    case "cap":
    case "mina":
    case "dep":
    case "fab":
    case "shipit":
      // Capistrano `cap production deploy`, Mina/Deployer `deploy`, a Fabric task named deploy, Shipit
      // `shipit staging deploy`; `deploy:rollback` first
      if (words.some((w) => w === "rollback" || w === "deploy:rollback")) return cls("rollback", `${program} rollback`);
      if (words.some((w) => /^deploy(:|$)/.test(w))) return cls("deploy", `${program} deploy`);
      return undefined;
    case "vercel":
      return vercel(args, words);
    case "netlify":
    case "ntl":
      return sub === "deploy" ? cls("deploy", "netlify deploy") : undefined;
    case "firebase":
      return sub === "deploy" ? cls("deploy", "firebase deploy") : undefined;
    case "wrangler":
      if (isDryRun(args)) return undefined;
      if (sub === "deploy" || sub === "publish") return cls("deploy", `wrangler ${sub}`);
      if (sub === "pages" && words[1] === "deploy") return cls("deploy", "wrangler pages deploy");
      if (sub === "rollback") return cls("rollback", "wrangler rollback");
      return undefined;
    case "railway":
      return sub === "up" || sub === "redeploy" ? cls("deploy", `railway ${sub}`) : undefined;
    case "heroku":
      if (sub === "container:release") return cls("deploy", "heroku container:release");
      if (sub === "releases:rollback") return cls("rollback", "heroku releases:rollback");
      return infra("heroku", sub);
    case "cf":
      return sub === "push" ? cls("deploy", "cf push") : undefined;
    case "doctl":
      return sub === "apps" && ["create-deployment", "update"].includes(words[1] ?? "")
        ? cls("deploy", `doctl apps ${words[1]}`)
        : infra("doctl", sub);
    case "nomad":
      return (sub === "job" && words[1] === "run") || sub === "run"
        ? cls("deploy", "nomad job run")
        : infra("nomad", sub);
    case "argocd":
      if (sub === "app" && words[1] === "sync") return cls("deploy", "argocd app sync");
      if (sub === "app" && words[1] === "rollback") return cls("rollback", "argocd app rollback");
      return infra("argocd", sub);
    case "skaffold":
      return sub === "run" || sub === "deploy" ? cls("deploy", `skaffold ${sub}`) : undefined;
    case "waypoint":
      return sub === "up" || sub === "deploy" ? cls("deploy", `waypoint ${sub}`) : undefined;
    case "kn":
      return sub === "service" && ["create", "update", "apply"].includes(words[1] ?? "")
        ? cls("deploy", `kn service ${words[1]}`)
        : undefined;
    case "dpl": // Travis CI's deploy tool: every run deploys
    case "ecs-deploy":
      return cls("deploy", program);
    case "git":
      // `git push heroku main`, `git push dokku@host:app`: pushing to a PaaS remote deploys
      return sub === "push" && /^(heroku|dokku)\b|^dokku@|^ssh:\/\/dokku@|heroku\.com/.test(words[1] ?? "")
        ? cls("deploy", `git push ${words[1]}`)
        : undefined;
    default:
      return undefined;
  }
}

function gcloud(path: string[]): CommandClass {
  // Cloud Deploy (`gcloud deploy …`) ships only by creating or promoting a release; elsewhere `… deploy` ships
  const ships =
    path[0] === "deploy"
      ? path[1] === "releases" && (path[2] === "create" || path[2] === "promote")
      : path.includes("deploy") && !path.some((w) => ["list", "describe", "delete"].includes(w));
  if (ships)
    return cls("deploy", `gcloud ${path.slice(0, path[0] === "deploy" ? 3 : path.indexOf("deploy") + 1).join(" ")}`);
  if (path[0] === "run" && path[1] === "services" && (path[2] === "update" || path[2] === "replace"))
    return cls("deploy", `gcloud run services ${path[2]}`);
  // a managed instance group rolls its VMs over to a new instance template
  if (
    path[0] === "compute" &&
    path[1] === "instance-groups" &&
    path[2] === "managed" &&
    path[3] === "rolling-action" &&
    (path[4] === "start-update" || path[4] === "replace")
  )
    return cls("deploy", `gcloud compute instance-groups managed rolling-action ${path[4]}`);
  if (path[0] === "sql") return cls("database", `gcloud sql ${path[1] ?? ""}`.trim());
  return infra("gcloud", ...path.slice(0, 2));
}

const AWS_DEPLOYS: Record<string, string[]> = {
  ecs: ["update-service", "deploy", "create-service"],
  deploy: ["create-deployment"],
  cloudformation: ["deploy", "create-stack", "update-stack", "execute-change-set"],
  lambda: ["update-function-code", "publish-layer-version"],
  elasticbeanstalk: ["update-environment"],
  apprunner: ["start-deployment", "update-service"],
  amplify: ["start-deployment"],
};

function aws(words: readonly string[], args: readonly string[]): CommandClass {
  const [service = "", op = ""] = words;
  const summary = `aws ${service} ${op}`.trim();
  const changesetOnly = service === "cloudformation" && op === "deploy" && hasFlag(args, "--no-execute-changeset");
  if (AWS_DEPLOYS[service]?.includes(op) && !changesetOnly) return cls("deploy", summary);
  if (service === "rds" || service === "dynamodb") return cls("database", summary);
  return cls("infra", summary);
}

function az(path: string[]): CommandClass {
  const [group = "", verb = ""] = path;
  const deploys =
    path.includes("deploy") ||
    (verb === "up" && ["webapp", "functionapp", "containerapp"].includes(group)) ||
    (group === "containerapp" && verb === "update") ||
    (group === "deployment" && path.includes("create")) ||
    (path.includes("deployment") && path.includes("config-zip"));
  return deploys ? cls("deploy", `az ${path.join(" ")}`) : infra("az", ...path.slice(0, 2));
}

/** Subcommands of the Vercel CLI that stay local or only read; any other first word is a path to deploy. */
const VERCEL_LOCAL = [
  "dev",
  "env",
  "link",
  "login",
  "logout",
  "pull",
  "build",
  "ls",
  "list",
  "logs",
  "inspect",
  "whoami",
  "help",
  "init",
  "domains",
  "dns",
  "certs",
  "secrets",
  "teams",
  "switch",
  "project",
  "alias",
  "remove",
  "rm",
];

function vercel(args: readonly string[], words: readonly string[]): CommandClass | undefined {
  const sub = words[0] ?? "";
  if (sub === "rollback") return cls("rollback", "vercel rollback");
  if (VERCEL_LOCAL.includes(sub) || (!sub && hasFlag(args, "--help", "-h", "--version", "-v"))) return undefined;
  return cls("deploy", "vercel deploy");
}
