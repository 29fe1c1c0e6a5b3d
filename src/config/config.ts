// Repository configuration: .github/devops-ladder.yml, validated against schema/config.schema.json.
// A bad config never stops a scan: it is reported with file and line, and the defaults apply.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "../assets.js";
import type { Finding, LevelId } from "../engine/types.js";
import { type LocatedError, validateYamlText } from "../engine/validate.js";

export const CONFIG_PATH = ".github/devops-ladder.yml";
/** Where a repository's config is looked for, in order: `.yml`, and `.yaml` beside it. */
export const CONFIG_PATHS = [CONFIG_PATH, ".github/devops-ladder.yaml"] as const;

export interface SignalOverride {
  enabled?: boolean;
  not_applicable?: string;
  weight?: number;
}

export interface Config {
  ignore: string[];
  signals: Record<string, SignalOverride>;
  min_score?: number;
  min_level?: LevelId;
  fail_on_regression: boolean;
  annotations: number;
  progression_issue: boolean;
  assignees?: string[];
  max_file_size: number;
  /** people's ladders: false turns them off; an object leaves people out */
  people?: boolean | { exclude?: string[]; bots?: string[] };
  /** what a merged pull request that earned something gets: a comment, nothing visible, or no credit at all */
  credit: "comment" | "silent" | "off";
  /** read from the org's `.github` repository only: `public` shows its public repositories to signed-out visitors */
  dashboard?: "public" | "private";
}

export const DEFAULT_CONFIG: Readonly<Config> = Object.freeze({
  ignore: [],
  signals: {},
  fail_on_regression: false,
  annotations: 50,
  progression_issue: true,
  max_file_size: 1024 * 1024,
  credit: "silent",
});

/** Who the config leaves out of people's credits, or undefined when people's ladders are off. */
export function peopleSettings(config: Config): { exclude: string[]; bots: string[] } | undefined {
  if (config.people === false || config.credit === "off") return undefined;
  const people = typeof config.people === "object" ? config.people : {};
  return { exclude: people.exclude ?? [], bots: people.bots ?? [] };
}

let schema: object | undefined;
export function configSchema(): object {
  schema ??= JSON.parse(readFileSync(join(PROJECT_ROOT, "schema", "config.schema.json"), "utf8")) as object;
  return schema;
}

export interface LoadedConfig {
  config: Config;
  /** config problems as findings (rule `config/invalid`), located at the offending line */
  findings: Finding[];
  /** where it came from, when it came from a file */
  source?: string;
  /**
   * The app's config look-up (src/github/config.ts) says what the config depends on besides the scanned commit:
   * `own` (the repository's file, no _extends), `org:<blob sha>` (the owner's .github file), `extends`.
   */
  origin?: string;
}

/** Parses config text; on any error returns the defaults plus findings that say why. */
export function parseConfig(text: string, path = CONFIG_PATH): LoadedConfig {
  const { value, errors } = validateConfig(text, path);
  if (errors.length > 0) {
    return {
      config: { ...DEFAULT_CONFIG },
      source: path,
      findings: errors.map((e) => ({
        path: e.path,
        line: e.line,
        severity: "error",
        rule: "config/invalid",
        message: `${e.message}; the defaults apply until this is fixed`,
        remediation: "Fix the key or value at this line; the schema is schema/config.schema.json.",
      })),
    };
  }
  return { config: fromObject(value), findings: [], source: path };
}

/** The config's errors, each at its line: what an explicitly named config that is invalid stops on. */
export function validateConfig(text: string, path: string): { value: unknown; errors: LocatedError[] } {
  return validateYamlText(text, path, configSchema());
}

function fromObject(value: unknown): Config {
  const raw = (value ?? {}) as Partial<Config>;
  return {
    ...DEFAULT_CONFIG,
    ...raw,
    ignore: raw.ignore ?? [],
    signals: raw.signals ?? {},
  };
}
