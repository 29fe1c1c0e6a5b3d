// Deploy instructions beyond the word "Deployment" (issue 9, group 3): Quickstart, Install, Setup, Upgrade … sections
// whose steps run a deploy command, doc files with neutral names; and what is not deploy docs: a library's
// "Deployment" that publishes a package, a service README with build and test commands only, a page that only links
// away, development and demo setups.
import { describe, expect, it } from "vitest";
import { commandsOfBlock, docCommand } from "../../src/analyzers/repo/doc-commands.js";
import { isDocCandidate } from "../../src/analyzers/repo/docs.js";
import { loadShellParser } from "../../src/analyzers/shell-parse.js";
import { docOf } from "../coordination/run.js";
import { detect } from "../helpers.js";

const wants = (path: string) => isDocCandidate(path.toLowerCase(), path.slice(path.lastIndexOf("/") + 1).toLowerCase());
const deployTopic = async (path: string, text: string) =>
  (await docOf(path, text)).topics.find((t) => t.topic === "deploy");
const fence = (lang: string, body: string) => `\`\`\`${lang}\n${body}\n\`\`\`\n`;

describe("deploy docs: install sections whose steps run the deploy", () => {
  it("Quickstart, Install, Getting started, Upgrade, Usage with a deploy command", async () => {
    const cases: [string, string, string][] = [
      [
        "## Quickstart",
        fence("bash", "git clone https://example.org/app\ncd app\ndocker compose pull\ndocker compose up"),
        "docker compose up",
      ],
      ["## 🔧 How to Install", fence("sh", "docker compose up -d"), "docker compose up"],
      [
        "## Getting started",
        fence("", "kubectl apply --server-side -f manifests/setup\nkubectl apply -f manifests/"),
        "kubectl apply",
      ],
      [
        "### Install the operator",
        fence("console", "helm repo add acme https://charts.example.org\nhelm upgrade --install op acme/op"),
        "helm upgrade",
      ],
      ["## Upgrade", fence("bash", "cd /var/app\ngit pull\n./launcher rebuild app"), "./launcher rebuild"],
      ["## Setup", fence("bash", "azd auth login\nazd up"), "azd up"],
      ["## Installation", fence("bash", "docker stack deploy -c docker-stack.yml prom"), "docker stack deploy"],
      [
        "## Install",
        fence("bash", "sudo cp app.service /etc/systemd/system/\nsudo systemctl enable --now app"),
        "systemctl enable",
      ],
      [
        "## Bootstrap",
        fence("sh", "flux bootstrap github --owner=acme --repository=fleet --path=clusters/prod"),
        "flux bootstrap",
      ],
      [
        "## Launch your server",
        fence("sh", "sudo docker run --init --restart always -p 8080:8080 acme/app:latest"),
        "docker run -d",
      ],
      ["## Usage", fence("sh", "just bootstrap cluster"), "just bootstrap"],
      ["## Lancement rapide", fence("bash", "sudo bash install-stack.sh"), "install-stack.sh"],
    ];
    for (const [heading, body, command] of cases) {
      const t = await deployTopic("README.md", `# App\n\n${heading}\n\n${body}`);
      expect(t, heading).toMatchObject({ line: 3, heading: heading.replace(/^#+ /, ""), command });
    }
  });

  it("a console transcript: prompted lines are the commands, the rest is output; placeholders parse", async () => {
    const body = fence(
      "console",
      "$ git clone -b v2 --single-branch https://example.org/hosting\nCloning into 'hosting'...\n" +
        "$ cd hosting\n$ docker compose -f compose.yml -f proxy/compose.caddy.yml up -d\n" +
        "[+] Running 5/5",
    );
    expect(await deployTopic("README.md", `# X\n\n## Quick start\n\n${body}`)).toMatchObject({
      command: "docker compose up",
    });
    const placeholders = fence("bash", "helm install <release-name> ./chart -n <namespace>");
    expect(await deployTopic("README.md", `# X\n\n## Installing the chart\n\n${placeholders}`)).toMatchObject({
      command: "helm install",
    });
  });

  it("an install section without a deploy command is not deploy docs", async () => {
    for (const body of [
      fence("sh", "npm install acme-client"),
      fence("sh", "pip install acme\npython -m acme --help"),
      fence("sh", "curl -fsSL https://example.org/install.sh | bash"),
      fence("sh", "go install example.org/tool@latest"),
      "1. Download the binary\n2. Put it on your PATH\n",
      "See [the documentation](https://docs.example.org/install).\n",
    ]) {
      expect(await deployTopic("README.md", `# X\n\n## Installation\n\n${body}`), body).toBeUndefined();
    }
  });

  it("development, demo, contributing and local setups are not deploy docs, even with compose up", async () => {
    const up = fence("sh", "docker compose up -d");
    for (const heading of [
      "## Running the Demonstration Environment",
      "## Local development",
      "## Dev setup",
      "## Running the tests",
      "## Remote Self-Hosted Development on a Cloud Workstation",
    ]) {
      expect(await deployTopic("README.md", `# Y\n\n${heading}\n\n${up}`), heading).toBeUndefined();
    }
    // a Quickstart whose only compose up sits under its "Development" subsection
    expect(
      await deployTopic("README.md", `# X\n\n## Getting started\n\nRead on.\n\n### Development\n\n${up}`),
    ).toBeUndefined();
    // CONTRIBUTING is about working on the project, whatever its title says
    expect(
      await deployTopic(
        "CONTRIBUTING.md",
        `# Contributing to self-hosted\n\n## Setup\n\n${up}\n## Steps\n\n1. a\n2. b\n`,
      ),
    ).toBeUndefined();
  });
});

describe("deploy docs: the false passes of a Deployment heading", () => {
  it("a library's Deployment that only publishes a package", async () => {
    expect(
      await deployTopic("README.md", `# lib\n\n## Deployment\n\n${fence("sh", "npm version patch\nnpm publish")}`),
    ).toBeUndefined();
    expect(
      await deployTopic(
        "README.md",
        `# lib\n\n## Deployment\n\n${fence("sh", "python setup.py sdist bdist_wheel\ntwine upload dist/*")}`,
      ),
    ).toBeUndefined();
    expect(
      await deployTopic("README.md", "# lib\n\n## Deployment\n\n1. Bump the version\n2. Publish the package to PyPI\n"),
    ).toBeUndefined();
  });
  it("a service README whose Deploy section only builds and tests", async () => {
    const body = fence("sh", "make build\nmake test\ngo test ./...");
    expect(await deployTopic("services/api/README.md", `# api\n\n## Deploy\n\n${body}`)).toBeUndefined();
  });
  it("a Deployment section with the project's own deploy tool, or prose steps to an environment, still counts", async () => {
    expect(
      await deployTopic(
        "README.md",
        `# X\n\n## Deployment instructions\n\n${fence("sh", "npx shipit staging deploy")}`,
      ),
    ).toMatchObject({ command: "shipit deploy" });
    expect(
      await deployTopic("README.md", `# X\n\n## Deployment\n\n${fence("sh", "./scripts/ship-it production")}`),
    ).toMatchObject({ heading: "Deployment" });
    expect(
      await deployTopic("README.md", "# X\n\n## Deployment\n\n1. Merge to main\n2. CI ships it to staging\n"),
    ).toMatchObject({ heading: "Deployment" });
  });
  it("running in production: a checklist counts", async () => {
    expect(
      await deployTopic(
        "README.md",
        "# X\n\n## Running in Production\n\n- set DEBUG=False\n- run migrations\n- serve with uwsgi behind a proxy\n",
      ),
    ).toMatchObject({ line: 3 });
  });
  it("the section that runs the deploy is cited before one that only mentions redeploying", async () => {
    const text =
      `# Chart\n\n## Redeploy with a new name\n\n1. uninstall\n2. install\n\n` +
      `## Install Helm Chart\n\n${fence("sh", "helm install my-release acme/chart")}`;
    expect(await deployTopic("charts/x/README.md", text)).toMatchObject({ heading: "Install Helm Chart" });
  });
});

describe("deploy docs: commands as READMEs write them", () => {
  it("a command in a bullet's code span, an indented code block with a prompt", async () => {
    const bullets =
      "# X\n\n## Deployment instructions\n\n- First run `npm i -g shipit-cli`\n- To deploy, run `npx shipit staging deploy`\n";
    expect(await deployTopic("README.md", bullets)).toMatchObject({ line: 3, command: "shipit deploy" });
    const indented =
      "# X\n\n# Installation & Configuration\n\nFrom the project folder run:\n\n" +
      "    $ HOSTNAME=$(hostname) docker stack deploy -c docker-stack.yml prom\n\nThat's it.\n";
    expect(await deployTopic("README.md", indented)).toMatchObject({
      command: "docker stack deploy",
      composeFiles: ["docker-stack.yml"],
    });
  });
  it("a tool named in the heading is no workstation: 'Bootstrap with Flux CLI'", async () => {
    const text =
      `# X\n\n## Bootstrap with Flux CLI\n\n` +
      `${fence("sh", "flux bootstrap github \\\n  --owner=${GITHUB_USER} \\\n  --path=clusters/staging")}`;
    expect(await deployTopic("README.md", text)).toMatchObject({ command: "flux bootstrap" });
  });
  it("a code span in a Deployment sentence does not rule its prose steps out", async () => {
    const text =
      "# X\n\n## Deployment\n\n1. Run `npm run build` to check the bundle\n2. Merge to main: CI ships it to production\n";
    expect(await deployTopic("README.md", text)).toMatchObject({ heading: "Deployment" });
  });
  it("a code span that only installs a library is no deploy", async () => {
    expect(
      await deployTopic("README.md", "# X\n\n## Install\n\n- `npm install acme`\n- `pip install acme`\n"),
    ).toBeUndefined();
  });
});

describe("deploy docs: neutral headings, CI/CD sections, the repository's own launcher", () => {
  it("a neutral heading whose own steps run a deploy no laptop runs", async () => {
    const cases: [string, string, string][] = [
      [
        "## Common workflows",
        fence("sh", "# Apply\nmise run ansible --limit web\nmise run tf apply"),
        "mise run ansible",
      ],
      [
        "## Promoting your environment to **production**",
        fence("bash", "cd ../prod\nterraform init\nterraform plan\nterraform apply"),
        "terraform apply",
      ],
      [
        "# How to prepare the accounts?",
        "1. Create the accounts.\n2. Run `cd org/settings && terragrunt apply` and attach them.\n",
        "terragrunt apply",
      ],
      ["## Operating the cluster", fence("", "helm upgrade --install web ./chart -n web"), "helm upgrade"],
    ];
    for (const [heading, body, command] of cases) {
      const t = await deployTopic("README.md", `# App\n\n${heading}\n\nSteps:\n\n${body}`);
      expect(t, heading).toMatchObject({ line: 3, command });
    }
  });
  it("not under a neutral heading: a dev stack, examples, teardown, commands only under its subsections", async () => {
    const cases: [string, string][] = [
      ["## Common workflows", fence("sh", "docker compose up -d\nnpm test")],
      ["## Services", fence("sh", "sudo systemctl start postgresql")],
      ["## Examples", fence("sh", "kubectl apply -f examples/basic.yaml")],
      ["## Cleaning up", fence("sh", "terraform destroy\nterraform apply -destroy")],
      ["## Troubleshooting", fence("sh", "helm upgrade --install web ./chart --debug")],
      ["## Layout", `The folders:\n\n### Local testing\n\n${fence("sh", "terraform apply")}`],
      ["## Common workflows", fence("sh", "terraform plan\nterraform validate")],
    ];
    for (const [heading, body] of cases)
      expect(await deployTopic("README.md", `# App\n\n${heading}\n\n${body}`), heading).toBeUndefined();
    // an example's README runs its demo under the title
    const example = `# Blue green\n\nThis example shows a rollout:\n\n${fence("", "argocd app sync blue-green")}`;
    expect(await deployTopic("blue-green/README.md", example)).toBeUndefined();
  });
  it("a CI/CD section that tells which event ships to which environment", async () => {
    const text =
      "# API\n\n## 🐳 Containerization & CI/CD\n\nAutomated deployment via the CI across two environments:\n\n" +
      "### Environments\n\n* **Staging:** updated on every push to the `main` branch.\n" +
      "* **Production:** updated only when a version tag (e.g. `v1.0.0`) is created.\n";
    expect(await deployTopic("README.md", text)).toMatchObject({ line: 3, heading: "🐳 Containerization & CI/CD" });
  });
  it("a CI/CD section about tests and lint, or one environment only, is no deploy doc", async () => {
    for (const body of [
      "Every push runs the tests and the linter on GitHub Actions; pull requests need a green build.\n",
      "Deployment is automated: every push to main deploys the app.\n",
      "The pipeline builds the image on every push and deploys nothing; production is managed elsewhere.\n",
    ])
      expect(await deployTopic("README.md", `# API\n\n## CI/CD\n\n${body}`), body).toBeUndefined();
  });
  it("the repository's own launcher in a list item's code span, and in an unlabelled block", async () => {
    const span =
      "# Images\n\n## Upgrading\n\nTwo options:\n\n1. Use the admin page.\n\n2. Rebuild by running:\n" +
      "   `./launcher rebuild app`\n";
    expect(await deployTopic("README.md", span)).toMatchObject({ heading: "Upgrading", command: "./launcher rebuild" });
    const block = `# Images\n\n## Upgrading\n\n${fence("", "./launcher rebuild app")}`;
    expect(await deployTopic("README.md", block)).toMatchObject({ command: "./launcher rebuild" });
    // a path in a code span is no command
    expect(await deployTopic("README.md", "# X\n\n## Upgrading\n\nEdit `./config/app.yml` first.\n")).toBeUndefined();
  });
});

describe("deploy docs: which files are read", () => {
  it("neutral names at the root and in doc folders, deep self-hosting pages, infra READMEs", () => {
    for (const p of [
      "docs/setup.md",
      "docs/quickstart.md",
      "doc/HOWTO.md",
      "docs/podman.md",
      "docs/installation/linux.md",
      "manual-upgrade.md",
      "INSTALL.md",
      "terraform/eks/default/README.md",
      "apps/docs/content/docs/self-hosting/deployment/docker-compose.mdx",
    ])
      expect(wants(p), p).toBe(true);
  });
  it("not tool folders, not deep READMEs of code, not a docs site's every page", () => {
    for (const p of [
      ".agents/skills/deploy-app.md",
      ".claude/commands/deploy.md",
      "src/a/b/README.md",
      "docs/api/widgets.md",
    ])
      expect(wants(p), p).toBe(false);
  });
  it("a setup page in docs/ is deploy docs when it runs the deploy", async () => {
    const r = await detect("deploy/deploy-docs", {
      "docs/setup.md":
        `# Installation\n\n## Docker Compose install\n\n1. Get the files\n2. Start\n\n` +
        `${fence("sh", "docker compose pull\ndocker compose up --detach")}`,
    });
    expect(r).toMatchObject({
      status: "pass",
      evidence: [{ path: "docs/setup.md", line: 1, note: "Installation: docker compose up" }],
    });
  });
});

describe("doc commands", () => {
  it("reads a block line by line when it does not parse as a whole", async () => {
    await loadShellParser();
    expect(commandsOfBlock("kubectl apply -f x.yaml\nthen wait until ( it is ready\nhelm install a b")).toEqual([
      ["kubectl", "apply", "-f", "x.yaml"],
      ["helm", "install", "a", "b"],
    ]);
  });
  it("classifies what a reader runs", async () => {
    await loadShellParser();
    expect(docCommand(["docker", "compose", "up", "-d"]).kind).toBe("deploy");
    expect(docCommand(["docker", "run", "--rm", "app", "npm", "test"]).kind).toBe("local");
    expect(docCommand(["docker", "build", "-t", "app", "."]).kind).toBe("local");
    expect(docCommand(["npm", "publish"]).kind).toBe("publish");
    expect(docCommand(["make", "install"]).kind).toBe("local");
    expect(docCommand(["make", "deploy"]).kind).toBe("deploy");
    expect(docCommand(["./gradlew", "build"]).kind).toBe("local");
    expect(docCommand(["./run-tests.sh"]).kind).toBe("other");
  });
});
