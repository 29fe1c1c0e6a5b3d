// Package manifests of each ecosystem → direct dependencies with lines (+ npm scripts as commands).
// Other domains read them: metrics libraries, database drivers, release tooling.
import type { Analyzer, AnalyzerOutput, SourceFile } from "../../engine/analyzer.js";
import { isRecord } from "../../engine/yaml.js";
import type { DeclaredDependency, Ecosystem, PackageManifestFact } from "../../facts/scripts.js";
import { flowFact } from "../shell-flow.js";
import { loadShellParser, parseShell } from "../shell-parse.js";
import { jsonKeyLine, lineAtOffset, tomlTableLine, wordLine } from "../text-lines.js";
import { readJson, readToml } from "./parse-config.js";

type Reader = (file: SourceFile, out: AnalyzerOutput) => void;

/** by exact file name: the tools themselves are case-sensitive about them */
const READERS = new Map<string, Reader>([
  ["package.json", readPackageJson],
  ["composer.json", readComposerJson],
  ["pyproject.toml", readPyproject],
  ["Pipfile", readPipfile],
  ["go.mod", readGoMod],
  ["Gemfile", readGemfile],
  ["Cargo.toml", readCargo],
  ["pom.xml", readPom],
  ["build.gradle", readGradle],
  ["build.gradle.kts", readGradle],
]);

/** requirements.txt, requirements-dev.txt, requirements/prod.txt */
const isRequirements = (name: string, lowerPath: string) =>
  name.endsWith(".txt") &&
  (name.startsWith("requirements") ||
    lowerPath.startsWith(`requirements/${name.toLowerCase()}`) ||
    lowerPath.endsWith(`/requirements/${name.toLowerCase()}`));

export const manifestAnalyzer: Analyzer = {
  id: "package-manifest",
  match(_path, name, lowerPath) {
    return READERS.has(name) || isRequirements(name, lowerPath);
  },
  prepare: loadShellParser,
  analyze(file, out) {
    (READERS.get(file.name) ?? readRequirements)(file, out);
  },
};

function emit(
  out: AnalyzerOutput,
  path: string,
  ecosystem: Ecosystem,
  declared: DeclaredDependency[],
  scripts: Record<string, string> = {},
  scriptLines?: Record<string, number>,
): void {
  const fact: PackageManifestFact = {
    path,
    ecosystem,
    dependencies: [...new Set(declared.map((d) => d.name))],
    declared,
    scripts,
    ...(scriptLines ? { scriptLines } : {}),
  };
  out.fact("manifest", fact);
}

const str = (v: unknown) => (typeof v === "string" ? v : undefined);

// --- npm and composer (JSON) --------------------------------------------------------------------

function jsonDeps(
  text: string,
  doc: Record<string, unknown>,
  sections: [string, boolean][],
  skip: (name: string) => boolean = () => false,
): DeclaredDependency[] {
  const out: DeclaredDependency[] = [];
  for (const [section, dev] of sections) {
    const deps = doc[section];
    if (!isRecord(deps)) continue;
    for (const [name, version] of Object.entries(deps)) {
      if (skip(name)) continue;
      out.push({
        name,
        line: jsonKeyLine(text, name, section),
        ...(str(version) ? { version: str(version) } : {}),
        ...(dev ? { dev } : {}),
      });
    }
  }
  return out;
}

function readPackageJson(file: SourceFile, out: AnalyzerOutput): void {
  const doc = readJson(file, out, "manifest");
  if (!doc) return;
  const declared = jsonDeps(file.text, doc, [
    ["dependencies", false],
    ["devDependencies", true],
    ["optionalDependencies", false],
    ["peerDependencies", false],
  ]);
  const scripts: Record<string, string> = {};
  const scriptLines: Record<string, number> = {};
  if (isRecord(doc.scripts)) {
    for (const [name, value] of Object.entries(doc.scripts)) {
      if (typeof value !== "string") continue;
      scripts[name] = value;
      const line = jsonKeyLine(file.text, name, "scripts");
      scriptLines[name] = line;
      const parsed = parseShell(value, `${file.path}#${name}`, { flow: true });
      const where = { path: file.path, origin: "package-json" as const, unit: name, line };
      if (parsed.flow) out.fact("shellFlow", flowFact(where, parsed.flow, { oneLine: true }));
      for (const c of parsed.commands) {
        out.fact("command", { path: file.path, line, argv: c.argv, origin: "package-json", unit: name });
      }
    }
  }
  emit(out, file.path, "npm", declared, scripts, scriptLines);
}

function readComposerJson(file: SourceFile, out: AnalyzerOutput): void {
  const doc = readJson(file, out, "manifest");
  if (!doc) return;
  const platform = (name: string) => name === "php" || /^(ext|lib|composer)-/.test(name) || !name.includes("/");
  emit(
    out,
    file.path,
    "php",
    jsonDeps(
      file.text,
      doc,
      [
        ["require", false],
        ["require-dev", true],
      ],
      platform,
    ),
  );
}

// --- Python ---------------------------------------------------------------------------------------

/** PEP 503 normalised name of a PEP 508 requirement, or undefined for options, URLs and blanks */
function pep508Name(spec: string): string | undefined {
  const match = /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?=$|[\s[<>=!~;@(,])/.exec(spec);
  return match ? match[1]!.toLowerCase().replace(/[-_.]+/g, "-") : undefined;
}

function readRequirements(file: SourceFile, out: AnalyzerOutput): void {
  const declared: DeclaredDependency[] = [];
  const dev = /dev|test|lint|doc/i.test(file.name);
  file.text.split("\n").forEach((raw, index) => {
    const line = raw.replace(/(^|\s)#.*$/, "").trim();
    if (line === "" || line.startsWith("-") || /^[a-z+]+:\/\//i.test(line)) return; // options (-r, -e, -c), URLs
    const name = pep508Name(line);
    const version = /(?:===|==|~=|>=|<=|!=|>|<)\s*[^\s;,]+/.exec(line.split(";")[0]!)?.[0];
    if (name) declared.push({ name, line: index + 1, ...(version ? { version } : {}), ...(dev ? { dev } : {}) });
  });
  emit(out, file.path, "python", declared);
}

function readPyproject(file: SourceFile, out: AnalyzerOutput): void {
  const doc = readToml(file, out, "manifest");
  if (!doc) return;
  const declared: DeclaredDependency[] = [];
  const addSpecs = (specs: unknown, table: string, dev: boolean) => {
    if (!Array.isArray(specs)) return;
    const from = tomlTableLine(file.text, table) ?? 1;
    for (const spec of specs) {
      const name = typeof spec === "string" ? pep508Name(spec) : undefined;
      if (name)
        declared.push({ name, line: wordLine(file.text, spec as string, from) ?? from, ...(dev ? { dev } : {}) });
    }
  };
  const addTable = (deps: unknown, table: string, dev: boolean) => {
    if (!isRecord(deps)) return;
    const from = tomlTableLine(file.text, table) ?? 1;
    for (const key of Object.keys(deps)) {
      if (key.toLowerCase() === "python") continue;
      const name = pep508Name(key);
      if (name) declared.push({ name, line: wordLine(file.text, key, from) ?? from, ...(dev ? { dev } : {}) });
    }
  };
  const project = isRecord(doc.project) ? doc.project : {};
  addSpecs(project.dependencies, "project", false);
  if (isRecord(project["optional-dependencies"])) {
    for (const specs of Object.values(project["optional-dependencies"]))
      addSpecs(specs, "project.optional-dependencies", false);
  }
  if (isRecord(doc["dependency-groups"])) {
    for (const specs of Object.values(doc["dependency-groups"])) addSpecs(specs, "dependency-groups", true);
  }
  const poetry = isRecord(doc.tool) && isRecord(doc.tool.poetry) ? doc.tool.poetry : {};
  addTable(poetry.dependencies, "tool.poetry.dependencies", false);
  addTable(poetry["dev-dependencies"], "tool.poetry.dev-dependencies", true);
  if (isRecord(poetry.group)) {
    for (const [group, body] of Object.entries(poetry.group)) {
      if (isRecord(body)) addTable(body.dependencies, `tool.poetry.group.${group}.dependencies`, group !== "main");
    }
  }
  emit(out, file.path, "python", declared);
}

function readPipfile(file: SourceFile, out: AnalyzerOutput): void {
  const doc = readToml(file, out, "manifest");
  if (!doc) return;
  const declared: DeclaredDependency[] = [];
  for (const [table, dev] of [
    ["packages", false],
    ["dev-packages", true],
  ] as const) {
    const deps = doc[table];
    if (!isRecord(deps)) continue;
    const from = tomlTableLine(file.text, table) ?? 1;
    for (const key of Object.keys(deps)) {
      const name = pep508Name(key);
      if (name) declared.push({ name, line: wordLine(file.text, key, from) ?? from, ...(dev ? { dev } : {}) });
    }
  }
  emit(out, file.path, "python", declared);
}

// --- Go, Ruby, Rust ------------------------------------------------------------------------------

function readGoMod(file: SourceFile, out: AnalyzerOutput): void {
  const declared: DeclaredDependency[] = [];
  let inBlock = false;
  file.text.split("\n").forEach((raw, index) => {
    const indirect = /\/\/\s*indirect\b/.test(raw);
    const line = raw.replace(/\/\/.*$/, "").trim();
    if (inBlock) {
      if (line === ")") inBlock = false;
      else if (line && !indirect) add(line, index);
      return;
    }
    if (/^require\s*\($/.test(line)) inBlock = true;
    else if (/^require\s+\S/.test(line) && !indirect) add(line.replace(/^require\s+/, ""), index);
  });
  function add(spec: string, index: number) {
    const [name, version] = spec.split(/\s+/);
    if (name) declared.push({ name, line: index + 1, ...(version ? { version } : {}) });
  }
  emit(out, file.path, "go", declared);
}

/** Gemfile is Ruby; this reads the common `gem "name"` lines and `group :test do … end` blocks, not arbitrary Ruby. */
function readGemfile(file: SourceFile, out: AnalyzerOutput): void {
  const declared: DeclaredDependency[] = [];
  const blocks: boolean[] = []; // true for a development/test group
  file.text.split("\n").forEach((raw, index) => {
    const line = raw.replace(/(^|\s)#.*$/, "").trim();
    if (/\bdo(\s*\|[^|]*\|)?$/.test(line)) {
      blocks.push(/^group\b/.test(line) && /:(development|test)\b/.test(line) && !/:production\b/.test(line));
    } else if (/^end\b/.test(line)) blocks.pop();
    const gem = /^gem\s*\(?\s*["']([^"']+)["'](?:\s*,\s*["']([^"']+)["'])?/.exec(line);
    if (!gem) return;
    const dev = blocks.some(Boolean) || /group:\s*\[?\s*:(development|test)\b/.test(line);
    declared.push({ name: gem[1]!, line: index + 1, ...(gem[2] ? { version: gem[2] } : {}), ...(dev ? { dev } : {}) });
  });
  emit(out, file.path, "ruby", declared);
}

function readCargo(file: SourceFile, out: AnalyzerOutput): void {
  const doc = readToml(file, out, "manifest");
  if (!doc) return;
  const declared: DeclaredDependency[] = [];
  const add = (deps: unknown, table: string, dev: boolean) => {
    if (!isRecord(deps)) return;
    const from = tomlTableLine(file.text, table) ?? 1;
    for (const [key, spec] of Object.entries(deps)) {
      const name = isRecord(spec) && typeof spec.package === "string" ? spec.package : key; // renamed crates
      const version = typeof spec === "string" ? spec : isRecord(spec) ? str(spec.version) : undefined;
      declared.push({
        name,
        line: wordLine(file.text, key, from) ?? from,
        ...(version ? { version } : {}),
        ...(dev ? { dev } : {}),
      });
    }
  };
  add(doc.dependencies, "dependencies", false);
  add(doc["dev-dependencies"], "dev-dependencies", true);
  add(doc["build-dependencies"], "build-dependencies", true);
  if (isRecord(doc.workspace)) add(doc.workspace.dependencies, "workspace.dependencies", false);
  if (isRecord(doc.target)) {
    for (const body of Object.values(doc.target)) if (isRecord(body)) add(body.dependencies, "target", false);
  }
  emit(out, file.path, "rust", declared);
}

// --- JVM -----------------------------------------------------------------------------------------

/** Replaces a span with spaces but keeps its newlines, so offsets and lines stay true. */
const blank = (s: string) => s.replace(/[^\n]/g, " ");

/**
 * pom.xml without an XML parser: the `<dependency>` blocks of the project's `<dependencies>`, with
 * comments, `<dependencyManagement>` (versions only) and plugin dependencies (build time) left out.
 * Properties like `${micrometer.version}` are kept as written; parent POMs and profiles are not followed.
 */
function readPom(file: SourceFile, out: AnalyzerOutput): void {
  const text = file.text
    .replace(/<!--[\s\S]*?-->/g, blank)
    .replace(/<dependencyManagement>[\s\S]*?<\/dependencyManagement>/g, blank)
    .replace(/<plugins>[\s\S]*?<\/plugins>/g, blank)
    .replace(/<pluginManagement>[\s\S]*?<\/pluginManagement>/g, blank);
  if (!/<project\b/.test(text)) {
    out.finding({
      path: file.path,
      line: 1,
      severity: "note",
      rule: "manifest/parse-error",
      message: "no <project> element: not a Maven POM",
    });
    return;
  }
  const declared: DeclaredDependency[] = [];
  const tag = (block: string, name: string) => new RegExp(`<${name}>\\s*([^<]*?)\\s*</${name}>`).exec(block)?.[1];
  for (const match of text.matchAll(/<dependency>([\s\S]*?)<\/dependency>/g)) {
    const group = tag(match[1]!, "groupId");
    const artifact = tag(match[1]!, "artifactId");
    if (!group || !artifact) continue;
    const version = tag(match[1]!, "version");
    const dev = tag(match[1]!, "scope") === "test";
    declared.push({
      name: `${group}:${artifact}`,
      line: lineAtOffset(text, match.index),
      ...(version ? { version } : {}),
      ...(dev ? { dev } : {}),
    });
  }
  emit(out, file.path, "maven", declared);
}

const GRADLE_CONFIGS =
  "implementation|api|compileOnly|runtimeOnly|compile|runtime|developmentOnly|annotationProcessor|kapt|ksp|" +
  "testImplementation|testRuntimeOnly|testCompileOnly|testCompile|androidTestImplementation|integrationTestImplementation";

/**
 * build.gradle / build.gradle.kts: string coordinates (`implementation("g:a:v")`, `api 'g:a:v'`,
 * `platform(...)`) and map notation (`group: 'g', name: 'a'`). Version-catalog aliases (`libs.x.y`),
 * variables and dependencies added by plugins are not resolved.
 */
function readGradle(file: SourceFile, out: AnalyzerOutput): void {
  const text = stripCodeComments(file.text);
  const declared: DeclaredDependency[] = [];
  const coordinate = new RegExp(
    `\\b(${GRADLE_CONFIGS})\\s*\\(?\\s*(?:(?:enforcedPlatform|platform)\\s*\\(\\s*)?["']([^"':\\s]+):([^"':\\s]+)(?::([^"'\\s]+))?["']`,
    "g",
  );
  for (const m of text.matchAll(coordinate)) {
    declared.push({
      name: `${m[2]}:${m[3]}`,
      line: lineAtOffset(text, m.index),
      ...(m[4] ? { version: m[4] } : {}),
      ...(m[1]!.startsWith("test") || m[1]!.startsWith("androidTest") ? { dev: true } : {}),
    });
  }
  const map = new RegExp(
    `\\b(${GRADLE_CONFIGS})\\s*\\(?\\s*group\\s*[:=]\\s*["']([^"']+)["']\\s*,\\s*name\\s*[:=]\\s*["']([^"']+)["']`,
    "g",
  );
  for (const m of text.matchAll(map)) {
    declared.push({
      name: `${m[2]}:${m[3]}`,
      line: lineAtOffset(text, m.index),
      ...(m[1]!.startsWith("test") ? { dev: true } : {}),
    });
  }
  declared.sort((a, b) => a.line - b.line);
  emit(out, file.path, "gradle", declared);
}

/** Blanks `// …` and `/* … *\/` comments of Groovy/Kotlin, leaving string literals alone. */
function stripCodeComments(text: string): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"' || c === "'") {
      const end = text.indexOf(c, i + 1);
      const stop = end < 0 || text.slice(i, end).includes("\n") ? i + 1 : end + 1;
      out += text.slice(i, stop);
      i = stop;
    } else if (c === "/" && text[i + 1] === "/") {
      const end = text.indexOf("\n", i);
      out += blank(text.slice(i, end < 0 ? text.length : end));
      i = end < 0 ? text.length : end;
    } else if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      const stop = end < 0 ? text.length : end + 2;
      out += blank(text.slice(i, stop));
      i = stop;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}
