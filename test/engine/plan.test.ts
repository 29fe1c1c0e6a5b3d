// planReads is the engine's own selection, run before any read: a remote source fetches exactly the files the
// scan then reads, under the default config and under one that ignores folders and lowers max_file_size.
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { analyzers } from "../../src/analyzers/index.js";
import { type Config, DEFAULT_CONFIG } from "../../src/config/config.js";
import { planReads } from "../../src/engine/index.js";
import { extensionOf, planAnalysis } from "../../src/engine/plan.js";
import { analyzeSnapshot } from "../../src/engine/scan.js";
import { memorySnapshot, type Snapshot } from "../../src/engine/snapshot.js";
import { type Files, readFolder } from "../helpers.js";

const FIXTURES = join(import.meta.dirname, "../../fixtures");
const repos: Files[] = readdirSync(FIXTURES).flatMap((domain) =>
  readdirSync(join(FIXTURES, domain))
    .filter((name) => statSync(join(FIXTURES, domain, name)).isDirectory())
    .map((name) => readFolder(join(FIXTURES, domain, name))),
);

/** The paths a scan asks its snapshot for. */
async function readBy(files: Files, config: Config): Promise<string[]> {
  const inner = memorySnapshot(files);
  let asked: string[] = [];
  const recording: Snapshot = {
    ...inner,
    read: (paths, maxBytes) => {
      asked = paths;
      return inner.read(paths, maxBytes);
    },
  };
  await analyzeSnapshot(recording, analyzers, config);
  return asked;
}

describe("planReads", () => {
  const narrow: Config = { ...DEFAULT_CONFIG, ignore: [".github/**", "deploy/**"], max_file_size: 200 };

  it.each([
    ["the default config", DEFAULT_CONFIG],
    ["ignore and a small max_file_size", narrow],
  ])("plans what the scan reads, on every fixture repository, under %s", async (_, config) => {
    for (const files of repos) {
      const entries = await memorySnapshot(files).list();
      expect(planReads(entries, config)).toEqual(await readBy(files, config));
    }
  });

  it("leaves out ignored paths and files over max_file_size", () => {
    const entries = [
      { path: "Dockerfile", size: 100 },
      { path: "deploy/Dockerfile", size: 100 },
      { path: "big/Dockerfile", size: 5000 },
      { path: "src/index.js", size: 10 },
    ];
    expect(planReads(entries, DEFAULT_CONFIG)).toEqual(["Dockerfile", "deploy/Dockerfile", "big/Dockerfile"]);
    expect(planReads(entries, { ...DEFAULT_CONFIG, ignore: ["deploy/**"], max_file_size: 1000 })).toEqual([
      "Dockerfile",
    ]);
  });

  it("only matches paths: no analyzer prepares or analyses", () => {
    const spies = analyzers.flatMap((a) => [
      vi.spyOn(a, "analyze"),
      ...(a.prepare ? [vi.spyOn(a as Required<typeof a>, "prepare")] : []),
    ]);
    const entries = repos.flatMap((files) => Object.keys(files).map((path) => ({ path })));
    expect(planReads(entries, DEFAULT_CONFIG).length).toBeGreaterThan(0);
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    for (const spy of spies) spy.mockRestore();
  });
});

/** Every file of this repository (sources, docs, fixtures), and names that only some analyzers want. */
function samplePaths(): string[] {
  const root = join(import.meta.dirname, "../..");
  const out: string[] = [];
  const walk = (dir: string, rel: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (["node_modules", ".git", "dist", "action", "data"].includes(entry.name) && rel === "") continue;
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(join(dir, entry.name), path);
      else out.push(path);
    }
  };
  walk(root, "");
  // a fixture repository's files also as that repository has them (`.github/workflows/…` at its root)
  const inFixtures = out.filter((p) => p.startsWith("fixtures/")).map((p) => p.split("/").slice(3).join("/"));
  return [
    ...out,
    ...inFixtures.filter((p) => p !== ""),
    "Dockerfile.prod",
    "ci/Jenkinsfile.release",
    "etc/cron.d/backup",
    "deploy/backup.crontab",
    "ops/borgmatic-crontab.txt",
    "install",
    "scripts/update",
    "GNUmakefile",
    "mod.just",
    ".justfile",
    "Kustomization",
    "live/prod/terragrunt.hcl",
    "jobs/api.nomad.hcl",
    "alloy/config.alloy.j2",
    "netdata/health.d/disk.conf.j2",
    "roles/zfs/templates/sanoid.conf.j2",
    "helmfile.d/values/loki.yaml.gotmpl",
    "app/jobs/backup_job.rb",
    ".github/CODEOWNERS",
    "docs/RELEASING",
    "infra/stack.template",
    "web.dockerignore",
  ];
}

describe("analyzers declare the extensions of the files they want", () => {
  const paths = samplePaths();

  it("an analyzer with `extensions` matches no file of another extension", () => {
    const declared = analyzers.filter((a) => a.extensions);
    expect(declared.length).toBeGreaterThan(40);
    const wrong: string[] = [];
    for (const a of declared)
      for (const path of paths) {
        const lower = path.toLowerCase();
        if (a.match(path, path.slice(path.lastIndexOf("/") + 1), lower) && !a.extensions!.includes(extensionOf(lower)))
          wrong.push(`${a.id}: ${path}`);
      }
    expect(wrong).toEqual([]);
  });

  it("the plan offers each file only to the analyzers of its extension, and picks the same files", () => {
    const entries = paths.map((path) => ({ path, size: 1 }));
    const undeclared = analyzers.map(({ extensions: _, ...a }) => a);
    const plain = planAnalysis(entries, undeclared, DEFAULT_CONFIG).candidates;
    const indexed = planAnalysis(entries, analyzers, DEFAULT_CONFIG).candidates;
    expect(indexed.map((c) => [c.path, c.analyzers.map((a) => a.id)])).toEqual(
      plain.map((c) => [c.path, c.analyzers.map((a) => a.id)]),
    );
    expect(indexed.length).toBeGreaterThan(150);
  });

  it("an extension is the name's last dot onwards, or nothing", () => {
    expect(
      ["ci/deploy.yml", ".dockerignore", "Makefile", "a.b/Makefile", "x/values.yaml.gotmpl"].map(extensionOf),
    ).toEqual([".yml", ".dockerignore", "", "", ".gotmpl"]);
  });
});
