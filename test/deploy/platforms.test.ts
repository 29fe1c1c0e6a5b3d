import { describe, expect, it } from "vitest";
import { platformAnalyzer } from "../../src/analyzers/scripts/platforms.js";
import { analyze } from "../helpers.js";

async function platforms(files: Record<string, string>) {
  const a = await analyze(files);
  return { facts: a.facts.all("platform"), findings: a.findings.filter((f) => f.rule.startsWith("platform/")) };
}
const matches = (p: string) => platformAnalyzer.match(p, p.slice(p.lastIndexOf("/") + 1), p.toLowerCase());

describe("platform configs: which files", () => {
  it("matches the platforms' file names and nothing around them", () => {
    for (const p of [
      "fly.toml",
      "fly.staging.toml",
      "app.yaml",
      "Procfile",
      "serverless.yml",
      "netlify.toml",
      "vercel.json",
      "config/deploy.yml",
      "config/deploy.production.yml",
      "skaffold.yaml",
      "render.yaml",
      "railway.toml",
      "app.json",
      "playbook.yml",
      "site.yml",
      "ansible/deploy.yml",
      "config/deploy.rb",
      "config/deploy/production.rb",
    ])
      expect(matches(p), p).toBe(true);
    for (const p of [
      "fly.toml.bak",
      "config/app.yml",
      "deploy.yml",
      "ansible/roles/web/tasks/main.yml",
      "ansible/group_vars/all.yml",
      "Procfile.dev",
      "config/deploy/production.yml.example",
      "src/app.ts",
    ])
      expect(matches(p), p).toBe(false);
  });
});

describe("platform configs: set up for real", () => {
  it("fly.toml with an app, its line and details; a fly.<env>.toml names its environment", async () => {
    const { facts } = await platforms({
      "fly.toml": '# my app\napp = "my-api"\nprimary_region = "cdg"\n[deploy]\n  release_command = "bin/migrate"\n',
      "fly.staging.toml": 'app = "my-api-staging"\n',
    });
    expect(facts).toEqual([
      {
        path: "fly.toml",
        line: 2,
        platform: "fly",
        environments: [],
        app: "my-api",
        detail: "app my-api, region cdg, release_command bin/migrate",
      },
      {
        path: "fly.staging.toml",
        line: 1,
        platform: "fly",
        environments: ["staging"],
        app: "my-api-staging",
        detail: "app my-api-staging",
      },
    ]);
  });

  it("fly.toml without an app or services is not a config; broken TOML is a finding", async () => {
    const { facts, findings } = await platforms({ "fly.toml": "[env]\n  A = 1\n", "api/fly.toml": 'app = "x\n' });
    expect(facts).toEqual([]);
    expect(findings).toEqual([
      expect.objectContaining({ path: "api/fly.toml", rule: "platform/parse-error", line: 1 }),
    ]);
  });

  it("app.yaml needs a runtime and is not a Kubernetes manifest", async () => {
    const { facts } = await platforms({
      "app.yaml": "# App Engine\nruntime: python312\nservice: api\n",
      "web/app.yaml": "apiVersion: apps/v1\nkind: Deployment\nruntime: x\n",
      "docs/app.yaml": "title: My app\n",
    });
    expect(facts).toEqual([
      { path: "app.yaml", line: 2, platform: "app-engine", environments: [], app: "api", detail: "runtime python312" },
    ]);
  });

  it("Procfile processes; malformed lines are findings", async () => {
    const { facts, findings } = await platforms({
      Procfile: "release: bin/migrate\nweb: bundle exec puma\nnot a process\n",
    });
    expect(facts).toEqual([
      { path: "Procfile", line: 2, platform: "heroku", environments: [], detail: "processes release, web" },
    ]);
    expect(findings).toEqual([expect.objectContaining({ line: 3, rule: "platform/parse-error" })]);
    expect((await platforms({ Procfile: "# nothing yet\n" })).facts).toEqual([]);
  });

  it("serverless.yml: service, provider and stages from params and opt:stage", async () => {
    const { facts } = await platforms({
      "serverless.yml":
        "service: api\nprovider:\n  name: aws\n  stage: ${opt:stage, 'dev'}\nparams:\n  default:\n    x: 1\n  prod:\n    x: 2\n",
    });
    expect(facts).toEqual([
      {
        path: "serverless.yml",
        line: 1,
        platform: "serverless",
        environments: ["dev", "prod"],
        app: "api",
        detail: "provider aws",
      },
    ]);
  });

  it("netlify.toml contexts, vercel.json keys, and a vercel.json that switches deployments off", async () => {
    const { facts } = await platforms({
      "netlify.toml":
        '[build]\n  command = "npm run build"\n  publish = "dist"\n[context.production]\n' +
        '  command = "x"\n[context.deploy-preview]\n  command = "y"\n',
      "vercel.json": '{\n  "framework": "nextjs"\n}',
      "site/vercel.json": '{ "git": { "deploymentEnabled": false }, "cleanUrls": true }',
    });
    expect(facts).toEqual([
      {
        path: "netlify.toml",
        line: 1,
        platform: "netlify",
        environments: ["production", "deploy-preview"],
        detail: "build npm run build, publish dist",
      },
      { path: "vercel.json", line: 2, platform: "vercel", environments: [] },
    ]);
  });

  it("Kamal: config/deploy.yml with service and image; destinations from config/deploy.<dest>.yml", async () => {
    const { facts } = await platforms({
      "config/deploy.yml": "service: api\nimage: acme/api\nservers:\n  - 10.0.0.1\n",
      "config/deploy.staging.yml": "servers:\n  - 10.0.1.1\n",
      "other/config/deploy.yml": "stages: [a]\n",
    });
    expect(facts).toEqual([
      { path: "config/deploy.yml", line: 1, platform: "kamal", environments: [], app: "api", detail: "image acme/api" },
      {
        path: "config/deploy.staging.yml",
        line: 1,
        platform: "kamal",
        environments: ["staging"],
        detail: "destination staging",
      },
    ]);
  });

  it("skaffold profiles, render services, railway, Heroku app.json but not Expo's", async () => {
    const { facts } = await platforms({
      "skaffold.yaml":
        "apiVersion: skaffold/v4beta6\nkind: Config\nmanifests:\n  rawYaml: [k8s/*.yaml]\ndeploy:\n" +
        "  kubectl: {}\nprofiles:\n  - name: staging\n  - name: prod\n",
      "render.yaml": "services:\n  - type: web\n    name: api\n",
      "railway.json": '{\n  "deploy": { "startCommand": "npm start" },\n  "environments": { "staging": {} }\n}',
      "app.json": '{ "name": "api", "buildpacks": [{ "url": "heroku/nodejs" }], "environments": { "review": {} } }',
      "mobile/app.json": '{ "expo": { "name": "x" }, "buildpacks": [] }',
    });
    expect(facts.map((f) => [f.path, f.platform, f.line, f.environments])).toEqual([
      ["skaffold.yaml", "skaffold", 5, ["staging", "prod"]],
      ["render.yaml", "render", 1, []],
      ["railway.json", "railway", 2, ["staging"]],
      ["app.json", "heroku", 1, ["review"]],
    ]);
  });

  it("Ansible: plays with hosts and tasks or roles; task files and vars are not playbooks", async () => {
    const { facts } = await platforms({
      "ansible/deploy.yml": "- name: Deploy\n  hosts: production\n  roles:\n    - app\n",
      "ansible/handlers.yml": "- name: restart app\n  service: { name: app, state: restarted }\n",
      "site.yml": "- import_playbook: ansible/deploy.yml\n",
    });
    expect(facts.map((f) => [f.path, f.line, f.environments])).toEqual([
      ["ansible/deploy.yml", 1, ["production"]],
      ["site.yml", 1, []],
    ]);
  });

  it("Capistrano: config/deploy.rb with set :application, stage files name their environment", async () => {
    const { facts } = await platforms({
      "config/deploy.rb":
        "lock '~> 3.18'\n# set :application, 'old'\nset :application, 'api'\nset :repo_url, 'git@x:y.git'\n",
      "config/deploy/production.rb": "server 'web1.example.com', user: 'deploy', roles: %w[app web]\n",
      "config/deploy/empty.rb": "# nothing\n",
    });
    expect(facts).toEqual([
      { path: "config/deploy.rb", line: 3, platform: "capistrano", environments: [], app: "api" },
      { path: "config/deploy/production.rb", line: 1, platform: "capistrano", environments: ["production"] },
    ]);
  });

  it("bad YAML, wrong types and alias bombs are findings or ignored, never a crash", async () => {
    // nine levels of nine references: 9^9 nodes once expanded
    const levels = Array.from({ length: 8 }, (_, i) => `l${i + 1}: &l${i + 1} [${Array(9).fill(`*l${i}`).join(", ")}]`);
    const bomb = ["l0: &l0 [x, x, x, x, x, x, x, x, x]", ...levels, "service: *l8"].join("\n");
    const { facts, findings } = await platforms({
      "serverless.yml": "service: api\nprovider: [\n",
      "render.yaml": "services: 42\n",
      "skaffold.yaml": bomb,
      "config/deploy.yml": "service: [1, 2]\nimage: {}\n",
    });
    expect(facts).toEqual([]);
    expect(findings.map((f) => [f.path, f.rule])).toEqual(
      expect.arrayContaining([
        ["serverless.yml", "platform/parse-error"],
        ["skaffold.yaml", "platform/parse-error"],
      ]),
    );
  });
});

describe("Azure Developer CLI", () => {
  it("azure.yaml with hosted services is the deploy config; one without services is not", async () => {
    const text = [
      "name: todo-app",
      "metadata:",
      "  template: todo@1.0",
      "services:",
      "  web:",
      "    project: ./src/web",
      "    language: js",
      "    host: appservice",
      "  api:",
      "    project: ./src/api",
      "    host: containerapp",
      "infra:",
      "  provider: terraform",
      "",
    ].join("\n");
    const { facts } = await platforms({ "azure.yaml": text });
    expect(facts).toEqual([
      {
        path: "azure.yaml",
        line: 4,
        platform: "azd",
        environments: [],
        app: "todo-app",
        detail: "services web (appservice), api (containerapp), infra terraform",
      },
    ]);
    const none = await platforms({
      "azure.yaml": "name: only-a-name\n# services:\n#   web: { host: appservice }\n",
      "deploy/azure.yml":
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: x }\nservices: { a: { host: b } }\n",
    });
    expect(none.facts).toEqual([]);
  });

  it("azd up, deploy and provision deploy; --preview and down do not", async () => {
    const { classifyCommand } = await import("../../src/analyzers/command-class.js");
    expect(classifyCommand(["azd", "up", "--no-prompt"])).toMatchObject({ kind: "deploy", summary: "azd up" });
    expect(classifyCommand(["azd", "deploy", "--all"])).toMatchObject({ kind: "deploy" });
    expect(classifyCommand(["azd", "provision", "--preview"])).toMatchObject({ kind: "infra" });
    expect(classifyCommand(["azd", "down", "--force"])).toMatchObject({ kind: "infra" });
  });
});
