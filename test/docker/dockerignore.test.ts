import { describe, expect, it } from "vitest";
import { dockerignoreAnalyzer } from "../../src/analyzers/container/dockerignore.js";
import { analyze } from "../helpers.js";
import { loadFixture } from "./load.js";

const matches = (path: string) =>
  dockerignoreAnalyzer.match(path, path.slice(path.lastIndexOf("/") + 1), path.toLowerCase());

describe(".dockerignore analyzer", () => {
  it("matches .dockerignore and BuildKit's <Dockerfile>.dockerignore only", () => {
    expect(
      [
        "./.dockerignore".slice(2),
        "web/.dockerignore",
        "Dockerfile.dockerignore",
        "build/api.Dockerfile.dockerignore",
      ].map(matches),
    ).toEqual([true, true, true, true]);
    expect(["dockerignore", ".dockerignore.bak", ".gitignore"].map(matches)).toEqual([false, false, false]);
  });

  it("emits the patterns in effect, without comments and blank lines", async () => {
    const { facts, findings } = await analyze(loadFixture("good"));
    expect(facts.all("dockerignore")).toEqual([
      { path: ".dockerignore", patterns: [".git", "node_modules", "dist", ".env*"], ignoresSomething: true },
    ]);
    expect(findings.filter((f) => f.rule.startsWith("dockerignore/"))).toEqual([]);
  });

  it("a file that only comments or re-includes ignores nothing: a note", async () => {
    const { facts, findings } = await analyze(loadFixture("dockerignore-empty"));
    expect(facts.all("dockerignore")[0]).toMatchObject({ patterns: ["!keep-me"], ignoresSomething: false });
    expect(findings).toContainEqual(
      expect.objectContaining({ path: ".dockerignore", rule: "dockerignore/ignores-nothing", severity: "note" }),
    );
  });

  it("names the Dockerfile a per-Dockerfile ignore file belongs to", async () => {
    const { facts } = await analyze({ "build/api.Dockerfile.dockerignore": "*\n!dist\n" });
    expect(facts.all("dockerignore")[0]).toMatchObject({
      forDockerfile: "build/api.Dockerfile",
      ignoresSomething: true,
    });
  });
});
