// What a CI step does for its job: deploy, publish a release, or run tests. Shell commands are judged by the
// shared command classifier; here they are narrowed to what a job's facts record, next to the rules for
// actions, orbs, pipes and tasks (`uses:`), which are CI-only.
// An image push alone (`docker push`) is not a release: it ships an artifact that something else must deploy.
import { type CommandClass, classifyCommand, classifyRemote } from "../command-class.js";

export type ActionKind = "deploy" | "publish" | "test";
export interface Classified {
  kind: ActionKind;
  what: string;
}

const deploy = (what: string): Classified => ({ kind: "deploy", what });
const publish = (what: string): Classified => ({ kind: "publish", what });
const test = (what: string): Classified => ({ kind: "test", what });

/** The job action of a classified command, if it is one a job records. */
export function jobActionOf(found: CommandClass | undefined): Classified | undefined {
  if (!found || found.image) return undefined;
  if (found.kind !== "deploy" && found.kind !== "publish" && found.kind !== "test") return undefined;
  return { kind: found.kind, what: found.detail ? `${found.summary} ${found.detail}` : found.summary };
}

/** What one simple command of a step does for its job. */
export function jobActionOfCommand(argv: readonly string[]): Classified | undefined {
  return jobActionOf(classifyCommand(argv));
}

/** What a script run on a server (an ssh action's `script:`) does for its job: only deploys count. */
export function jobActionOfRemote(script: string): Classified | undefined {
  const found = jobActionOf(classifyRemote(script));
  return found?.kind === "deploy" ? found : undefined;
}

/** Known actions, orbs, pipes and tasks (lower-case, without version), and the inputs that decide. */
export function classifyAction(uses: string, inputs: Record<string, string> = {}): Classified | undefined {
  const name = uses
    .toLowerCase()
    .replace(/^docker:\/\//, "")
    .replace(/@.*$/, "")
    .replace(/:[^/]*$/, "");
  const input = (key: string) => (inputs[key] ?? "").toLowerCase();
  const exact: Record<string, () => Classified | undefined> = {
    "azure/webapps-deploy": () => deploy(name),
    "azure/k8s-deploy": () => (input("action") === "reject" ? undefined : deploy(name)),
    "azure/functions-action": () => deploy(name),
    "azure/container-apps-deploy-action": () => deploy(name),
    "azure/arm-deploy": () => (input("deploymentmode") === "validate" ? undefined : deploy(name)),
    "aws-actions/amazon-ecs-deploy-task-definition": () => deploy(name),
    "aws-actions/aws-cloudformation-github-deploy": () =>
      input("no-execute-changeset") === "1" || input("no-execute-changeset") === "true" ? undefined : deploy(name),
    "google-github-actions/deploy-cloudrun": () => deploy(name),
    "google-github-actions/deploy-appengine": () => deploy(name),
    "google-github-actions/deploy-cloud-functions": () => deploy(name),
    "google-github-actions/deploy-gke": () => deploy(name),
    "actions/deploy-pages": () => deploy(name),
    "peaceiris/actions-gh-pages": () => deploy(name),
    "jamesives/github-pages-deploy-action": () => deploy(name),
    "cloudflare/wrangler-action": () =>
      !input("command") || /^(deploy|publish|pages deploy)/.test(input("command")) ? deploy(name) : undefined,
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
    "goreleaser/goreleaser-action": () =>
      /\brelease\b/.test(input("args")) && !/--snapshot|--skip[=-]publish/.test(input("args"))
        ? publish(name)
        : undefined,
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
