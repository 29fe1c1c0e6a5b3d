#!/usr/bin/env node
// CLI wiring only: arguments → a source → the engine → a renderer. Exit codes: 0 ok, 1 gate failed, 2 usage error.
import { existsSync, realpathSync, renameSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import type { LoadedConfig } from "./config/config.js";
import { CONFIG_PATH, CONFIG_PATHS } from "./config/defaults.js";
import { type GateNames, gateFailures } from "./config/gates.js";
import { narrowReport, parseSelection, SelectionError } from "./engine/only.js";
import type { Report } from "./engine/report.js";
import type { Rules } from "./engine/rules.js";
import type { Snapshot } from "./engine/snapshot.js";
import { LEVEL_IDS, type LevelId } from "./engine/types.js";
import { setV8Flags } from "./v8-flags.js";
import { TOOL } from "./version.js";

// Only what every command needs loads up front: each command imports its own modules when it runs (the engine for
// a scan, one renderer for the chosen format), so that `--version` or a scan of a small folder starts fast.
const USAGE = `Usage:
  devops-ladder scan [DIR | OWNER/REPO] [options]   score a checkout (default: .) or a GitHub repository
  devops-ladder rules [--format text|json]          list every signal with its remediation
  devops-ladder people [DIR] [--since DATE] [--format text|json|markdown]
                                                    each person's DevOps ladder, from the git history
  devops-ladder worker                              the app's workers alone, no web server (docs/operations.md)

Options for scan:
  --format text|json|markdown|sarif   output format (default: text)
  --output FILE                       write the report to FILE instead of stdout
  --min-score N                       exit 1 when the score is below N (0-100)
  --min-level junior|senior|lead      exit 1 when the level is below L
  --ignore-config-gates               do not apply the config's min_score and min_level
  --only TASK|SIGNAL[,…]              score only these tasks or signals (ids as in \`devops-ladder rules\`)
  --config FILE                       config file (default: DIR/${CONFIG_PATH}, or .yaml); exit 2 if invalid
  --ref REF                           branch, tag or SHA (OWNER/REPO only; needs GITHUB_TOKEN)
  --badge FILE                        also write a README badge (SVG) for this scan
  --verbose                           list every signal in the text report
  -h, --help                          show this help
  -v, --version                       show the version`;

class UsageError extends Error {
  constructor(
    message: string,
    readonly options: { usage?: boolean } = {},
  ) {
    super(message);
  }
}

const FORMATS = ["text", "json", "markdown", "sarif"] as const;
type Format = (typeof FORMATS)[number];

export async function main(argv: string[]): Promise<number> {
  if (argv[0] === "worker") {
    if (argv.length > 1) throw new UsageError(`worker takes no argument (got "${argv[1]}"); it reads the environment`);
    const runtime = await import("./runtime.js"); // Probot and the queues load only here
    await runtime.main("worker");
    return new Promise<number>(() => undefined); // runs until SIGTERM, which exits the process
  }
  if (argv[0] === "people") {
    const { peopleCommand, PeopleUsageError } = await import("./cli-people.js"); // its own options
    return peopleCommand(argv.slice(1)).catch((err: unknown) => {
      throw err instanceof PeopleUsageError ? new UsageError(err.message) : err;
    });
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: "string" },
        output: { type: "string" },
        "min-score": { type: "string" },
        "min-level": { type: "string" },
        "ignore-config-gates": { type: "boolean" },
        only: { type: "string" },
        config: { type: "string" },
        ref: { type: "string" },
        badge: { type: "string" },
        verbose: { type: "boolean" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean", short: "v" },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.version) return print(`${TOOL.name} ${TOOL.version}\n`);
  const [command, ...rest] = positionals;
  if (values.help || command === "help") return print(`${USAGE}\n`);
  if (command === undefined) throw new UsageError("a command is needed", { usage: true });

  if (command === "rules") {
    if (rest.length > 0) throw new UsageError(`rules takes no argument (got "${rest[0]}")`);
    const format = values.format ?? "text";
    if (format !== "text" && format !== "json")
      throw new UsageError(`rules: --format must be text or json (got "${format}")`);
    const [rules, { renderRules }] = await Promise.all([bundledRules(), import("./report/rules.js")]);
    return print(renderRules(rules, format));
  }
  if (command !== "scan") throw new UsageError(`unknown command "${command}"`);
  if (rest.length > 1) throw new UsageError(`scan takes one target (got ${rest.length})`);

  const format = (values.format ?? "text") as Format;
  if (!FORMATS.includes(format))
    throw new UsageError(`--format must be one of ${FORMATS.join(", ")} (got "${values.format}")`);
  const minScore = values["min-score"] === undefined ? undefined : parseScore(values["min-score"]);
  const minLevel = values["min-level"] === undefined ? undefined : parseLevel(values["min-level"]);
  const [rules, { defaultParts }, { scanSnapshot }] = await Promise.all([
    bundledRules(),
    import("./engine/default-parts.js"),
    import("./engine/scan.js"),
  ]);
  const only = values.only === undefined ? undefined : parseSelection(values.only, rules);

  const { snapshot, config } = await openTarget(rest[0] ?? ".", values.ref, values.config);
  const full = await scanSnapshot(snapshot, defaultParts(rules), {
    config: config?.config,
    configFindings: config?.findings,
    configSource: config?.source,
  });
  const report = only ? narrowReport(full, only) : full;

  const rendered = await render(report, rules, format, values.verbose ?? false);
  if (values.output) writeAtomically(values.output, rendered);
  else process.stdout.write(rendered);
  if (values.badge) writeAtomically(values.badge, await badgeFor(report));

  const failures = [
    ...(values["ignore-config-gates"] || !config ? [] : gateFailures(report, undefined, config.config)),
    ...gateFailures(report, undefined, { min_score: minScore, min_level: minLevel }, FLAG_NAMES),
  ];
  for (const failure of failures) process.stderr.write(`devops-ladder: gate failed: ${failure}\n`);
  return failures.length > 0 ? 1 : 0;
}

const FLAG_NAMES: GateNames = {
  min_score: "--min-score",
  min_level: "--min-level",
  fail_on_regression: "--fail-on-regression",
};

async function openTarget(
  target: string,
  ref: string | undefined,
  configFile: string | undefined,
): Promise<{ snapshot: Snapshot; config?: LoadedConfig }> {
  if (existsSync(target)) {
    if (ref) throw new UsageError("--ref works with OWNER/REPO targets only");
    if (!statSync(target).isDirectory()) throw new UsageError(`${target} is not a directory`);
    const { localSnapshot } = await import("./sources/local.js");
    return { snapshot: localSnapshot(target), config: await localConfig(target, configFile) };
  }
  if (/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/.test(target)) {
    const { openGithubRepo } = await import("./sources/github-cli.js"); // loaded lazily: local scans never load Octokit
    const { snapshot, configText } = await openGithubRepo(target, ref, process.env);
    if (configFile) return { snapshot, config: await localConfig(".", configFile) };
    if (configText === undefined) return { snapshot };
    const { parseConfig } = await import("./config/config.js");
    return { snapshot, config: parseConfig(configText.text, configText.path) };
  }
  throw new UsageError(`${target}: no such directory (and not an OWNER/REPO name)`);
}

/** The config of a local folder, if it has one: the config parser (YAML, JSON Schema) loads only to read one. */
async function localConfig(dir: string, explicit: string | undefined): Promise<LoadedConfig | undefined> {
  if (explicit === undefined && !CONFIG_PATHS.some((path) => existsSync(join(dir, path)))) return undefined;
  const { loadLocalConfig } = await import("./config/local.js");
  return loadLocalConfig(dir, explicit);
}

/** The bundled rules: as the build validated them, else (no build, or a rule edited since) from YAML. */
async function bundledRules(): Promise<Rules> {
  const { readPrebuiltRules } = await import("./engine/prebuilt-rules.js");
  return readPrebuiltRules() ?? (await import("./engine/index.js")).defaultRules();
}

/** The report in `format`: only that renderer loads. */
async function render(report: Report, rules: Rules, format: Format, verbose: boolean): Promise<string> {
  switch (format) {
    case "json":
      return (await import("./report/json.js")).renderJson(report);
    case "markdown":
      return (await import("./report/markdown.js")).renderMarkdown(report);
    case "sarif":
      return (await import("./report/sarif.js")).renderSarif(report, rules);
    default:
      return (await import("./report/text.js")).renderText(report, { verbose });
  }
}

async function badgeFor(report: Report): Promise<string> {
  const { renderBadge } = await import("./report/badge.js"); // loaded lazily: badge-maker only when asked
  return renderBadge(report);
}

function parseScore(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 100)
    throw new UsageError(`--min-score must be a whole number from 0 to 100 (got "${value}")`);
  return n;
}

function parseLevel(value: string): LevelId {
  if (!(LEVEL_IDS as readonly string[]).includes(value))
    throw new UsageError(`--min-level must be one of ${LEVEL_IDS.join(", ")} (got "${value}")`);
  return value as LevelId;
}

/** Write to a temporary file then rename, so a reader never sees half a report. */
function writeAtomically(path: string, content: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, content);
    renameSync(temporary, path);
  } catch (err) {
    throw new UsageError(`cannot write ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

function print(text: string): number {
  process.stdout.write(text);
  return 0;
}

/** Runs the CLI and turns every error into a one-line message: no stack traces for users. */
export async function run(argv: string[]): Promise<number> {
  try {
    return await main(argv);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (err instanceof UsageError && err.options.usage) {
      process.stderr.write(`${USAGE}\n`);
      return 2;
    }
    process.stderr.write(`devops-ladder: ${message}\n`);
    if (err instanceof UsageError || err instanceof SelectionError)
      process.stderr.write("Run `devops-ladder --help` for usage.\n");
    return 2; // usage errors, a --config that is missing or invalid (ConfigFileError), unreadable targets
  }
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathOr(process.argv[1])).href;
if (invokedDirectly) {
  setV8Flags();
  run(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}

function realpathOr(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
