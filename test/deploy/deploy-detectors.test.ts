import { describe, expect, it } from "vitest";
import { deployDetectors } from "../../src/detectors/deploy.js";
import type { DetectContext } from "../../src/engine/detector.js";
import { FactStore } from "../../src/engine/facts.js";
import { detectContext } from "../../src/engine/scan.js";
import { detect, scanFiles, signalOf } from "../helpers.js";
import { fixture } from "./fixture.js";

const sh = (body: string) => `#!/usr/bin/env bash\nset -euo pipefail\n${body}\n`;

describe("deploy/deploy-script", () => {
  it("passes on a script that deploys, with the line of the deploy command", async () => {
    const result = await detect("deploy/deploy-script", {
      "scripts/release.sh": sh("echo start\nhelm upgrade --install api ./chart"),
    });
    expect(result.status).toBe("pass");
    expect(result.evidence).toEqual([{ path: "scripts/release.sh", line: 4, note: "helm upgrade" }]);
  });

  it("passes on a Makefile target and an npm script, naming them", async () => {
    const result = await detect("deploy/deploy-script", {
      Makefile: "ship:\n\tterraform -chdir=infra apply -auto-approve\n",
      "web/package.json": '{\n  "scripts": {\n    "release": "wrangler deploy"\n  }\n}',
    });
    expect(result.evidence).toEqual([
      { path: "Makefile", line: 2, note: "terraform apply (make ship)" },
      { path: "web/package.json", line: 3, note: "wrangler deploy (npm script release)" },
    ]);
  });

  it("passes on rsync to a host followed by a remote restart, not on either alone", async () => {
    const both = await detect("deploy/deploy-script", {
      "deploy.sh": sh("rsync -az dist/ deploy@web1:/srv/app\nssh deploy@web1 sudo systemctl restart app"),
    });
    expect(both.evidence).toEqual([
      { path: "deploy.sh", line: 3, note: "rsync to deploy@web1:/srv/app, then ssh: systemctl restart" },
    ]);
    expect(await detect("deploy/deploy-script", { "sync.sh": sh("rsync -az dist/ web1:/srv/app") })).toMatchObject({
      status: "fail",
      reasonId: "no-deploy-command",
    });
    expect(
      await detect("deploy/deploy-script", { "restart.sh": sh("ssh web1 sudo systemctl restart app") }),
    ).toMatchObject({ status: "fail", reasonId: "no-deploy-command" });
  });

  it("fails on decoys: echo, comments, a stub deploy.sh, dry runs, terraform plan, a Makefile variable, vendored scripts", async () => {
    const result = await detect("deploy/deploy-script", fixture("deploy-decoys"));
    expect(result).toMatchObject({ status: "fail", reasonId: "no-deploy-command" });
    // the stub named like a deploy script is shown as the near miss
    expect(result.evidence).toEqual([
      { path: "scripts/deploy.sh", line: 1, note: "named like a deploy script, but runs no deploy command" },
    ]);
  });

  it("ignores deploy commands in CI steps (the cicd task scores those)", async () => {
    const ctx = contextWith((facts) =>
      facts.add("command", {
        path: ".github/workflows/cd.yml",
        line: 9,
        argv: ["kubectl", "apply", "-f", "k8s/"],
        origin: "ci",
        unit: "deploy",
      }),
    );
    expect(deployDetectors["deploy/deploy-script"]!(ctx, {})).toMatchObject({
      status: "fail",
      reasonId: "no-deploy-command",
    });
  });
});

describe("platform-config", () => {
  it("passes on a real platform config with its line", async () => {
    const result = await detect("deploy/platform-config", { "fly.toml": 'app = "api"\n' });
    expect(result).toMatchObject({ status: "pass", evidence: [{ path: "fly.toml", line: 1, note: "fly api" }] });
  });

  it("fails on an app-less fly.toml and a vercel.json with deployments off", async () => {
    const result = await detect("deploy/platform-config", {
      "fly.toml": "[env]\nA = 1\n",
      "vercel.json": '{ "git": { "deploymentEnabled": false }, "cleanUrls": true }',
    });
    expect(result).toMatchObject({ status: "fail", reasonId: "no-platform-config" });
  });
});

describe("deploy/deploy-docs", () => {
  const docCtx = (topics: ("deploy" | "architecture")[]) =>
    contextWith((facts) =>
      facts.add("doc", {
        path: "README.md",
        headings: [],
        codeBlocks: [],
        topics: topics.map((topic, i) => ({
          topic,
          line: 10 + i,
          heading: topic === "deploy" ? "Deployment" : "Architecture",
        })),
      }),
    );

  it("passes on a document whose topics include deploy, at the heading's line", () => {
    expect(deployDetectors["deploy/deploy-docs"]!(docCtx(["architecture", "deploy"]), {})).toMatchObject({
      status: "pass",
      evidence: [{ path: "README.md", line: 11, note: "Deployment" }],
    });
  });

  it("fails when no document covers deploying", () => {
    expect(deployDetectors["deploy/deploy-docs"]!(docCtx(["architecture"]), {})).toMatchObject({
      status: "fail",
      reasonId: "no-deploy-docs",
    });
  });

  it("passes end to end on a README section that explains deploying, not on a passing mention", async () => {
    const readme =
      "# API\n\n## Deployment\n\n1. Build the image: `make push`\n2. Deploy it:\n\n```sh\nmake deploy ENV=production\n```\n";
    const pass = await detect("deploy/deploy-docs", { "README.md": readme });
    expect(pass.status).toBe("pass");
    expect(pass.evidence?.[0]).toMatchObject({ path: "README.md", line: 3 });
    const mention = await detect("deploy/deploy-docs", { "README.md": "# API\n\nWe might deploy this one day.\n" });
    expect(mention).toMatchObject({ status: "fail", reasonId: "no-deploy-docs" });
  });
});

describe("strict-shell", () => {
  it("is not applicable without scripts that reach outside", async () => {
    expect(await detect("deploy/strict-shell", { "scripts/lint.sh": "#!/bin/bash\neslint .\n" })).toMatchObject({
      status: "na",
      reasonId: "no-ops-script",
    });
  });

  it("passes when every deploy/ops script is strict (POSIX sh needs no pipefail)", async () => {
    const result = await detect("deploy/strict-shell", {
      "scripts/deploy.sh": sh("kubectl apply -f k8s/"),
      "scripts/backup.sh": '#!/bin/sh\nset -eu\npg_dump "$DATABASE_URL" > db.sql\n',
    });
    expect(result.status).toBe("pass");
    expect(result.evidence).toEqual([
      { path: "scripts/deploy.sh", line: 2, note: "set -euo pipefail" },
      { path: "scripts/backup.sh", line: 2, note: "set -eu" },
    ]);
  });

  it("fails naming each script and the missing flags", async () => {
    const result = await detect("deploy/strict-shell", {
      "scripts/deploy.sh": sh("kubectl apply -f k8s/"),
      "scripts/rollback.sh": "#!/bin/bash\nset -e\nhelm rollback api\n",
    });
    expect(result).toMatchObject({ status: "fail", reasonId: "script-not-strict" });
    expect(result.evidence).toEqual([{ path: "scripts/rollback.sh", line: 1, note: "missing set -u -o pipefail" }]);
  });
});

describe("per-environment", () => {
  it("passes on a deploy script that takes the environment", async () => {
    const result = await detect("deploy/per-environment", {
      "scripts/deploy.sh": sh('case "${1:-}" in\n  staging|production) ;;\n  *) exit 2 ;;\nesac\nkamal deploy'),
    });
    expect(result.evidence).toEqual([
      { path: "scripts/deploy.sh", line: 3, note: "the script takes an environment (staging, production)" },
    ]);
  });

  it("passes on per-environment targets, env-named arguments and platform destinations", async () => {
    const result = await detect("deploy/per-environment", {
      Makefile: "deploy-prod:\n\thelm upgrade api ./chart\nplan:\n\tterraform plan -var-file=prod.tfvars\n",
      "package.json": '{ "scripts": { "ship": "serverless deploy --stage staging" } }',
      "config/deploy.staging.yml": "servers: [10.0.0.1]\n",
    });
    expect(result.status).toBe("pass");
    expect(result.evidence?.map((e) => `${e.path}:${e.line} ${e.note}`)).toEqual([
      "config/deploy.staging.yml:1 kamal: staging",
      "Makefile:2 helm upgrade for prod (make deploy-prod)",
      "package.json:1 serverless deploy staging (npm script ship)",
    ]);
  });

  it("fails when the deploy has one fixed target, or a non-deploy script takes an environment", async () => {
    const result = await detect("deploy/per-environment", {
      "scripts/deploy.sh": sh("kubectl apply -f k8s/test-pod.yaml"),
      "scripts/logs.sh": sh('case "$1" in staging|production) ;; esac\nkubectl logs deploy/api'),
    });
    expect(result).toMatchObject({ status: "fail", reasonId: "no-environment-input" });
  });
});

describe("one-command-deploy", () => {
  it("follows make deploy → prerequisites/scripts → the deploy command", async () => {
    const result = await detect("deploy/one-command-deploy", fixture("deploy-good"));
    expect(result.status).toBe("pass");
    expect(result.evidence).toEqual([
      { path: "Makefile", line: 14, note: "make deploy" },
      { path: "package.json", line: 6, note: "npm run deploy:preview" },
      { path: "scripts/deploy.sh", line: 1, note: "scripts/deploy.sh" },
    ]);
  });

  it("follows npm run and $(MAKE) indirections", async () => {
    const result = await detect("deploy/one-command-deploy", {
      "package.json": '{ "scripts": { "deploy": "npm run ship", "ship": "make -C infra apply" } }',
      "infra/Makefile":
        "apply: init\n\t$(MAKE) really-apply\ninit:\n\tterraform init\nreally-apply:\n\tterraform apply -auto-approve\n",
    });
    expect(result.evidence).toEqual([{ path: "package.json", line: 1, note: "npm run deploy" }]);
  });

  it("fails when the deploy entry point reaches no deploy command, or only the deploy command exists without a name", async () => {
    expect(await detect("deploy/one-command-deploy", fixture("deploy-decoys"))).toMatchObject({
      status: "fail",
      reasonId: "no-deploy-entry-point",
    });
    expect(
      await detect("deploy/one-command-deploy", {
        Makefile: "deploy:\n\t./scripts/deploy.sh\n",
        "scripts/deploy.sh": sh("echo deploying"),
      }),
    ).toMatchObject({ status: "fail", reasonId: "no-deploy-entry-point" });
    expect(await detect("deploy/one-command-deploy", { "scripts/k8s.sh": sh("kubectl apply -f k8s/") })).toMatchObject({
      status: "fail",
      reasonId: "no-deploy-entry-point",
    });
  });

  it("does not loop on recursive targets", async () => {
    const result = await detect("deploy/one-command-deploy", { Makefile: "deploy: deploy\n\t$(MAKE) deploy\n" });
    expect(result).toMatchObject({ status: "fail", reasonId: "no-deploy-entry-point" });
  });
});

describe("the deploy task end to end", () => {
  it("scores the good fixture: deploy-script passes with path and line, and the rest for the right reasons", async () => {
    const report = await scanFiles(fixture("deploy-good"));
    const script = signalOf(report, "deploy/deploy-script");
    expect(script.status).toBe("pass");
    expect(script.evidence).toEqual(
      expect.arrayContaining([
        { path: "scripts/deploy.sh", line: 20, note: "helm upgrade" },
        { path: "package.json", line: 6, note: "vercel deploy (npm script deploy:preview)" },
      ]),
    );
    // the repo deploys by script, so the platform-config signal does not apply; its detector still sees both files
    expect(signalOf(report, "deploy/platform-config")).toMatchObject({
      status: "na",
      reasonId: "not-no-deploy-script",
    });
    const platforms = (await detect("deploy/platform-config", fixture("deploy-good"))).evidence;
    expect(platforms).toHaveLength(2);
    expect(platforms).toEqual(
      expect.arrayContaining([
        { path: "config/deploy.yml", line: 1, note: "kamal api" },
        { path: "config/deploy.staging.yml", line: 1, note: "kamal (staging)" },
      ]),
    );
    expect(signalOf(report, "deploy/deploy-docs")).toMatchObject({
      status: "pass",
      evidence: [expect.objectContaining({ path: "docs/deploy.md" })],
    });
    expect(signalOf(report, "deploy/strict-shell").status).toBe("pass");
    expect(signalOf(report, "deploy/per-environment").status).toBe("pass");
    expect(signalOf(report, "deploy/one-command-deploy").status).toBe("pass");
    expect(report.tasks.find((t) => t.id === "deploy")!.score).toBe(100);
    expect(report.milestones.find((m) => m.id === "deploy_script")!.status).toBe("pass");
    expect(report.findings.filter((f) => /^(shell|makefile|manifest|platform)\//.test(f.rule))).toEqual([]);
  });

  it("scores the decoys at zero, with the no-strict-mode warnings where scripts matter", async () => {
    const report = await scanFiles(fixture("deploy-decoys"));
    const deploy = report.tasks.find((t) => t.id === "deploy")!;
    expect(deploy.signals.map((s) => [s.id, s.status, s.reasonId])).toEqual([
      ["deploy/deploy-script", "fail", "no-deploy-command"],
      ["deploy/platform-config", "fail", "no-platform-config"],
      ["deploy/deploy-docs", "fail", "no-deploy-docs"],
      ["deploy/strict-shell", "fail", "script-not-strict"],
      ["deploy/per-environment", "fail", "no-environment-input"],
      ["deploy/one-command-deploy", "fail", "no-deploy-entry-point"],
    ]);
    expect(deploy.score).toBe(0);
    expect(report.findings.filter((f) => f.rule === "shell/no-strict-mode").map((f) => f.path)).toEqual([
      "scripts/plan.sh",
    ]);
  });

  it("never takes vendored scripts as evidence", async () => {
    const report = await scanFiles({
      "vendor/acme/deploy.sh": sh("kubectl apply -f k8s/"),
      "node_modules/x/bin/deploy": sh("helm upgrade x ./c"),
    });
    expect(signalOf(report, "deploy/deploy-script")).toMatchObject({ status: "fail", reasonId: "no-deploy-command" });
  });
});

function contextWith(fill: (facts: FactStore) => void): DetectContext {
  const facts = new FactStore();
  fill(facts);
  return detectContext({ paths: [], facts });
}

describe("deploy/platform-config applies only to repos that do not deploy by script", () => {
  const script = "#!/usr/bin/env bash\nset -euo pipefail\nkubectl apply -f k8s/\n";
  const fly = 'app = "my-api"\nprimary_region = "cdg"\n';

  it("is not applicable when a script deploys", async () => {
    const report = await scanFiles({ "scripts/deploy.sh": script });
    expect(signalOf(report, "deploy/platform-config")).toMatchObject({
      status: "na",
      reasonId: "not-no-deploy-script",
    });
  });

  it("fails when nothing deploys, and passes on a real platform config", async () => {
    expect(signalOf(await scanFiles({ "README.md": "# x\n" }), "deploy/platform-config")).toMatchObject({
      status: "fail",
      reasonId: "no-platform-config",
    });
    expect(signalOf(await scanFiles({ "fly.toml": fly }), "deploy/platform-config")).toMatchObject({
      status: "pass",
      evidence: [expect.objectContaining({ path: "fly.toml" })],
    });
  });

  it("is judged again when the deploy script is only a stub", async () => {
    const stub = "#!/usr/bin/env bash\necho 'kubectl apply -f k8s/'\n";
    expect(signalOf(await scanFiles({ "scripts/deploy.sh": stub }), "deploy/platform-config")).toMatchObject({
      status: "fail",
      reasonId: "no-platform-config",
    });
  });
});
