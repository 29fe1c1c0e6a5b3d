import { describe, expect, it } from "vitest";
import { shellAnalyzer } from "../../src/analyzers/scripts/shell.js";
import { analyze } from "../helpers.js";

const matches = (path: string) => shellAnalyzer.match(path, path.slice(path.lastIndexOf("/") + 1), path.toLowerCase());

async function shellFacts(files: Record<string, string>) {
  const a = await analyze(files);
  return { shell: a.facts.all("shell"), commands: a.facts.all("command"), findings: a.findings };
}

describe("shell analyzer: which files", () => {
  it("matches .sh/.bash anywhere and extensionless files directly in script folders", () => {
    expect(matches("deploy.sh")).toBe(true);
    expect(matches("tools/release.bash")).toBe(true);
    expect(matches("bin/deploy")).toBe(true);
    expect(matches("scripts/rollback")).toBe(true);
    expect(matches("services/api/ops/backup")).toBe(true);
    expect(matches("bin/deploy.py")).toBe(false);
    expect(matches("src/tool")).toBe(false);
    expect(matches("README")).toBe(false);
    expect(matches("bin/sub/tool")).toBe(false);
    // installers and launchers by name, anywhere near the root (read only when the shebang names a shell)
    expect(matches("launcher")).toBe(true);
    expect(matches("install-discourse")).toBe(true);
    expect(matches("podman/install-systemd-user-service")).toBe(true);
    expect(matches("discourse-setup")).toBe(true);
    expect(matches("a/b/c/d/install")).toBe(false);
    expect(matches("Makefile")).toBe(false);
  });

  it("reads extensionless files only when the shebang names a shell", async () => {
    const { shell, commands } = await shellFacts({
      "bin/deploy": "#!/usr/bin/env bash\nkubectl apply -f k8s/\n",
      "bin/tool": "#!/usr/bin/env node\nconsole.log('kubectl apply')\n",
      "bin/data": "kubectl apply -f x\n",
    });
    expect(shell.map((s) => s.path)).toEqual(["bin/deploy"]);
    expect(commands.map((c) => c.path)).toEqual(["bin/deploy"]);
  });
});

describe("shell analyzer: strict mode", () => {
  const strictOf = async (text: string, path = "scripts/x.sh") => (await shellFacts({ [path]: text })).shell[0]!.strict;

  it.each([
    ["set -euo pipefail", { errexit: true, nounset: true, pipefail: true }],
    ["set -Eeuxo pipefail", { errexit: true, nounset: true, pipefail: true }],
    ["set -o errexit -o nounset -o pipefail", { errexit: true, nounset: true, pipefail: true }],
    ["set -eu\nset -o pipefail", { errexit: true, nounset: true, pipefail: true }],
    ["set -e", { errexit: true, nounset: false, pipefail: false }],
    ["set -x", { errexit: false, nounset: false, pipefail: false }],
    ["set -e\nset +e", { errexit: false, nounset: false, pipefail: false }],
    ["# set -euo pipefail", { errexit: false, nounset: false, pipefail: false }],
    ["echo 'set -e'", { errexit: false, nounset: false, pipefail: false }],
  ])("%j", async (body, expected) => {
    expect(await strictOf(`#!/bin/bash\n${body}\n`)).toMatchObject(expected);
  });

  it("reads flags on the shebang line, also through env -S", async () => {
    expect(await strictOf("#!/bin/bash -eu\necho hi\n")).toMatchObject({
      errexit: true,
      nounset: true,
      pipefail: false,
      line: 1,
    });
    expect(await strictOf("#!/usr/bin/env -S bash -euo pipefail\necho hi\n")).toMatchObject({
      errexit: true,
      nounset: true,
      pipefail: true,
    });
  });

  it("records the line where strict mode starts", async () => {
    expect((await strictOf("#!/bin/bash\n# comment\nset -euo pipefail\n")).line).toBe(3);
  });

  it("warns about a deploy script without strict mode, at line 1", async () => {
    const { findings } = await shellFacts({ "scripts/deploy.sh": "#!/bin/bash\ncd app\nkubectl apply -f k8s/\n" });
    expect(findings).toEqual([
      expect.objectContaining({
        path: "scripts/deploy.sh",
        line: 1,
        severity: "warning",
        rule: "shell/no-strict-mode",
      }),
    ]);
    expect(findings[0]!.message).toContain("kubectl apply (line 3)");
    expect(findings[0]!.remediation).toContain("set -euo pipefail");
  });

  it("does not judge a sourced function library on its own (it runs with its caller's options)", async () => {
    const { shell, findings } = await shellFacts({
      "scripts/lib/k8s.sh": "# sourced by deploy.sh\napply_all() {\n  kubectl apply -f k8s/\n}\n",
      "scripts/loose.sh": "apply_all() {\n  kubectl apply -f k8s/\n}\napply_all\n",
    });
    expect(shell.find((s) => s.path === "scripts/lib/k8s.sh")!.library).toBe(true);
    expect(findings.map((f) => f.path)).toEqual(["scripts/loose.sh"]);
  });

  it("does not warn about helper scripts that touch nothing outside, nor strict deploy scripts", async () => {
    const { findings } = await shellFacts({
      "scripts/lint.sh": "#!/bin/bash\nnpx eslint .\n",
      "scripts/echo-deploy.sh": "#!/bin/bash\necho 'kubectl apply -f k8s/'\n",
      "scripts/deploy.sh": "#!/bin/bash\nset -eo pipefail\nhelm upgrade --install api ./chart\n",
    });
    expect(findings).toEqual([]);
  });
});

describe("shell analyzer: environments", () => {
  const envOf = async (body: string) => {
    const s = (await shellFacts({ "scripts/deploy.sh": `#!/bin/bash\nset -eu\n${body}\nkubectl apply -f k8s/\n` }))
      .shell[0]!;
    return { environments: s.environments, input: s.environmentInput };
  };

  it("reads a case on the first argument", async () => {
    expect(await envOf('case "$1" in\n  staging|production) ;;\n  *) exit 2 ;;\nesac')).toEqual({
      environments: ["staging", "production"],
      input: { line: 3, source: '"$1"' },
    });
  });

  it("reads comparisons of an ENV-like variable or argument", async () => {
    expect((await envOf('if [ "$DEPLOY_ENV" = "prod" ]; then echo; fi')).environments).toEqual(["prod"]);
    expect((await envOf("[[ $1 == staging ]] || exit 1")).environments).toEqual(["staging"]);
  });

  it("reads an ENV variable taken from the arguments with a default", async () => {
    expect(await envOf("ENVIRONMENT=${1:-staging}")).toEqual({
      environments: ["staging"],
      input: { line: 3, source: "ENVIRONMENT=${1:-staging}" },
    });
  });

  it("ignores a fixed environment and cases on other words", async () => {
    expect(await envOf('RAILS_ENV=production\ncase "$2" in\n  start|stop) ;;\nesac')).toEqual({
      environments: [],
      input: undefined,
    });
  });
});

describe("shell analyzer: commands and errors", () => {
  it("emits every simple command with its line and function", async () => {
    const { commands } = await shellFacts({
      "deploy.sh": "#!/bin/sh\nset -eu\ndeploy() {\n  helm upgrade api ./chart\n}\ndeploy\n",
    });
    expect(commands.map((c) => [c.line, c.argv[0], c.unit, c.origin])).toEqual([
      [2, "set", undefined, "shell"],
      [4, "helm", "deploy", "shell"],
      [6, "deploy", undefined, "shell"],
    ]);
  });

  it("reports a parse error with its line and still records the script", async () => {
    const { shell, commands, findings } = await shellFacts({
      "scripts/deploy.sh": "#!/bin/bash\nif [ -f x ]; then\n  kubectl apply -f k8s/\n",
    });
    expect(shell[0]!.parseError?.line).toBe(2);
    expect(commands).toEqual([]);
    expect(findings).toEqual([expect.objectContaining({ rule: "shell/parse-error", line: 2, severity: "warning" })]);
  });

  it("survives empty files and binary noise", async () => {
    const { shell, findings } = await shellFacts({ "empty.sh": "", "scripts/weird.sh": "\u0001\u0002 ((( \n" });
    expect(shell.find((s) => s.path === "empty.sh")).toMatchObject({ functions: [], environments: [] });
    expect(findings.every((f) => f.rule === "shell/parse-error" || f.rule.startsWith("scan/"))).toBe(true);
  });
});

describe("parseShell details (used for environments)", () => {
  it("returns case patterns, assignments, [[ ]] comparisons and prefix assignments only when asked", async () => {
    const { parseShell } = await import("../../src/analyzers/shell-parse.js");
    const text =
      'ENV=${1:-staging}\ncase "$ENV" in\n  staging|production) ;;\nesac\n' +
      '[[ "$ENV" != prod ]] && echo x\nDOCKER_HOST=ssh://web1 docker compose up -d\n';
    expect(parseShell(text).details).toBeUndefined();
    const details = parseShell(text, "x.sh", { details: true }).details!;
    expect(details.cases).toEqual([{ subject: '"$ENV"', patterns: ["staging", "production"], line: 2 }]);
    expect(details.assignments).toEqual([
      { name: "ENV", value: "${1:-staging}", line: 1 },
      { name: "DOCKER_HOST", value: "ssh://web1", line: 6 },
    ]);
    expect(details.comparisons).toEqual([{ left: '"$ENV"', op: "!=", right: "prod", line: 5 }]);
    expect(details.prefixes).toEqual([{ line: 6, assigns: ["DOCKER_HOST=ssh://web1"] }]);
  });
});
