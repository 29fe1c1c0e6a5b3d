// planReads is the engine's own selection, run before any read: a remote source fetches exactly the files the
// scan then reads, under the default config and under one that ignores folders and lowers max_file_size.
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { analyzers } from "../../src/analyzers/index.js";
import { type Config, DEFAULT_CONFIG } from "../../src/config/config.js";
import { planReads } from "../../src/engine/index.js";
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
