// A problem the team silenced in place (devops-ladder-ignore) does not fail the signal built on it, and config
// that turns a signal off turns off its twin (the signal of another task that reads the same facts).
import { describe, expect, it } from "vitest";
import { type Files, scanFiles, signalOf } from "../helpers.js";

const WORKFLOW = (marker: string) =>
  [
    "on: [pull_request]",
    "permissions: { contents: read }",
    "jobs:",
    "  test:",
    "    runs-on: ubuntu-latest",
    "    steps:",
    "      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683",
    marker,
    "      - uses: some-org/setup-tool@v2",
    "      - run: npm test",
  ].join("\n");

const cases: { signal: string; rule: string; problem: Files; silenced: Files }[] = [
  {
    signal: "cicd/pinned-actions",
    rule: "ci/unpinned-action",
    problem: { ".github/workflows/ci.yml": WORKFLOW("") },
    silenced: { ".github/workflows/ci.yml": WORKFLOW("      # devops-ladder-ignore ci/unpinned-action") },
  },
  {
    signal: "docker/non-root-user",
    rule: "docker/root-user",
    problem: { Dockerfile: 'FROM debian:12\nCMD ["true"]\n' },
    silenced: {
      Dockerfile: '# devops-ladder-ignore docker/root-user: the init needs root\nFROM debian:12\nCMD ["true"]\n',
    },
  },
  {
    signal: "docker/pinned-base-images",
    rule: "docker/unpinned-base-image",
    problem: { Dockerfile: "FROM debian\nUSER 1000\n" },
    silenced: { Dockerfile: "FROM debian # devops-ladder-ignore docker/unpinned-base-image\nUSER 1000\n" },
  },
  {
    signal: "deploy/strict-shell",
    rule: "shell/no-strict-mode",
    problem: { "scripts/deploy.sh": "#!/bin/bash\nkubectl apply -f k8s/\n" },
    silenced: {
      "scripts/deploy.sh": "#!/bin/bash\n# devops-ladder-ignore shell/no-strict-mode\nkubectl apply -f k8s/\n",
    },
  },
  {
    signal: "architecture/pinned-iac-versions",
    rule: "terraform/unpinned-provider",
    problem: {
      "infra/main.tf": 'terraform {\n  required_providers {\n    aws = { source = "hashicorp/aws" }\n  }\n}\n',
    },
    silenced: {
      "infra/main.tf":
        "terraform {\n  required_providers {\n" +
        "    # devops-ladder-ignore terraform/unpinned-provider\n" +
        '    aws = { source = "hashicorp/aws" }\n  }\n}\n',
    },
  },
];

describe("a problem silenced in place", () => {
  it.each(cases)(
    "fails $signal without the marker, passes it with the marker",
    async ({ signal, problem, silenced }) => {
      const before = signalOf(await scanFiles(problem), signal);
      expect(before.status).toBe("fail");
      const after = await scanFiles(silenced);
      const result = signalOf(after, signal);
      expect(result.status).toBe("pass");
      expect(result.reason).toBe("every problem is suppressed in place");
      expect(result.evidence.every((e) => e.note?.endsWith("suppressed in place"))).toBe(true);
    },
  );

  it("also accepts the signal id as the marker's rule, and still fails on a problem left open", async () => {
    const files = {
      Dockerfile: "# devops-ladder-ignore docker/non-root-user\nFROM debian:12\n",
      "worker/Dockerfile": "FROM debian:12\n",
    };
    const result = signalOf(await scanFiles(files), "docker/non-root-user");
    expect(result.status).toBe("fail");
    expect(result.evidence.map((e) => e.path)).toEqual(["worker/Dockerfile"]);
  });

  it("is not silenced by a marker for another rule", async () => {
    const files = { Dockerfile: "# devops-ladder-ignore docker/unpinned-base-image\nFROM debian:12\n" };
    expect(signalOf(await scanFiles(files), "docker/non-root-user").status).toBe("fail");
  });
});

describe("twin signals", () => {
  const files = { Dockerfile: 'FROM node:20\nUSER node\nCMD ["node", "index.js"]\n' };

  it.each([
    ["docker/healthcheck", "monitoring/health-checks"],
    ["monitoring/health-checks", "docker/healthcheck"],
  ])("disabling %s disables %s too", async (off, twin) => {
    const report = await scanFiles(files, `signals:\n  ${off}: { enabled: false }\n`);
    expect(signalOf(report, off).status).toBe("na");
    expect(signalOf(report, twin)).toMatchObject({
      status: "na",
      reason: `disabled in the repository config (as ${off})`,
    });
  });

  it("marks the twin not applicable with the same reason, and leaves other signals alone", async () => {
    const report = await scanFiles(files, 'signals:\n  docker/healthcheck: { not_applicable: "a batch job" }\n');
    expect(signalOf(report, "monitoring/health-checks").reason).toBe(
      "not applicable (config, docker/healthcheck): a batch job",
    );
    expect(signalOf(report, "docker/non-root-user").status).toBe("pass");
  });
});
