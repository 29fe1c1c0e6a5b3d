// justfiles (the `just` command runner): recipes are read like Makefile targets and feed the command graph.
import { describe, expect, it } from "vitest";
import { readJustfile } from "../../src/analyzers/scripts/justfile-reader.js";
import { contextOf, detect } from "../helpers.js";

const lines = (...l: string[]) => `${l.join("\n")}\n`;
const notes = (r: { evidence?: { path: string; line?: number; note?: string }[] }) =>
  (r.evidence ?? []).map((e) => `${e.path}:${e.line} ${e.note}`);

describe("justfile reader", () => {
  it("reads settings, variables, modules, imports, aliases and recipes with parameters and dependencies", () => {
    const parsed = readJustfile(
      lines(
        "#!/usr/bin/env -S just --justfile",
        "set shell := ['bash', '-euo', 'pipefail', '-c']",
        "set dotenv-load",
        "registry := 'ghcr.io/acme'",
        "export TAG := `git rev-parse --short HEAD`",
        "flags := (",
        "  '--wait'",
        ")",
        "import? 'ci/extra.just'",
        "[group('Ops')]",
        "mod ops 'operations'",
        "alias d := deploy",
        "",
        "# Deploy to an environment",
        "[confirm, group('Deploy')]",
        "@deploy env='staging' +services: build (push env) && notify",
        "    echo deploying {{ env }}",
        "",
        "    -kubectl apply -k overlays/{{env}}",
        "",
        "build:",
        "\tdocker build -t {{registry}}/app:{{ TAG }} .",
        "",
        "# old: echo only",
        "# deploy_legacy: build",
        "#     ssh prod ./legacy.sh",
      ),
    );
    expect(parsed.settings.get("shell")).toBe("['bash', '-euo', 'pipefail', '-c']");
    expect(parsed.settings.get("dotenv-load")).toBe(true);
    expect(parsed.variables.map((v) => v.name)).toEqual(["registry", "TAG", "flags"]);
    expect(parsed.imports).toEqual([{ path: "ci/extra.just", optional: true, line: 9 }]);
    expect(parsed.modules).toEqual([{ name: "ops", path: "operations", optional: false, line: 11 }]);
    expect(parsed.aliases).toEqual([{ name: "d", target: "deploy", line: 12 }]);
    expect(parsed.recipes.map((r) => r.name)).toEqual(["deploy", "build"]);
    const deploy = parsed.recipes[0]!;
    expect(deploy).toMatchObject({
      line: 16,
      quiet: true,
      attributes: ["confirm", "group('Deploy')"],
      parameters: [
        { name: "env", default: "staging" },
        { name: "services", variadic: "+" },
      ],
      dependencies: [
        { name: "build", args: [] },
        { name: "push", args: ["env"] },
        { name: "notify", args: [], after: true },
      ],
    });
    expect(deploy.body.map((l) => `${l.line}:${l.text}`)).toEqual([
      "17:echo deploying {{ env }}",
      "18:",
      "19:-kubectl apply -k overlays/{{env}}",
    ]);
  });

  it("recipe commands: interpolations replaced, prefixes off, a commented-out recipe is nothing", async () => {
    const ctx = await contextOf({
      justfile: lines(
        "host := 'web1.example.com'",
        "",
        "# deploy_container ssh_target: build_container",
        "#     docker save app | ssh {{ssh_target}} docker load",
        "",
        "deploy ssh_target: build",
        "    @rsync -az ./build/ {{ssh_target}}:/var/www/site",
        "    -ssh {{ host }} sudo systemctl restart site",
        "",
        "build:",
        "    pnpm build",
      ),
    });
    const commands = ctx.facts.all("command").filter((c) => c.origin === "just");
    expect(commands.map((c) => `${c.line} ${c.unit}: ${c.argv.join(" ")}`)).toEqual([
      "7 deploy: rsync -az ./build/ ${ssh_target}:/var/www/site",
      "8 deploy: ssh web1.example.com sudo systemctl restart site",
      "11 build: pnpm build",
    ]);
    expect(ctx.facts.all("justfile")[0]!.recipes.map((r) => `${r.name}(${r.parameters}) <- ${r.dependencies}`)).toEqual(
      ["deploy(ssh_target) <- build", "build() <- "],
    );
  });

  it("shebang recipes run their body as a script; a Python one has no shell commands", async () => {
    const ctx = await contextOf({
      Justfile: lines(
        "publish:",
        "    #!/usr/bin/env bash",
        "    set -euxo pipefail",
        "    for f in dist/*; do",
        '      gh release upload "$VERSION" "$f"',
        "    done",
        "",
        "report:",
        "    #!/usr/bin/env python3",
        "    import os; os.system('kubectl apply -f x.yaml')",
      ),
    });
    const commands = ctx.facts.all("command").filter((c) => c.origin === "just");
    expect(commands.map((c) => `${c.line} ${c.unit}: ${c.argv[0]}`)).toEqual(["3 publish: set", "5 publish: gh"]);
    expect(ctx.facts.all("justfile")[0]!.recipes.map((r) => r.script)).toEqual(["bash", "python3"]);
  });
});

describe("just recipes deploy", () => {
  it("a recipe that runs a deploy command is the deploy script, and `just deploy` the one command", async () => {
    const files = {
      Justfile: lines(
        "_default:",
        "  just --list",
        "",
        "docker-build:",
        "  docker build --tag app .",
        "",
        "deploy: docker-build",
        "  fly deploy --local-only",
      ),
    };
    expect(notes(await detect("deploy/deploy-script", files))).toEqual(["Justfile:8 fly deploy (just deploy)"]);
    expect(notes(await detect("deploy/one-command-deploy", files))).toEqual(["Justfile:7 just deploy"]);
  });

  it("a recipe that only echoes a deploy command deploys nothing", async () => {
    const files = {
      justfile: lines("deploy:", '    echo "run: fly deploy --remote-only"', "    @echo done"),
    };
    expect(await detect("deploy/deploy-script", files)).toMatchObject({
      status: "fail",
      reasonId: "no-deploy-command",
    });
    expect(await detect("deploy/one-command-deploy", files)).toMatchObject({
      status: "fail",
      reasonId: "no-deploy-entry-point",
    });
  });

  it("`deploy` reaches a deploying recipe through its dependencies and through `just other`", async () => {
    const files = {
      justfile: lines(
        "deploy MSG: push",
        '    git commit -am "{{ MSG }}"',
        '    ssh prod "cd site && git pull && just prod"',
        "",
        "push:",
        "    just release",
        "",
        "release:",
        "    helm upgrade --install site ./chart",
        "",
        "prod:",
        "    docker compose pull",
      ),
    };
    expect(notes(await detect("deploy/one-command-deploy", files))).toEqual(["justfile:1 just deploy"]);
  });

  it("a recipe that runs the repository's own recipe on the host over ssh: compose up there is the deploy", async () => {
    const files = {
      Justfile: lines(
        "dev: build",
        "    docker compose up -d --force-recreate",
        "",
        "prod: build",
        "    SITE_ADDRESS=example.org docker compose up -d --force-recreate",
        "",
        "deploy MSG:",
        '    git commit -am "{{ MSG }}"',
        "    git push origin",
        '    ssh prod "cd site && git pull && just prod prune"',
        "",
        "build:",
        "    docker compose pull",
        "",
        "prune:",
        "    docker image prune -f",
      ),
    };
    expect(notes(await detect("deploy/deploy-script", files))).toEqual([
      "Justfile:10 ssh: just prod runs docker compose up on the host (just deploy)",
    ]);
  });

  it("not a deploy: the same recipes with no ssh, or ssh that runs a recipe starting nothing", async () => {
    const local = { Justfile: lines("up:", "    docker compose up -d", "", "logs:", "    docker compose logs -f") };
    expect((await detect("deploy/deploy-script", local)).status).toBe("fail");
    const remote = {
      Justfile: lines("status:", '    ssh prod "cd site && just logs"', "", "logs:", "    docker compose logs -f"),
    };
    expect((await detect("deploy/deploy-script", remote)).status).toBe("fail");
  });

  it("a deploying recipe that takes the environment is per-environment", async () => {
    const files = {
      justfile: lines("deploy env:", "    kubectl apply -k overlays/{{ env }}"),
    };
    expect(notes(await detect("deploy/per-environment", files))).toContain("justfile:1 just deploy takes env");
    const none = { justfile: lines("deploy target:", "    kubectl apply -k overlays/prod") };
    expect(notes(await detect("deploy/per-environment", none))).not.toContain("justfile:1 just deploy takes target");
  });

  it("modules: `mod bootstrap` and its mod.just recipes, called as `just bootstrap apps` from CI", async () => {
    const files = {
      ".justfile": lines(
        "set shell := ['bash', '-euo', 'pipefail', '-c']",
        "[group('Bootstrap')]",
        'mod bootstrap "bootstrap"',
        "",
        "[private]",
        "log lvl msg:",
        '    gum log -l "{{ lvl }}" "{{ msg }}"',
      ),
      "bootstrap/mod.just": lines(
        "set default-script",
        "cluster: apps",
        "",
        "[private]",
        "apps:",
        '    just log info "Running stage..."',
        '    if ! helmfile -f "{{ source_directory() }}/helmfile/apps.yaml" sync --hide-notes; then',
        '        just log fatal "Failed to sync helmfile"',
        "    fi",
      ),
      ".github/workflows/bootstrap.yml": lines(
        "on:",
        "  push:",
        "    branches: [main]",
        "jobs:",
        "  bootstrap:",
        "    runs-on: ubuntu-latest",
        "    steps:",
        "      - uses: actions/checkout@v4",
        "      - run: just bootstrap cluster",
        "  preview:",
        "    runs-on: ubuntu-latest",
        "    steps:",
        "      - run: just --dry-run bootstrap cluster",
      ),
    };
    const ctx = await contextOf(files);
    const jobs = Object.fromEntries(ctx.derived.ciJobs.map((j) => [j.job.id, j.deploys.map((d) => d.what)]));
    expect(jobs).toEqual({
      bootstrap: ["just bootstrap (helmfile sync)"],
      preview: [],
    });
    expect(notes(await detect("deploy/deploy-script", files))).toEqual([
      "bootstrap/mod.just:7 helmfile sync (just apps)",
    ]);
  });

  it("a Windows-only recipe and a recipe under a PowerShell `set shell` have no shell commands", async () => {
    const ctx = await contextOf({
      justfile: lines(
        "[windows]",
        "deploy:",
        "    kubectl apply -f k8s/",
        "",
        "[linux]",
        "up:",
        "    docker compose up -d",
      ),
      "tools/win.just": lines("set shell := ['pwsh', '-c']", "deploy:", "    kubectl apply -f k8s/"),
    });
    expect(ctx.facts.all("command").map((c) => `${c.path} ${c.unit}`)).toEqual(["justfile up"]);
  });
});
