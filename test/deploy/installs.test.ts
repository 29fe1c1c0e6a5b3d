// Self-hosted installs count as deploys (issue 9, group 2): install and update scripts that start a compose stack
// (also through a variable set in a sourced file, or inside an install function), scripts that install and enable a
// systemd unit; a development or test script that starts the same stack is not a deploy.
import { describe, expect, it } from "vitest";
import { detect } from "../helpers.js";

const notes = (r: { evidence?: { path: string; line?: number; note?: string }[] }) =>
  (r.evidence ?? []).map((e) => `${e.path}:${e.line} ${e.note}`);
const sh = (body: string) => `#!/usr/bin/env bash\nset -euo pipefail\n${body}\n`;

describe("deploy-script: install and update scripts of a compose stack", () => {
  it("update.sh pulls and starts the stack through a variable set in a sourced library", async () => {
    const r = await detect("deploy/deploy-script", {
      "lib/core.sh":
        "detect_compose() {\n  if docker compose version >/dev/null; then\n" +
        '    COMPOSE_COMMAND="docker compose"\n  else\n    COMPOSE_COMMAND="docker-compose"\n  fi\n' +
        "}\n",
      "update.sh": sh(
        "source lib/core.sh\ndetect_compose\n$COMPOSE_COMMAND pull\n$COMPOSE_COMMAND up -d --remove-orphans",
      ),
    });
    expect(notes(r)).toEqual(["update.sh:6 docker compose up -d (install script)"]);
  });

  it("a chain of variables and a helper function in an install/ folder", async () => {
    const r = await detect("deploy/deploy-script", {
      "install.sh": sh("source install/detect.sh\nsource install/start.sh"),
      "install/detect.sh":
        'dc_base="$(docker compose version >/dev/null && echo "$ENGINE compose" || echo "")"\ndc="$dc_base --env-file .env.custom"\n',
      "install/start.sh": 'start_and_wait() {\n  $dc up --wait "$@"\n}\nstart_and_wait web\n',
    });
    expect(notes(r)).toEqual(["install/start.sh:2 docker compose up -d (install script) (function start_and_wait)"]);
  });

  it("an install function of a general script, behind $SUDO, and a redeploy that pulls first", async () => {
    const r = await detect("deploy/deploy-script", {
      "scripts/ops.sh": sh(
        'cmd_install() {\n  $SUDO docker compose --env-file "$tmp" up -d\n}\nredeploy_stack() {\n' +
          '  docker compose -f "$f" pull\n  docker compose -f "$f" up "${args[@]}"\n}',
      ),
    });
    expect(notes(r)).toEqual(["scripts/ops.sh:4 docker compose up -d (function cmd_install)"]);
  });

  it("an extensionless installer at the root is read by its shebang", async () => {
    const r = await detect("deploy/deploy-script", {
      "install-app": sh(
        "curl -fsSLo compose.yaml https://example.org/compose.yaml\ndocker compose pull\ndocker compose up --detach",
      ),
    });
    expect(r.status).toBe("pass");
  });

  it("a development, test or demo script that starts the stack is not a deploy", async () => {
    for (const [path, body] of [
      ["scripts/dev-setup.sh", "docker compose up -d db"],
      ["scripts/test/update-fixtures.sh", "docker compose up -d"],
      ["install.sh", "docker compose -f docker-compose.dev.yml up -d"],
      ["scripts/start.sh", "docker compose up -d"], // no install, update or deploy in its name
      ["update.sh", "docker compose up"], // in the foreground, with no pull: a local run
      ["update.sh", 'echo "now run docker compose up -d"'],
    ]) {
      const r = await detect("deploy/deploy-script", { [path!]: sh(body!) });
      expect(r, `${path}: ${body}`).toMatchObject({ status: "fail", reasonId: "no-deploy-command" });
    }
  });
});

describe("deploy-script: a launcher that runs the container through variables", () => {
  it("`$docker_path run $attach_on_run … $image` in a launcher, with docker_path=$(which docker) and -d in a variable", async () => {
    const launcher = sh(
      'docker_path=$(which docker.io 2>/dev/null || which docker)\nif [ -n "${DEBUG:-}" ]; then\n' +
        '  attach_on_run="-a stdout -a stderr"\nelse\n  attach_on_run="-d"\nfi\n' +
        'run_start() {\n  $docker_path run --shm-size=512m $attach_on_run --name "$config" -t "$image"\n}\n' +
        'case "$1" in\n  rebuild)\n    run_start\n    ;;\nesac',
    );
    const r = await detect("deploy/deploy-script", { launcher });
    expect(notes(r)).toEqual(["launcher:10 docker run -d (install script) (function run_start)"]);
  });
  it("a restart policy through a variable counts too; a throwaway `--rm` run or an attached run does not", async () => {
    const restart = sh('policy="--restart=always"\ndocker run $policy --name web acme/web:1');
    expect(notes(await detect("deploy/deploy-script", { "install.sh": restart }))).toEqual([
      "install.sh:4 docker run -d (install script)",
    ]);
    for (const body of [
      'attach="-d"\ndocker run --rm $attach acme/migrate:1',
      'attach="-a stdout"\ndocker run $attach --name web acme/web:1',
      "docker run -d --name web acme/web:1", // no install, update or launcher in its name
    ]) {
      const path = body.startsWith("docker") ? "scripts/start.sh" : "install.sh";
      expect((await detect("deploy/deploy-script", { [path]: sh(body) })).status, body).toBe("fail");
    }
  });
});

describe("deploy-script: systemd and podman installs", () => {
  it("a script that puts a unit in place and enables it", async () => {
    const r = await detect("deploy/deploy-script", {
      "podman/install-user-service": sh(
        "mkdir -p ~/.config/systemd/user\ncp app.service ~/.config/systemd/user\n" +
          "systemctl --user daemon-reload\nsystemctl --user enable app.service\n" +
          "systemctl --user start app.service",
      ),
    });
    expect(notes(r)).toEqual(["podman/install-user-service:6 installs a systemd unit, then systemctl enable"]);
  });
  it("through helper functions, with install -T into /etc/systemd/system", async () => {
    const r = await detect("deploy/deploy-script", {
      "setup/basic-install.sh": sh(
        'enable_service() { systemctl enable "${1}"; }\n' +
          'install -T -m 0644 "$REPO/templates/app.systemd" "/etc/systemd/system/app.service"\n' +
          "systemctl daemon-reload\nenable_service app",
      ),
    });
    expect(r.status).toBe("pass");
  });
  it("a Quadlet unit copied to containers/systemd and started", async () => {
    const r = await detect("deploy/deploy-script", {
      "scripts/install.sh": sh(
        "cp containers/app.container ~/.config/containers/systemd/\nsystemctl --user daemon-reload\nsystemctl --user start app",
      ),
    });
    expect(r.status).toBe("pass");
  });
  it("restarting a service, or copying a unit without enabling it, is not an install", async () => {
    expect(await detect("deploy/deploy-script", { "scripts/restart.sh": sh("systemctl restart app") })).toMatchObject({
      status: "fail",
      reasonId: "no-deploy-command",
    });
    expect(
      await detect("deploy/deploy-script", { "scripts/prepare.sh": sh("cp app.service /etc/systemd/system/") }),
    ).toMatchObject({ status: "fail", reasonId: "no-deploy-command" });
  });
});

describe("deploy-script: a compose file that the install docs start on a server", () => {
  const compose =
    "services:\n  app:\n    image: acme/app:2.1\n    restart: unless-stopped\n    env_file: app.env\n  db:\n    image: postgres:16\n";
  it("README '## Install' starts the stack: the compose file is the deploy", async () => {
    const r = await detect("deploy/deploy-script", {
      "README.md":
        "# App\n\n## Install\n\n```sh\ngit clone https://example.org/app\ncd app\ndocker compose up -d\n```\n",
      "docker-compose.yml": compose,
      "app.env": "BASE_URL=replace-me\n",
    });
    expect(notes(r)).toEqual([
      "docker-compose.yml:2 README.md 'Install' installs this stack (docker compose up)",
      "README.md:3 the install steps",
    ]);
  });
  it("a stack file deployed to a swarm, named with -c; compose files named with -f beside the doc", async () => {
    const stack = await detect("deploy/deploy-script", {
      "README.md":
        "# P\n\n## Installation & Configuration\n\n```sh\ndocker stack deploy -c docker-stack.yml prom\n```\n",
      "docker-stack.yml": "services:\n  prometheus:\n    image: prom/prometheus\n    build: .\n",
    });
    expect(stack.status).toBe("pass");
    const named = await detect("deploy/deploy-script", {
      "docs/self-hosting/compose.md":
        "# Compose\n\n## Start\n\n```sh\ndocker compose -f ../../docker/production/compose.yml up -d\n```\n",
      "docker/production/compose.yml": compose,
    });
    expect(notes(named)[0]).toMatch(/^docker\/production\/compose\.yml:2 /);
  });
  it("a demo, a development compose file, or a stack built from the checkout is not a deploy", async () => {
    const cases: Record<string, string>[] = [
      {
        "README.md": "# App\n\n## Running the demonstration environment\n\n```sh\ndocker compose up -d\n```\n",
        "docker-compose.yml": compose,
      },
      {
        "README.md": "# App\n\n## Quickstart\n\n```sh\ndocker compose -f docker-compose.dev.yml up -d\n```\n",
        "docker-compose.dev.yml": compose,
      },
      {
        "README.md": "# App\n\n## Getting started\n\n```sh\ndocker compose up\n```\n",
        "docker-compose.yml": "services:\n  app:\n    build: .\n    ports: ['3000:3000']\n",
      },
      { "README.md": "# App\n\n## Install\n\n```sh\ndocker compose up -d\n```\n" }, // no compose file here
    ];
    for (const files of cases) {
      expect(await detect("deploy/deploy-script", files), JSON.stringify(files)).toMatchObject({
        status: "fail",
        reasonId: "no-deploy-command",
      });
    }
  });
});
