// Parsers load on first need (src/analyzers/lazy-library.ts): an analyzer's `prepare` must load every parser its
// `analyze` uses, and detectors that read shell again must find the parser loaded by the analyzers that emitted it.
// Each check runs in a fresh module graph, where nothing is loaded yet, on every fixture folder.
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { analyzers } from "../../src/analyzers/index.js";
import type { Finding } from "../../src/engine/types.js";
import { type Files, readFolder } from "../helpers.js";

const FIXTURES = join(import.meta.dirname, "../../fixtures");

/** Files of the analyzers whose fixtures live at other paths than the ones they match. */
const INLINE: Files = {
  ".circleci/config.yml": "version: 2.1\njobs:\n  test:\n    steps:\n      - run: npm test\n",
  ".buildkite/pipeline.yml": "steps:\n  - command: make deploy\n",
  ".woodpecker/test.yml": "steps:\n  - name: test\n    image: node\n    commands: [npm test]\n",
  "deploy/crontab": "0 3 * * * pg_dump app > /backups/app.sql\n",
  "ofelia/config.ini": '[job-exec "dump"]\nschedule = @daily\ncommand = pg_dump app\n',
  justfile: "deploy:\n    kubectl apply -f k8s/\n",
  "app/jobs/backup_job.rb":
    'class BackupJob < ApplicationJob\n  def perform\n    system("restic backup /data")\n  end\nend\n',
  "infra/main.tf":
    'resource "null_resource" "app" {\n  provisioner "local-exec" {\n    command = "kubectl apply -f k8s/"\n  }\n}\n',
};

/** fixtures/<domain>/<case>: each case folder stands for a repository. */
const cases: [string, Files][] = [["inline", INLINE]];
cases.push(
  ...readdirSync(FIXTURES).flatMap((domain) =>
    readdirSync(join(FIXTURES, domain))
      .filter((name) => statSync(join(FIXTURES, domain, name)).isDirectory())
      .map((name): [string, Files] => [`${domain}/${name}`, readFolder(join(FIXTURES, domain, name))]),
  ),
);

/** Fresh copies of the engine and the analyzers: no parser loaded yet. */
async function freshModules() {
  vi.resetModules();
  const [{ analyzers }, { analyzeSnapshot }, { scan }, { memorySnapshot }, { DEFAULT_CONFIG }] = await Promise.all([
    import("../../src/analyzers/index.js"),
    import("../../src/engine/scan.js"),
    import("../../src/engine/index.js"),
    import("../../src/engine/snapshot.js"),
    import("../../src/config/config.js"),
  ]);
  return { analyzers, analyzeSnapshot, scan, memorySnapshot, DEFAULT_CONFIG };
}

const crashes = (findings: Finding[]) =>
  findings.filter((f) => f.rule === "scan/analyzer-error" || f.rule === "scan/detector-error").map((f) => f.message);

describe("parsers that load on first need", () => {
  it("has fixtures for the analyzers that load a parser", () => {
    const lazy = analyzers.filter((a) => a.prepare);
    const covered = lazy.filter((a) =>
      cases.some(([, files]) =>
        Object.keys(files).some((p) => a.match(p, p.slice(p.lastIndexOf("/") + 1), p.toLowerCase())),
      ),
    );
    expect(covered.map((a) => a.id)).toEqual(lazy.map((a) => a.id));
  });

  it.each(analyzers.map((a) => [a.id]))("the %s analyzer alone loads what it needs", async (id) => {
    const fresh = await freshModules();
    const analyzer = fresh.analyzers.find((a) => a.id === id)!;
    for (const [, files] of cases) {
      const analysis = await fresh.analyzeSnapshot(fresh.memorySnapshot(files), [analyzer], fresh.DEFAULT_CONFIG);
      expect(crashes(analysis.findings)).toEqual([]);
    }
  });

  it("detectors find the parsers loaded by the analyzers of each fixture", async () => {
    for (const [, files] of cases) {
      const fresh = await freshModules();
      const report = await fresh.scan(fresh.memorySnapshot(files));
      expect(crashes(report.findings)).toEqual([]);
    }
  });
});

/** The parsers a full scan of `files` imports, in a fresh module graph: each import is seen by a pass-through mock. */
async function parsersLoadedBy(files: Files): Promise<string[]> {
  const parsers = ["web-tree-sitter", "dockerfile-ast", "dockerfilelint", "@cdktf/hcl2json"];
  const loaded = new Set<string>();
  vi.resetModules();
  for (const name of parsers)
    vi.doMock(name, async () => {
      loaded.add(name);
      return vi.importActual(name);
    });
  try {
    const fresh = await freshModules();
    const report = await fresh.scan(fresh.memorySnapshot(files));
    expect(crashes(report.findings)).toEqual([]);
  } finally {
    for (const name of parsers) vi.doUnmock(name);
  }
  return [...loaded].sort();
}

describe("a scan loads the parsers its files need, and no other", () => {
  it("loads none for a README of prose", async () => {
    expect(await parsersLoadedBy({ "README.md": "# A project\n\nNothing to deploy yet.\n" })).toEqual([]);
  });

  it("loads the shell parser for a README with a command in it", async () => {
    const readme = "# A project\n\n## Deploy\n\n```sh\nkubectl apply -f k8s/\n```\n";
    expect(await parsersLoadedBy({ "README.md": readme })).toEqual(["web-tree-sitter"]);
    expect(await parsersLoadedBy({ "README.md": "# A project\n\nRun `make deploy` on the server.\n" })).toEqual([
      "web-tree-sitter",
    ]);
  });

  it("loads the Dockerfile parsers for a Dockerfile, and HCL's for Terraform", async () => {
    expect(await parsersLoadedBy({ Dockerfile: "FROM node:20\nRUN npm ci\n" })).toEqual([
      "dockerfile-ast",
      "dockerfilelint",
      "web-tree-sitter",
    ]);
    expect(await parsersLoadedBy({ "infra/main.tf": 'resource "null_resource" "app" {}\n' })).toContain(
      "@cdktf/hcl2json",
    );
  });
});
