// The Dockerfile analyzer's path test was made cheaper ("erfile" before the name check instead of "file"):
// it must still pick exactly the files the plain name check picks.
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { dockerfileAnalyzer, isDockerfileName } from "../../src/analyzers/container/dockerfile.js";

const NAMES = [
  "Dockerfile",
  "dockerfile",
  "DOCKERFILE",
  "Containerfile",
  "Dockerfile.prod",
  "Dockerfile-dev",
  "Dockerfile_ci",
  "api.Dockerfile",
  "app.containerfile",
  "Dockerfile.md",
  "Dockerfile.j2",
  "Dockerfile.bak",
  "Dockerfile.dockerignore",
  "dockerfile.test.ts",
  "Makefile",
  "GNUmakefile",
  "Gemfile",
  "Procfile",
  "Pipfile",
  "profile.ts",
  "file-utils.js",
  "userfile.txt",
  "Dockerfiles",
  "dockerfiles.md",
  "my-dockerfile",
  "docker-compose.yml",
  "Jenkinsfile",
  "Vagrantfile",
  "Containerfile.alpine",
  "x.dockerfile.tmpl",
  "README.md",
  "main.tf",
];
const FOLDERS = ["", "docker/", "services/api/", "Docker.file/", "dockerfile/", "build/containerfiles/"];

function selected(paths: string[], pick: (path: string, lower: string) => boolean): string[] {
  return paths.filter((p) => pick(p, p.toLowerCase()));
}

describe("Dockerfile match", () => {
  it("selects the same paths as the plain name check, on synthetic and real path lists", () => {
    const paths = FOLDERS.flatMap((folder) => NAMES.map((name) => folder + name));
    paths.push(...execFileSync("git", ["ls-files"], { encoding: "utf8" }).split("\n").filter(Boolean));
    const reference = selected(paths, (_p, lower) => isDockerfileName(lower.slice(lower.lastIndexOf("/") + 1)));
    const fast = selected(paths, (p, lower) => dockerfileAnalyzer.match(p, p.slice(p.lastIndexOf("/") + 1), lower));
    expect(fast).toEqual(reference);
    expect(reference).toContain("services/api/api.Dockerfile");
    expect(reference).toContain("docker/Containerfile.alpine");
    expect(reference).not.toContain("Makefile");
  });
});
