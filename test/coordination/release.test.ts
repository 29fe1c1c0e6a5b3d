import { describe, expect, it } from "vitest";
import { analyzeRepo } from "./run.js";

const tools = async (files: Record<string, string>) => {
  const analysis = await analyzeRepo(files);
  return {
    facts: analysis.facts
      .all("releaseTooling")
      .map((t) => `${t.path}:${t.line}:${t.tool}`)
      .sort(),
    findings: analysis.findings,
  };
};

describe("release tooling analyzer", () => {
  it("recognises each tool's config file", async () => {
    const { facts, findings } = await tools({
      "release-please-config.json": '{"packages": {".": {}}}',
      ".release-please-manifest.json": '{".": "1.0.0"}',
      ".changeset/config.json": '{"changelog": "@changesets/cli/changelog"}',
      ".goreleaser.yaml": "builds:\n  - main: ./cmd/app\n",
      ".github/release-drafter.yml": "template: |\n  $CHANGES\n",
      ".releaserc": '{"branches": ["main"]}',
      "release.config.cjs": "module.exports = { branches: ['main'] };\n",
      ".versionrc.json": "{}",
      ".release-it.json": '{"git": {"tagName": "v${version}"}}',
      ".github/release.yml": "changelog:\n  categories:\n    - title: Features\n      labels: [feature]\n",
    });
    expect(facts).toEqual([
      ".changeset/config.json:1:changesets",
      ".github/release-drafter.yml:1:release-drafter",
      ".github/release.yml:1:github-release-notes",
      ".goreleaser.yaml:1:goreleaser",
      ".release-it.json:1:release-it",
      ".release-please-manifest.json:1:release-please",
      ".releaserc:1:semantic-release",
      ".versionrc.json:1:standard-version",
      "release-please-config.json:1:release-please",
      "release.config.cjs:1:semantic-release",
    ]);
    expect(findings).toEqual([]);
  });
  it("reads release settings in the root package.json, with the key's line", async () => {
    const pkg = '{\n  "name": "x",\n  "release": {\n    "branches": ["main"]\n  }\n}\n';
    expect((await tools({ "package.json": pkg })).facts).toEqual(["package.json:3:semantic-release"]);
    expect((await tools({ "package.json": '{"devDependencies": {"semantic-release": "^22"}}' })).facts).toEqual([]);
    expect((await tools({ "packages/a/package.json": pkg })).facts).toEqual([]);
  });
  it("a broken, empty or non-object config is not evidence", async () => {
    const { facts, findings } = await tools({
      "release-please-config.json": '{"packages": ',
      ".goreleaser.yml": "builds: [unclosed\n",
      ".changeset/config.json": "",
      ".releaserc.json": "[1, 2]",
      "package.json": "{not json",
    });
    expect(facts).toEqual([]);
    expect(findings.map((f) => `${f.path}:${f.rule}`).sort()).toEqual([
      ".goreleaser.yml:release/parse-error",
      ".releaserc.json:release/parse-error",
      "release-please-config.json:release/parse-error",
    ]);
  });
  it("a .github/release.yml without `changelog` is some other file", async () => {
    expect((await tools({ ".github/release.yml": "name: release\non: push\n" })).facts).toEqual([]);
  });
  it("GoReleaser with releases disabled publishes nothing", async () => {
    const { facts, findings } = await tools({ ".goreleaser.yml": "release:\n  disable: true\n" });
    expect(facts).toEqual([]);
    expect(findings.map((f) => f.rule)).toEqual(["release/disabled"]);
  });
});
