import { describe, expect, it } from "vitest";
import { dirOf, dirPrefixOf, joinRepoPath } from "../../src/engine/paths.js";

describe("joinRepoPath", () => {
  it("joins a folder, with or without its trailing slash, and a relative path", () => {
    expect(joinRepoPath("deploy/", "scripts/up.sh")).toBe("deploy/scripts/up.sh");
    expect(joinRepoPath("deploy", "scripts/up.sh")).toBe("deploy/scripts/up.sh");
    expect(joinRepoPath("", "./Makefile")).toBe("Makefile");
    expect(joinRepoPath("infra/envs/prod", "../../modules/db/")).toBe("infra/modules/db");
  });

  it("takes a path starting with / from the repository root", () => {
    expect(joinRepoPath("docs/", "/compose.yaml")).toBe("compose.yaml");
  });

  it("stays at the root on a .. above it, or gives the empty path with emptyWhenOutside", () => {
    expect(joinRepoPath("a", "../../b/Dockerfile")).toBe("b/Dockerfile");
    expect(joinRepoPath("a", "../../b/Dockerfile", { emptyWhenOutside: true })).toBe("");
    expect(joinRepoPath("a", "../b/Dockerfile", { emptyWhenOutside: true })).toBe("b/Dockerfile");
  });
});

describe("dirOf and dirPrefixOf", () => {
  it("give a path's folder, without and with its trailing slash, and nothing at the root", () => {
    expect(["a/b/c.yml", "c.yml", "a/.env"].map(dirOf)).toEqual(["a/b", "", "a"]);
    expect(["a/b/c.yml", "c.yml", "a/.env"].map(dirPrefixOf)).toEqual(["a/b/", "", "a/"]);
  });
});
