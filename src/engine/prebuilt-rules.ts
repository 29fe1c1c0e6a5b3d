// The rubric as the build validated it. `npm run build:dist` writes dist/rules.json (scripts/build-rules.js): what
// loadRules made of rules/*.yml, with every text it came from. A start-up reads that file instead of parsing and
// validating the YAML (the yaml and ajv libraries and the schemas' compilation were most of a small scan's CPU time).
// The texts are read again and compared (under a millisecond): when any of them changed since the build, the file
// is stale and the rules load from YAML, as without it. Under vitest (src/) there is no such file.
import { readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { PREBUILT_RULES, PROJECT_ROOT } from "../assets.js";
import type { LevelRule, Rules, TaskRule } from "./rules.js";
import { TASK_IDS } from "./types.js";

/**
 * What the rules are made of, relative to the project root: every file loadRules reads, and loadRules itself (the
 * compiled module beside this one), so that a build of the code alone (tsc without scripts/build-rules.js) that
 * changed the loader does not leave rules made by the old one in use.
 */
export const RULE_SOURCES: readonly string[] = [
  ...TASK_IDS.map((id) => `rules/${id}.yml`),
  "rules/levels.yml",
  "schema/rules.schema.json",
  "schema/levels.schema.json",
  relative(PROJECT_ROOT, fileURLToPath(new URL("./rules.js", import.meta.url)))
    .split(sep)
    .join("/"),
];

/** Reads a rule source by its path relative to the project root. */
export type SourceReader = (path: string) => string;

interface PrebuiltRules {
  /** the text of each of RULE_SOURCES the rules were built from */
  sources: Record<string, string>;
  tasks: TaskRule[];
  levels: LevelRule[];
}

/** The text of dist/rules.json for rules loaded from the sources `read` returns. */
export function prebuiltRulesText(rules: Rules, read: SourceReader = readSource): string {
  const sources = Object.fromEntries(RULE_SOURCES.map((path) => [path, read(path)]));
  const prebuilt: PrebuiltRules = { sources, tasks: rules.tasks, levels: rules.levels };
  return `${JSON.stringify(prebuilt)}\n`;
}

/** The prebuilt rules when every source still reads as when they were built; undefined when one changed. */
export function parsePrebuiltRules(text: string, read: SourceReader = readSource): Rules | undefined {
  const prebuilt = JSON.parse(text) as PrebuiltRules;
  if (!RULE_SOURCES.every((path) => prebuilt.sources[path] === read(path))) return undefined;
  return indexedRules(prebuilt.tasks, prebuilt.levels);
}

/** The bundled rules from dist/rules.json, or undefined when there is none or a source changed since the build. */
export function readPrebuiltRules(): Rules | undefined {
  let text: string;
  try {
    text = readFileSync(PREBUILT_RULES, "utf8");
  } catch {
    return undefined;
  }
  try {
    return parsePrebuiltRules(text);
  } catch {
    return undefined; // a source that cannot be read, or a file cut short: loadRules reports it properly
  }
}

/** Rules with their signal index, as loadRules returns them. */
export function indexedRules(tasks: TaskRule[], levels: LevelRule[]): Rules {
  const index = new Map(tasks.flatMap((t) => t.signals.map((s) => [s.id, s] as const)));
  return { tasks, levels, signal: (id) => index.get(id) };
}

function readSource(path: string): string {
  return readFileSync(join(PROJECT_ROOT, path), "utf8");
}
