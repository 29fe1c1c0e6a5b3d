import { describe, expect, it } from "vitest";
import { compilePattern, ownershipOf } from "../../src/vocabulary/codeowners.js";
import { analyzeRepo } from "./run.js";

async function read(text: string, path = ".github/CODEOWNERS") {
  const analysis = await analyzeRepo({ [path]: text });
  return { rules: analysis.facts.all("codeowners")[0]?.rules, findings: analysis.findings };
}

describe("CODEOWNERS analyzer", () => {
  it("reads patterns and owners with their lines, skipping comments and blank lines", async () => {
    const { rules, findings } = await read(
      "# comment\n\n*  @acme/devs\n/docs/ @alice docs@acme.example # inline\n*.tf @acme/platform-team\n",
    );
    expect(rules).toEqual([
      { pattern: "*", owners: ["@acme/devs"], line: 3 },
      { pattern: "/docs/", owners: ["@alice", "docs@acme.example"], line: 4 },
      { pattern: "*.tf", owners: ["@acme/platform-team"], line: 5 },
    ]);
    expect(findings).toEqual([]);
  });
  it("keeps a pattern without owners: it un-assigns, which is legal", async () => {
    const { rules, findings } = await read("/apps/ @octocat\n/apps/github\n");
    expect(rules).toEqual([
      { pattern: "/apps/", owners: ["@octocat"], line: 1 },
      { pattern: "/apps/github", owners: [], line: 2 },
    ]);
    expect(findings).toEqual([]);
  });
  it("reports an owner without @ as invalid, and GitHub skips that line", async () => {
    const { rules, findings } = await read("* @acme/devs\n/infra/ platform\n");
    expect(rules).toEqual([{ pattern: "*", owners: ["@acme/devs"], line: 1 }]);
    expect(findings).toMatchObject([
      { path: ".github/CODEOWNERS", line: 2, severity: "error", rule: "codeowners/invalid-owner" },
    ]);
    expect(findings[0]!.remediation).toContain("@platform");
  });
  it("reports syntax GitHub does not support: negation, character ranges, escaped #", async () => {
    const { rules, findings } = await read("!/docs/ @a\n*.[ch] @b\n\\#file @c\n/ @d\n");
    expect(rules).toEqual([]);
    expect(findings.map((f) => `${f.line}:${f.rule}`)).toEqual([
      "1:codeowners/unsupported-pattern",
      "2:codeowners/unsupported-pattern",
      "3:codeowners/unsupported-pattern",
      "4:codeowners/matches-nothing",
    ]);
  });
  it("a file with only comments has no rules", async () => {
    expect((await read("# * @acme/devs\n   # nothing yet\n")).rules).toEqual([]);
  });
  it("GitLab sections give their default owners to the rules under them", async () => {
    const { rules, findings } = await read(
      "[Docs] @acme/writers\n/docs/\n^[Ops][2] @acme/ops\n*.tf @acme/tf\n",
      ".gitlab/CODEOWNERS",
    );
    expect(rules).toEqual([
      { pattern: "/docs/", owners: ["@acme/writers"], line: 2 },
      { pattern: "*.tf", owners: ["@acme/tf"], line: 4 },
    ]);
    expect(findings).toEqual([]);
  });
  it("only reads CODEOWNERS where GitHub and GitLab look for it", async () => {
    const analysis = await analyzeRepo({
      "src/CODEOWNERS": "* @a\n",
      "CODEOWNERS.md": "* @a\n",
      "docs/CODEOWNERS": "* @a\n",
    });
    expect(analysis.facts.all("codeowners").map((f) => f.path)).toEqual(["docs/CODEOWNERS"]);
  });
  it("survives a huge line and binary content", async () => {
    expect((await read(`* ${"@a ".repeat(50_000)}\n`)).rules?.[0]?.owners).toHaveLength(50_000);
    const analysis = await analyzeRepo({ CODEOWNERS: new Uint8Array([1, 0, 2, 0]) });
    expect(analysis.findings.map((f) => f.rule)).toEqual(["scan/binary-file"]);
  });
});

describe("CODEOWNERS patterns (GitHub semantics)", () => {
  const cases: [string, string, boolean][] = [
    ["*", "a/b/.github/workflows/ci.yml", true],
    ["*.js", "src/app.js", true],
    ["*.js", "app.js", true],
    ["*.js", "app.jsx", false],
    ["/build/logs/", "build/logs/x/y.log", true],
    ["/build/logs/", "src/build/logs/y.log", false],
    ["docs/*", "docs/getting-started.md", true],
    ["docs/*", "docs/build-app/troubleshooting.md", false],
    ["apps/", "apps/a.js", true],
    ["apps/", "src/apps/deep/a.js", true],
    ["/docs/", "docs/x.md", true],
    ["**/logs", "deeply/nested/logs/a.log", true],
    ["docs", "a/docs/x.md", true],
    ["Dockerfile", "services/api/Dockerfile", true],
    ["Dockerfile", "services/api/Dockerfile.prod", false],
    ["/.github/workflows/", ".github/workflows/ci.yml", true],
    ["/scripts/deploy.sh", "scripts/deploy.sh", true],
    ["{a,b}.txt", "a.txt", false],
    ["README.md", "readme.md", false],
  ];
  it.each(cases)("%s matches %s: %s", (pattern, path, expected) => {
    expect(compilePattern(pattern)(path)).toBe(expected);
  });
  it("the last matching rule wins, and an ownerless rule un-assigns", () => {
    const ownerOf = ownershipOf([
      { pattern: "*", owners: ["@all"], line: 1 },
      { pattern: "/infra/", owners: ["@ops"], line: 2 },
      { pattern: "/infra/sandbox/", owners: [], line: 3 },
    ]);
    expect(ownerOf("src/a.ts").owners).toEqual(["@all"]);
    expect(ownerOf("infra/main.tf")).toMatchObject({ owners: ["@ops"], rule: { line: 2 } });
    expect(ownerOf("infra/sandbox/main.tf")).toMatchObject({ owners: [], rule: { line: 3 } });
    expect(ownershipOf([])("a").rule).toBeUndefined();
  });
});
