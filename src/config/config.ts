// Repository configuration: .github/devops-ladder.yml, validated against schema/config.schema.json.
// A bad config never stops a scan: it is reported with file and line, and the defaults apply.
// Its shape, defaults and paths are in defaults.ts, which loads no YAML or JSON Schema library.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "../assets.js";
import type { Finding } from "../engine/types.js";
import { type LocatedError, validateYamlText } from "../engine/validate.js";
import { CONFIG_PATH, type Config, DEFAULT_CONFIG } from "./defaults.js";

export {
  CONFIG_PATH,
  CONFIG_PATHS,
  type Config,
  DEFAULT_CONFIG,
  peopleSettings,
  type SignalOverride,
} from "./defaults.js";

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
