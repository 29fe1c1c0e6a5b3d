// The engine's own mechanics, with a tiny test analyzer and detector so they are isolated from the rubric.
import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/config.js";
import { conditions as realConditions, detectors as realDetectors } from "../../src/detectors/index.js";
import type { Analyzer } from "../../src/engine/analyzer.js";
import { type Condition, type Detector, doesNotHold, fail, holds, pass } from "../../src/engine/detector.js";
import { loadRules } from "../../src/engine/rules.js";
import { type EngineParts, scanSnapshot } from "../../src/engine/scan.js";
import { memorySnapshot } from "../../src/engine/snapshot.js";
import { localSnapshot, SourceError } from "../../src/sources/local.js";

// Every file named *.conf becomes a "doc" fact; a line "BAD" becomes a finding; "CRASH" throws.
const confAnalyzer: Analyzer = {
  id: "test-conf",
  match: (_path, name) => name.endsWith(".conf"),
  analyze(file, out) {
    if (file.text.includes("CRASH")) throw new Error("boom");
    out.fact("doc", { path: file.path, headings: [], topics: [], codeBlocks: [], title: file.text.split("\n")[0] });
    file.text.split("\n").forEach((line, i) => {
      if (line.startsWith("BAD"))
        out.finding({ path: file.path, line: i + 1, severity: "warning", rule: "test/bad", message: "bad line" });
    });
  },
};

const hasConf: Detector = (ctx) => {
  const docs = ctx.facts.all("doc");
  return docs.length > 0
    ? pass(docs.map((d) => ({ path: d.path, line: 1, note: d.title })))
    : fail("no .conf file", [], "no-conf-file");
};

const confPresent: Condition = (ctx) => (ctx.facts.all("doc").length > 0 ? holds : doesNotHold("no .conf file"));

// The real rubric, with every detector replaced by hasConf and every condition by confPresent: the mechanics,
// not the rules.
function parts(): EngineParts {
  const detectors: Record<string, Detector> = Object.fromEntries(Object.keys(realDetectors).map((id) => [id, hasConf]));
  const conditions: Record<string, Condition> = Object.fromEntries(
    Object.keys(realConditions).map((id) => [id, confPresent]),
  );
  const rules = loadRules({ detectors: new Set(Object.keys(detectors)), conditions: new Set(Object.keys(conditions)) });
  return { rules, analyzers: [confAnalyzer], detectors, conditions, tool: { name: "devops-ladder", version: "test" } };
}

const allSignals = (r: Awaited<ReturnType<typeof scanSnapshot>>) => r.tasks.flatMap((t) => t.signals);

describe("engine", () => {
  it("reads only candidate files and decodes BOM, CRLF, UTF-16 and Latin-1", async () => {
    const latin1 = Uint8Array.from([0x63, 0x61, 0x66, 0xe9, 0x0a]); // "café\n" in Latin-1, invalid UTF-8
    const utf16 = Uint8Array.from([0xff, 0xfe, 0x68, 0x00, 0x69, 0x00]);
    const report = await scanSnapshot(
      memorySnapshot({
        "a.conf": "\ufeffhello\r\nBAD\r\n",
        "b.conf": latin1,
        "c.conf": utf16,
        "README.txt": "ignored",
      }),
      parts(),
    );
    expect(report.stats).toMatchObject({ files: 4, candidates: 3, read: 3, skipped: 0 });
    const evidence = allSignals(report).find((s) => s.status === "pass")!.evidence;
    expect(evidence.map((e) => e.note)).toEqual(["hello", "café", "hi"]);
    expect(report.findings).toContainEqual(expect.objectContaining({ path: "a.conf", line: 2, rule: "test/bad" }));
    expect(report.findings).toContainEqual(
      expect.objectContaining({ path: "b.conf", rule: "scan/encoding", severity: "note" }),
    );
  });

  it("skips binary and oversized files with a finding, and goes on", async () => {
    const big = "x".repeat(2048);
    const report = await scanSnapshot(
      memorySnapshot({ "bin.conf": Uint8Array.from([1, 0, 2, 0]), "big.conf": big, "ok.conf": "fine" }),
      parts(),
      { config: { ...parseConfig("max_file_size: 1024").config } },
    );
    const rules = report.findings.map((f) => `${f.path}:${f.rule}`);
    expect(rules).toContain("bin.conf:scan/binary-file");
    expect(rules).toContain("big.conf:scan/file-too-large");
    expect(report.stats.read).toBe(1);
  });

  it("turns an analyzer crash into a finding", async () => {
    const report = await scanSnapshot(memorySnapshot({ "x.conf": "CRASH" }), parts());
    expect(report.findings).toEqual([
      expect.objectContaining({
        path: "x.conf",
        rule: "scan/analyzer-error",
        message: expect.stringContaining("boom"),
      }),
    ]);
  });

  it("never takes evidence from vendored, fixture or configured-ignore folders", async () => {
    const report = await scanSnapshot(
      memorySnapshot({
        "vendor/a.conf": "x",
        "node_modules/p/b.conf": "x",
        "test/fixtures/c.conf": "x",
        "gen/d.conf": "x",
      }),
      parts(),
      { config: parseConfig("ignore: ['gen/**']").config },
    );
    expect(report.stats.files).toBe(0);
    expect(allSignals(report).filter((s) => s.status === "pass")).toEqual([]);
  });

  it("suppresses a finding with a comment on the line or the line above", async () => {
    const text =
      "BAD one\n# devops-ladder-ignore test/bad\nBAD two\nBAD three # devops-ladder-ignore\n# devops-ladder-ignore other/rule\nBAD four\n";
    const report = await scanSnapshot(memorySnapshot({ "a.conf": text }), parts());
    expect(report.findings.map((f) => f.line)).toEqual([1, 6]);
  });

  it("reports the same finding at the same line once, when two analyzers read the file", async () => {
    const twice: EngineParts = { ...parts(), analyzers: [confAnalyzer, { ...confAnalyzer, id: "test-conf-again" }] };
    const report = await scanSnapshot(memorySnapshot({ "a.conf": "BAD\nok\nBAD\n" }), twice);
    expect(report.findings.filter((f) => f.rule === "test/bad").map((f) => f.line)).toEqual([1, 3]);
  });

  it("applies config overrides: disabled, not applicable, weight", async () => {
    const config = parseConfig(
      "signals:\n  deploy/deploy-script: { enabled: false }\n" +
        "  deploy/platform-config: { not_applicable: no servers }\n" +
        "  deploy/deploy-docs: { weight: 7 }\n",
    ).config;
    const report = await scanSnapshot(memorySnapshot({ "a.conf": "x" }), parts(), { config });
    const deploy = report.tasks.find((t) => t.id === "deploy")!;
    const byId = Object.fromEntries(deploy.signals.map((s) => [s.id, s]));
    expect(byId["deploy/deploy-script"]).toMatchObject({ status: "na", reason: "disabled in the repository config" });
    expect(byId["deploy/platform-config"]).toMatchObject({
      status: "na",
      reason: "not applicable (config): no servers",
    });
    expect(byId["deploy/deploy-docs"]).toMatchObject({ status: "pass", weight: 7 });
  });

  it("reports a bad config with its line and scans with the defaults", async () => {
    const loaded = parseConfig("ignore:\n  - ok/**\nmin_score: 150\nbogus: 1\n");
    expect(loaded.findings.map((f) => [f.line, f.rule])).toEqual([
      [3, "config/invalid"],
      [4, "config/invalid"],
    ]);
    expect(loaded.findings[1]!.message).toContain('unknown key "bogus"');
    expect(loaded.config.ignore).toEqual([]);
    const report = await scanSnapshot(memorySnapshot({ "a.conf": "x" }), parts(), {
      config: loaded.config,
      configFindings: loaded.findings,
    });
    expect(report.config.valid).toBe(false);
    expect(report.findings.filter((f) => f.rule === "config/invalid")).toHaveLength(2);
  });

  it("reports malformed config YAML with its line", () => {
    const loaded = parseConfig("signals:\n  a: [1\nb: 2\n");
    expect(loaded.findings[0]).toMatchObject({ line: 3, rule: "config/invalid" });
    expect(loaded.findings[0]!.message).toMatch(/invalid YAML/);
  });
});

describe("local source", () => {
  it("lists files, prunes node_modules and .git, refuses symlinks that leave the root", async () => {
    const outside = mkdtempSync(join(tmpdir(), "dl-outside-"));
    writeFileSync(join(outside, "secret.conf"), "outside");
    const root = mkdtempSync(join(tmpdir(), "dl-root-"));
    mkdirSync(join(root, "node_modules/x"), { recursive: true });
    mkdirSync(join(root, ".git"));
    mkdirSync(join(root, "sub"));
    writeFileSync(join(root, "node_modules/x/a.conf"), "x");
    writeFileSync(join(root, ".git/b.conf"), "x");
    writeFileSync(join(root, "sub/in.conf"), "inside");
    symlinkSync(join(outside, "secret.conf"), join(root, "leak.conf"));
    symlinkSync(join(root, "sub/in.conf"), join(root, "alias.conf"));
    symlinkSync(join(root, "missing"), join(root, "dangling.conf"));
    const report = await scanSnapshot(localSnapshot(root), parts());
    expect(report.stats.files).toBe(4);
    const notes = allSignals(report)
      .find((s) => s.status === "pass")!
      .evidence.map((e) => `${e.path}=${e.note}`)
      .sort();
    expect(notes).toEqual(["alias.conf=inside", "sub/in.conf=inside"]);
    expect(report.findings.map((f) => `${f.path}:${f.rule}`).sort()).toEqual([
      "dangling.conf:scan/unreadable",
      "leak.conf:scan/symlink-outside-root",
    ]);
  });

  it("reports an unreadable file and goes on", async () => {
    if (process.getuid?.() === 0) {
      // root reads everything; simulate with a directory named like a candidate instead
      const root = mkdtempSync(join(tmpdir(), "dl-unread-"));
      mkdirSync(join(root, "dir.conf"));
      writeFileSync(join(root, "ok.conf"), "ok");
      const report = await scanSnapshot(localSnapshot(root), parts());
      expect(report.stats.read).toBe(1);
      return;
    }
    const root = mkdtempSync(join(tmpdir(), "dl-unread-"));
    writeFileSync(join(root, "locked.conf"), "x");
    chmodSync(join(root, "locked.conf"), 0);
    const report = await scanSnapshot(localSnapshot(root), parts());
    expect(report.findings).toContainEqual(expect.objectContaining({ path: "locked.conf", rule: "scan/unreadable" }));
  });

  it("scans an empty directory and refuses a path that does not exist", async () => {
    const root = mkdtempSync(join(tmpdir(), "dl-empty-"));
    const report = await scanSnapshot(localSnapshot(root), parts());
    expect(report.stats.files).toBe(0);
    expect(() => localSnapshot(join(root, "nope"))).toThrow(SourceError);
  });
});
