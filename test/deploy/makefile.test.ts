import { describe, expect, it } from "vitest";
import { expandForShell, readMakefile } from "../../src/analyzers/scripts/makefile-reader.js";
import { analyze } from "../helpers.js";

describe("readMakefile", () => {
  it("reads rules, prerequisites, recipes, continuations and .PHONY", () => {
    const parsed = readMakefile(
      [
        "IMAGE ?= acme/api", // 1
        ".PHONY: deploy build", // 2
        "", // 3
        "build:", // 4
        "\tdocker build \\", // 5
        "\t  -t $(IMAGE) .", // 6
        "", // 7
        "# ship it", // 8
        "deploy: build | lint ## help text", // 9
        "\t@kubectl apply -f k8s/", // 10
        "lint: ; eslint .", // 11
      ].join("\n"),
    );
    expect(parsed.problems).toEqual([]);
    expect(parsed.variables).toEqual([{ name: "IMAGE", value: "acme/api", line: 1 }]);
    expect([...parsed.phony]).toEqual(["deploy", "build"]);
    expect(parsed.rules).toEqual([
      {
        targets: ["build"],
        prerequisites: [],
        line: 4,
        recipe: [{ text: "docker build \\\n  -t $(IMAGE) .", line: 5 }],
      },
      {
        targets: ["deploy"],
        prerequisites: ["build", "lint"],
        line: 9,
        recipe: [{ text: "@kubectl apply -f k8s/", line: 10 }],
      },
      { targets: ["lint"], prerequisites: [], line: 11, recipe: [{ text: "eslint .", line: 11 }] },
    ]);
  });

  it("does not take variables for targets, whatever the assignment operator", () => {
    const parsed = readMakefile(
      "deploy = kubectl apply\ndeploy := x\nrelease ::= y\nexport STAGE ?= dev\nFOO=a:b\nrollback != echo\n",
    );
    expect(parsed.rules).toEqual([]);
    expect(parsed.variables.map((v) => v.name)).toEqual(["deploy", "deploy", "release", "STAGE", "FOO", "rollback"]);
  });

  it("skips define blocks, target-specific variables and conditionals, keeping recipes inside ifeq", () => {
    const parsed = readMakefile(
      [
        "define HELP",
        "deploy: not a rule",
        "endef",
        "deploy: ENV = staging",
        "deploy:",
        "ifeq ($(ENV),production)",
        "\thelm upgrade api ./chart -f values-prod.yaml",
        "else",
        "\thelm upgrade api ./chart",
        "endif",
      ].join("\n"),
    );
    expect(parsed.rules.map((r) => [r.targets, r.recipe.length])).toEqual([[["deploy"], 2]]);
    expect(parsed.variables.map((v) => v.name)).toEqual(["HELP"]);
  });

  it("reads tab-indented assignments and conditionals outside a rule as make syntax, as GNU make does", () => {
    const parsed = readMakefile(
      [
        "ifeq ($(OS),Windows_NT)",
        "\tSHELL := cmd",
        "\tEXT = .exe",
        "else",
        "\tEXT =",
        "\tifdef DEBUG",
        "\t\tFLAGS += -g",
        "\tendif",
        "endif",
        "build:",
        "\tgo build -o app$(EXT)",
      ].join("\n"),
    );
    expect(parsed.problems).toEqual([]);
    expect(parsed.variables.map((v) => `${v.name}@${v.line}`)).toEqual(["SHELL@2", "EXT@3", "EXT@5", "FLAGS@7"]);
    expect(parsed.rules.map((r) => [r.targets, r.recipe.map((x) => x.text)])).toEqual([
      [["build"], ["go build -o app$(EXT)"]],
    ]);
  });

  it("reports lines make itself would refuse", () => {
    const parsed = readMakefile("\techo before any target\nall:\n\techo ok\nthis is not make\n");
    expect(parsed.problems).toEqual([
      { line: 1, message: "recipe commences before first target" },
      { line: 4, message: "missing separator: neither a rule, a variable nor a directive" },
    ]);
  });
});

describe("expandForShell", () => {
  it("substitutes plain variables, keeps $$ as $ and replaces the rest with a placeholder word", () => {
    const vars = new Map([
      ["KUBECTL", "kubectl"],
      ["K", "$(KUBECTL)"],
      ["CMD", "a; b"],
    ]);
    expect(expandForShell("$(K) apply -n ${NS} -f $@ && echo $$HOME $(CMD)", vars)).toBe(
      "kubectl apply -n MAKEVAR -f MAKEVAR && echo $HOME MAKEVAR",
    );
    expect(expandForShell("$(shell git rev-parse $(REF))", vars)).toBe("MAKEVAR");
  });
});

describe("makefile analyzer", () => {
  it("emits targets and the commands of each recipe with the target as unit and the file's lines", async () => {
    const a = await analyze({
      Makefile:
        "KUBECTL ?= kubectl\n.PHONY: deploy\ndeploy: build\n\t@$(KUBECTL) apply -f k8s/ \\\n" +
        "\t  --prune\n\t-helm upgrade --install api ./chart\nbuild:\n\tdocker build -t $(IMAGE) .\n",
    });
    const [fact] = a.facts.all("makefile");
    expect(fact!.targets.map((t) => [t.name, t.line, t.phony ?? false, t.prerequisites])).toEqual([
      ["deploy", 3, true, ["build"]],
      ["build", 7, false, []],
    ]);
    expect(a.facts.all("command").map((c) => [c.line, c.unit, c.argv.join(" ")])).toEqual([
      [4, "deploy", "kubectl apply -f k8s/ --prune"],
      [6, "deploy", "helm upgrade --install api ./chart"],
      [8, "build", "docker build -t MAKEVAR ."],
    ]);
    expect(a.findings).toEqual([]);
  });

  it("matches Makefile, makefile, GNUmakefile and *.mk only", async () => {
    const a = await analyze({
      GNUmakefile: "a:\n\techo a\n",
      "build/rules.mk": "b:\n\techo b\n",
      "Makefile.am": "c:\n\techo c\n",
    });
    expect(
      a.facts
        .all("makefile")
        .map((m) => m.path)
        .sort(),
    ).toEqual(["GNUmakefile", "build/rules.mk"]);
  });

  it("turns malformed lines into findings and keeps going", async () => {
    const a = await analyze({ Makefile: "oops\ndeploy:\n\tkubectl apply -f k8s/\n\tif then fi ((\n" });
    expect(a.findings).toEqual([
      expect.objectContaining({ rule: "makefile/parse-error", line: 1, severity: "warning" }),
    ]);
    expect(a.facts.all("command").map((c) => c.argv[0])).toEqual(["kubectl"]);
  });
});

describe("makefile analyzer: hostile input", () => {
  it("expands a fan-out of variables once each, without blowing up", () => {
    const vars = new Map<string, string>();
    for (let i = 0; i < 6; i++) vars.set(`V${i}`, Array.from({ length: 20 }, () => `$(V${i + 1})`).join(" "));
    vars.set("V6", "x");
    const out = expandForShell("echo $(V0)", vars);
    expect(out.startsWith("echo ")).toBe(true);
    expect(out.length).toBeLessThan(2000);
  });

  it("reads a file of many long lines and continuations linearly, with every target", async () => {
    const lines: string[] = [];
    for (let i = 0; i < 2000; i++) lines.push(`t${i}: t${i + 1}`, `\techo ${"x".repeat(200)} \\`, "\t  done");
    const a = await analyze({ Makefile: lines.join("\n") });
    expect(a.facts.all("makefile")[0]!.targets).toHaveLength(2000);
  });
});
