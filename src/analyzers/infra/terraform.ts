// Terraform / OpenTofu: *.tf (HCL through hcl2json), *.tf.json, *.tfvars(.json) parameter files, and Terragrunt's
// terragrunt.hcl (a module call with its own remote state), root.hcl (the settings units include) and
// terragrunt.stack.hcl (units and stacks generated from a catalog).
// hcl2json gives no positions, so each block's line is found by searching the text for its header.

import type { Analyzer, AnalyzerOutput, SourceFile } from "../../engine/analyzer.js";
import { dirOf } from "../../engine/paths.js";
import { asString, isRecord } from "../../engine/yaml.js";
import type { TerraformBlock, TerraformFact, TerraformModuleCall } from "../../facts/infra.js";
import { flowFact } from "../shell-flow.js";
import { loadShellParser, parseShell } from "../shell-parse.js";
import { escapeRegExp, findLine } from "../text-lines.js";
import { environmentOf, parseJson } from "./common.js";
import { parseHcl, warmUpHcl } from "./hcl.js";

const TERRAGRUNT_FILES = new Set(["terragrunt.hcl", "terragrunt.stack.hcl", "root.hcl"]);

export const terraformAnalyzer: Analyzer = {
  id: "terraform",
  extensions: [".tf", ".json", ".tfvars", ".hcl"],
  match: (_path, name, lowerPath) =>
    lowerPath.endsWith(".tf") ||
    lowerPath.endsWith(".tf.json") ||
    lowerPath.endsWith(".tfvars") ||
    lowerPath.endsWith(".tfvars.json") ||
    TERRAGRUNT_FILES.has(name),
  async prepare() {
    await Promise.all([warmUpHcl(), loadShellParser()]);
  },
  async analyze(file, out) {
    const lower = file.name.toLowerCase();
    const json = lower.endsWith(".json");
    const tfvars = lower.endsWith(".tfvars") || lower.endsWith(".tfvars.json");
    const parsed = json ? parseJson(file.text) : await parseHcl(file.name, file.text);
    const dir = dirOf(file.path);
    const environment = tfvars ? tfvarsEnvironment(file.name, dir) : folderEnvironment(dir);
    const empty: TerraformFact = {
      path: file.path,
      dir,
      resources: [],
      dataSources: [],
      modules: [],
      requiredProviders: [],
      providers: [],
      variables: [],
      ...(tfvars ? { tfvars } : {}),
      ...(environment !== undefined ? { environment } : {}),
    };
    if ("error" in parsed) {
      out.finding({
        path: file.path,
        line: parsed.error.line,
        severity: "error",
        rule: "terraform/parse-error",
        message: `${json ? "JSON" : "HCL"} syntax error: ${parsed.error.message}`,
        remediation: "Fix the syntax; `terraform fmt` and `terraform validate` point at the problem.",
      });
      out.fact("terraform", { ...empty, parseError: true });
      return;
    }
    if (tfvars && isRecord(parsed.value)) {
      out.fact("terraform", { ...empty, values: scalars(parsed.value) });
      return;
    }
    if (tfvars || !isRecord(parsed.value)) {
      out.fact("terraform", empty);
      return;
    }
    const at = new Locator(file.text, json);
    const fact = TERRAGRUNT_FILES.has(file.name)
      ? readTerragrunt(parsed.value, at, empty)
      : readConfig(parsed.value, at, empty);
    out.fact("terraform", fact);
    reportFindings(file, fact, out);
    localExecCommands(file, fact, at, out);
  },
};

/**
 * `provisioner "local-exec" { command = "…" }`: commands `terraform apply` runs on the machine that applies
 * (origin terraform, unit = the resource). `${…}` interpolations become a placeholder word, `$${X}` is the shell's
 * `${X}`; a non-shell interpreter (PowerShell, Python) and `when = destroy` provisioners are left out.
 */
function localExecCommands(file: SourceFile, fact: TerraformFact, at: Locator, out: AnalyzerOutput): void {
  for (const r of fact.resources) {
    const provisioners = blocks(isRecord(r.attrs.provisioner) ? r.attrs.provisioner["local-exec"] : undefined);
    provisioners.forEach((p, k) => {
      const command = asString(p.command);
      if (!command || asString(p.when) === "destroy" || String(p.when) === "${destroy}") return;
      const interpreter = Array.isArray(p.interpreter) ? asString(p.interpreter[0]) : undefined;
      if (interpreter && !/(^|\/)(ba|da|z|k)?sh$/.test(interpreter)) return;
      const line = at.localExecLine(r.line, k);
      // `$${X}` is the shell's `${X}`; every other `${…}` and `%{…}` is Terraform's
      const text = command
        .split("$${")
        .map((part) => part.replace(/[$%]\{[^}]*\}/g, "TFVAR"))
        .join("${");
      const parsed = parseShell(text, file.name, { flow: true });
      if (parsed.error) return;
      const unit = `${r.type}.${r.name}`;
      if (parsed.flow)
        out.fact("shellFlow", flowFact({ path: file.path, origin: "terraform", unit, line }, parsed.flow));
      for (const c of parsed.commands)
        out.fact("command", { path: file.path, line: line + c.line - 1, argv: c.argv, origin: "terraform", unit });
    });
  }
}

const TOP_LEVEL_BLOCK = /^(resource|data|module)\s/;
const KEY = /^\s*([\w-]+)\s*[={]/;

/** Finds the line of a block header: `resource "aws_s3_bucket" "logs" {`, or its keys in JSON syntax. */
class Locator {
  private readonly lines: string[];
  constructor(
    text: string,
    private readonly json: boolean,
  ) {
    this.lines = text.split("\n");
  }

  block(keyword: string, ...labels: string[]): number {
    if (this.json) return this.jsonKeys([keyword, ...labels]);
    const label = labels.map((l) => `\\s+"?${escapeRegExp(l)}"?`).join("");
    return (
      findLine(this.lines, new RegExp(`^\\s*${escapeRegExp(keyword)}${label}\\s*\\{`)) ??
      this.jsonKeys([keyword, ...labels])
    );
  }

  /** The line where the k-th local-exec provisioner of the resource at `header` sets its command (its text's first line). */
  localExecLine(header: number, k: number): number {
    if (this.json) return header;
    let seen = -1;
    for (let i = header; i < this.lines.length && i < header + 1000; i++) {
      if (i >= header && TOP_LEVEL_BLOCK.test(this.lines[i]!)) break;
      if (/^\s*provisioner\s+"local-exec"/.test(this.lines[i]!)) seen++;
      if (seen === k && /^\s*command\s*=/.test(this.lines[i]!))
        return /<<-?\s*\w+\s*$/.test(this.lines[i]!) ? i + 2 : i + 1;
    }
    return header;
  }

  /** an attribute `name =` at or after a line (e.g. an entry of required_providers) */
  attribute(name: string, fromLine: number): number {
    const pattern = this.json
      ? new RegExp(`"${escapeRegExp(name)}"\\s*:`)
      : new RegExp(`^\\s*"?${escapeRegExp(name)}"?\\s*=`);
    return findLine(this.lines, pattern, fromLine) ?? fromLine;
  }

  /**
   * The line of each key inside a block, nested ones too: the first line after the header that sets it
   * (`key =` or `key {`), before the next top-level block. HCL syntax only.
   */
  keyLines(header: number): Record<string, number> | undefined {
    if (this.json) return undefined;
    const found: Record<string, number> = {};
    for (let i = header; i < this.lines.length && i < header + 500; i++) {
      const line = this.lines[i]!;
      if (TOP_LEVEL_BLOCK.test(line)) break;
      const key = KEY.exec(line)?.[1];
      if (key !== undefined && !Object.hasOwn(found, key)) found[key] = i + 1;
    }
    return found;
  }

  /** each key in turn, searching after the previous one; the last line found */
  private jsonKeys(keys: string[]): number {
    let line = 1;
    for (const key of keys) line = findLine(this.lines, new RegExp(`"${escapeRegExp(key)}"`), line) ?? line;
    return line;
  }
}

/** hcl2json gives every block as a list; the JSON syntax allows an object or a list. */
function blocks(value: unknown): Record<string, unknown>[] {
  return (Array.isArray(value) ? value : [value]).filter(isRecord);
}

function entries(value: unknown): [string, unknown][] {
  return isRecord(value) ? Object.entries(value) : [];
}

function readConfig(config: Record<string, unknown>, at: Locator, fact: TerraformFact): TerraformFact {
  const labelled = (keyword: string): TerraformBlock[] =>
    entries(config[keyword]).flatMap(([type, byName]) =>
      entries(byName).flatMap(([name, body]) =>
        blocks(body).map((attrs) => {
          const line = at.block(keyword, type, name);
          const attrLines = keyword === "resource" ? at.keyLines(line) : undefined;
          return { type, name, line, attrs, ...(attrLines ? { attrLines } : {}) };
        }),
      ),
    );
  fact.resources = labelled("resource");
  fact.dataSources = labelled("data");
  fact.modules = entries(config.module).flatMap(([name, body]) =>
    blocks(body).map((attrs) => moduleCall(name, attrs, at)),
  );
  fact.providers = entries(config.provider).flatMap(([name, body]) =>
    blocks(body).map((attrs) => {
      const version = asString(attrs.version);
      return { name, line: at.block("provider", name), ...(version !== undefined ? { version } : {}) };
    }),
  );
  fact.variables = entries(config.variable).map(([name]) => name);
  const defaults: Record<string, unknown> = {};
  for (const [name, body] of entries(config.variable)) {
    const value = blocks(body)[0]?.default;
    if (isScalar(value)) defaults[name] = value;
  }
  if (Object.keys(defaults).length > 0) fact.variableDefaults = defaults;
  const locals = blocks(config.locals);
  if (locals.length > 0) fact.locals = Object.assign({}, ...locals);
  for (const settings of blocks(config.terraform)) {
    const backend = entries(settings.backend)[0];
    if (backend) fact.backend = { type: backend[0], line: at.block("backend", backend[0]) };
    else if (settings.cloud !== undefined) fact.backend = { type: "cloud", line: at.block("cloud") };
    for (const providers of blocks(settings.required_providers)) {
      const from = at.block("required_providers");
      for (const [name, requirement] of entries(providers)) {
        const spec = isRecord(requirement) ? requirement : { version: requirement };
        const source = asString(spec.source);
        const version = asString(spec.version);
        fact.requiredProviders.push({
          name,
          line: at.attribute(name, from),
          ...(source !== undefined ? { source } : {}),
          ...(version ? { version } : {}),
        });
      }
    }
  }
  // hcl2json sorts keys by name: give blocks back in the order of the file
  for (const list of [fact.resources, fact.dataSources, fact.modules, fact.providers, fact.requiredProviders])
    list.sort((a, b) => a.line - b.line);
  return fact;
}

/**
 * terragrunt.hcl: `terraform { source }` calls a module, `remote_state` is its backend, and an `include`
 * inherits the parent folder's settings (by convention, where remote_state is declared once for all).
 */
function readTerragrunt(config: Record<string, unknown>, at: Locator, fact: TerraformFact): TerraformFact {
  for (const settings of blocks(config.terraform)) {
    if (asString(settings.source))
      fact.modules.push({ ...moduleCall("terragrunt", settings, at), line: at.block("terraform") });
  }
  // terragrunt.stack.hcl: `unit "vpc" { source = "…//units/vpc?ref=v1" path = "vpc" }`, `stack "eks" { … }`
  for (const keyword of ["unit", "stack"])
    for (const [name, body] of entries(config[keyword]))
      for (const attrs of blocks(body))
        if (asString(attrs.source))
          fact.modules.push({ ...moduleCall(name, attrs, at), line: at.block(keyword, name) });
  const remote = blocks(config.remote_state)[0];
  const includeLabel = isRecord(config.include) ? Object.keys(config.include)[0] : undefined;
  if (remote) fact.backend = { type: asString(remote.backend) ?? "remote_state", line: at.block("remote_state") };
  else if (config.include !== undefined) {
    const line = at.block("include", ...(includeLabel ? [includeLabel] : []));
    const includes = includedFile(config.include);
    fact.backend = { type: "terragrunt-include", line, ...(includes ? { includes } : {}) };
  }
  return fact;
}

/** The file an `include` looks up: `path = find_in_parent_folders("main.hcl")` → "main.hcl"; none given → terragrunt.hcl. */
function includedFile(include: unknown): string | undefined {
  const bodies = isRecord(include) && !("path" in include) ? Object.values(include).flatMap(blocks) : blocks(include);
  for (const body of bodies) {
    const path = asString(body.path);
    if (!path) continue;
    const call = path.match(/find_in_parent_folders\(\s*(?:"([^"]*)")?/);
    if (call) return call[1] || "terragrunt.hcl";
    const file = path.match(/([\w.-]+\.hcl)"?\s*}?$/)?.[1];
    if (file) return file;
  }
  return undefined;
}

function moduleCall(name: string, attrs: Record<string, unknown>, at: Locator): TerraformModuleCall {
  const source = asString(attrs.source);
  const version = asString(attrs.version);
  const origin = moduleOrigin(source ?? "");
  const pinned =
    origin === "local" ||
    origin === "other" ||
    (origin === "registry" && (!!version || /[?&]version=/.test(source ?? ""))) ||
    (origin === "git" && /[?&]ref=/.test(source ?? ""));
  const { source: _source, version: _version, ...rest } = attrs;
  const inputs = scalars(rest);
  return {
    name,
    line: at.block("module", name),
    origin,
    pinned,
    ...(Object.keys(inputs).length > 0 ? { inputs } : {}),
    ...(source !== undefined ? { source } : {}),
    ...(version !== undefined ? { version } : {}),
  };
}

const isScalar = (v: unknown) => typeof v === "string" || typeof v === "number" || typeof v === "boolean";

/** The scalar values of a map (`x = 7`, `y = var.z` as "${var.z}"): what a variable or a module input is set to. */
function scalars(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => isScalar(v)));
}

function moduleOrigin(source: string): TerraformModuleCall["origin"] {
  if (source.startsWith("./") || source.startsWith("../")) return "local";
  if (/^(git::|git@|github\.com\/|bitbucket\.org\/)/.test(source) || /\.git($|[/?])/.test(source)) return "git";
  if (source.startsWith("tfr:")) return "registry"; // Terragrunt's registry scheme, versioned by ?version=
  // registry addresses: namespace/name/provider, optionally behind a hostname
  if (/^([a-z0-9.-]+\.[a-z]+\/)?[\w-]+\/[\w-]+\/[\w-]+(\/\/.*)?$/i.test(source)) return "registry";
  return "other";
}

function reportFindings(file: SourceFile, fact: TerraformFact, out: AnalyzerOutput): void {
  for (const provider of fact.requiredProviders) {
    if (provider.version) continue;
    out.finding({
      path: file.path,
      line: provider.line,
      severity: "warning",
      rule: "terraform/unpinned-provider",
      message: `provider "${provider.name}" has no version constraint: \`terraform init\` takes the newest, breaking changes included`,
      remediation:
        `Add a constraint in required_providers, e.g. ${provider.name} = { source = ` +
        `"${provider.source ?? `hashicorp/${provider.name}`}", version = "~> 5.0" }, and commit ` +
        `.terraform.lock.hcl.`,
    });
  }
  for (const module of fact.modules) {
    if (module.pinned) continue;
    out.finding({
      path: file.path,
      line: module.line,
      severity: "warning",
      rule: "terraform/unpinned-module",
      message: `module "${module.name}" (${module.source ?? "no source"}) is not pinned to a version`,
      remediation:
        module.origin === "git"
          ? 'Pin the git source to a tag: `source = "git::https://github.com/org/modules.git//vpc?ref=v1.4.0"`.'
          : 'Add `version = "~> 5.1"` to the module block.',
    });
  }
  if (fact.backend?.type === "local") {
    out.finding({
      path: file.path,
      line: fact.backend.line,
      severity: "note",
      rule: "terraform/local-state",
      message: "the state is kept on local disk: it is lost with the machine and cannot be shared or locked",
      remediation:
        'Use a remote backend with locking, e.g. backend "s3" { bucket = "acme-tfstate", key = ' +
        '"prod/terraform.tfstate", use_lockfile = true }.',
    });
  }
}

/** prod.tfvars, terraform.prod.tfvars, prod.auto.tfvars → prod; envs/staging/terraform.tfvars → staging. */
function tfvarsEnvironment(name: string, dir: string): string | undefined {
  const stem = name
    .replace(/\.json$/i, "")
    .replace(/\.tfvars$/i, "")
    .replace(/\.auto$/i, "")
    .replace(/^terraform\.?/i, "");
  return (stem ? environmentOf(stem) : undefined) ?? folderEnvironment(dir);
}

/** The environment a module's folder stands for: live/prod/vpc, environments/staging … */
function folderEnvironment(dir: string): string | undefined {
  const parts = dir.split("/");
  for (let i = parts.length - 1; i >= 0; i--) {
    const env = parts[i] === "modules" ? undefined : environmentOf(parts[i]!);
    if (env) return env;
  }
  return undefined;
}
