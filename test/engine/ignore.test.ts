import picomatch from "picomatch";
import { describe, expect, it } from "vitest";
import { DEFAULT_IGNORES, ignoreMatcher } from "../../src/engine/ignore.js";

describe("ignoreMatcher", () => {
  const paths = [
    "node_modules/x/Dockerfile",
    "a/b/vendor/c.yml",
    "vendor.yml",
    "src/vendored/Dockerfile",
    "dist/app.js",
    "docs/distribution.md",
    "test/fixtures/repo/Dockerfile",
    "my-fixtures/a.yml",
    ".venv/lib/x.py",
    "deploy/k8s/base/deployment.yaml",
    ".github/workflows/ci.yml",
    "x/testdata/y",
    "a/.terraform/modules/m.tf",
  ];

  it("agrees with the documented globs on the built-in folders", () => {
    const globs = picomatch(DEFAULT_IGNORES, { dot: true });
    const ignored = ignoreMatcher();
    for (const path of paths) expect(ignored(path), path).toBe(globs(path));
  });

  it("ignores folders, not files that happen to share a folder's name", () => {
    expect(ignoreMatcher()("fixtures")).toBe(false);
    expect(ignoreMatcher()("tools/vendor")).toBe(false);
  });

  it("ignores test environments and examples, not files or folders that only start like them", () => {
    const ignored = ignoreMatcher();
    for (const path of [
      "test/docker/curl.Dockerfile",
      "internal/suites/example/kube/deployment.yml",
      "charts/app/tests/deployment_test.yaml",
      "test/e2e/compose.yml",
      "examples/terraform/main.tf",
      "contrib/ansible/playbooks/playbook.yml",
      "extras/prometheus/alerts.yaml",
    ]) {
      expect(ignored(path), path).toBe(true);
    }
    for (const path of [".github/workflows/test.yml", "tests.yml", "testing-infra/main.tf", "examples.md", "e2e.sh"]) {
      expect(ignored(path), path).toBe(false);
    }
  });

  it("adds the repository's own globs", () => {
    const ignored = ignoreMatcher(["generated/**", "**/*.gen.yml"]);
    expect(ignored("generated/k8s/a.yaml")).toBe(true);
    expect(ignored("deploy/x.gen.yml")).toBe(true);
    expect(ignored("deploy/x.yml")).toBe(false);
    expect(ignored("vendor/x.yml")).toBe(true);
  });
});
