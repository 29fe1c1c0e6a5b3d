// --only: a report narrowed to some tasks or signals; the level stays the repository's.
import { describe, expect, it } from "vitest";
import { defaultRules } from "../../src/engine/index.js";
import { narrowReport, parseSelection, SelectionError } from "../../src/engine/only.js";
import { scanFiles } from "../helpers.js";

const files = {
  Dockerfile: "FROM node:latest\nCMD node s.js\n",
  ".github/workflows/ci.yml":
    "on: [pull_request]\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: npm test\n",
};

describe("parseSelection", () => {
  it("accepts task ids and signal ids, comma-separated", () => {
    expect(parseSelection("docker, cicd/pinned-actions,docker", defaultRules())).toEqual([
      "docker",
      "cicd/pinned-actions",
    ]);
  });

  it.each(["", " , ", "dockre", "docker/nope", "docker/"])("refuses %j", (text) => {
    expect(() => parseSelection(text, defaultRules())).toThrow(SelectionError);
  });
});

describe("narrowReport", () => {
  it("keeps a selected task whole, with its score and findings; other tasks have no signal and no score", async () => {
    const full = await scanFiles(files);
    const only = narrowReport(full, ["docker"]);
    const docker = full.tasks.find((t) => t.id === "docker")!;
    expect(only.tasks).toHaveLength(7);
    expect(only.tasks.find((t) => t.id === "docker")).toEqual(docker);
    expect(only.tasks.filter((t) => t.id !== "docker").every((t) => t.signals.length === 0 && t.score === null)).toBe(
      true,
    );
    expect(only.score).toBe(docker.score);
    expect(only.findings.map((f) => f.rule)).toEqual(
      full.findings.map((f) => f.rule).filter((r) => r.startsWith("docker/")),
    );
    expect(only.only).toEqual(["docker"]);
    expect(only.level).toBe(full.level);
    expect(only.milestones).toEqual(full.milestones);
  });

  it("narrows to single signals, scored alone, without the task's findings", async () => {
    const full = await scanFiles(files);
    const only = narrowReport(full, ["docker/non-root-user", "cicd/ci-tests"]);
    expect(only.tasks.flatMap((t) => t.signals.map((s) => `${s.id} ${s.status}`))).toEqual([
      "cicd/ci-tests pass",
      "docker/non-root-user fail",
    ]);
    expect(only.score).toBe(50);
    expect(only.findings).toEqual([]);
  });

  it("keeps findings about the config whatever the selection", async () => {
    const full = await scanFiles(files, "bogus: 1\n");
    expect(narrowReport(full, ["backups"]).findings.map((f) => f.rule)).toEqual(["config/invalid"]);
  });
});
