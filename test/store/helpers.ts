// Temp folders for real SQLite files, and a compiled copy of the store for child processes
// (Node 20 cannot run the TypeScript sources itself).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import ts from "typescript";
import type { ScanInput } from "../../src/store/store.js";

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "devops-ladder-store-"));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function scanInput(overrides: Partial<ScanInput> = {}): ScanInput {
  return {
    repo: "octo/app",
    ref: "main",
    headSha: "a".repeat(40),
    private: false,
    score: 72,
    level: "senior",
    tasks: { deploy: 80, cicd: 90, monitoring: 60, docker: 70, architecture: 50, coordination: 82, backups: null },
    defaultBranch: "main",
    ...overrides,
  };
}

/** The SQLite store's sources: the shared part files and every module of the backend. */
const storeSources = () => [
  "store.ts",
  "dashboard.ts",
  ...readdirSync(resolve("src/store/sqlite")).map((f) => `sqlite/${f}`),
];

/** Transpiles the SQLite store into `dir/store/` (type-only imports vanish) and links node_modules for better-sqlite3. */
export function compileStore(dir: string): string {
  const out = join(dir, "store");
  mkdirSync(join(out, "sqlite"), { recursive: true });
  for (const file of storeSources()) {
    const source = readFileSync(resolve("src/store", file), "utf8");
    const js = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false },
    }).outputText;
    mkdirSync(dirname(join(out, file)), { recursive: true });
    writeFileSync(join(out, file.replace(/\.ts$/, ".js")), js);
  }
  writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" }));
  symlinkSync(resolve("node_modules"), join(dir, "node_modules"), "dir");
  return out;
}
