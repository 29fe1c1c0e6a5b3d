// The config of a local checkout, for the CLI and the Action. A config named explicitly (--config, the Action's
// `config` input) must exist and be valid: anything else stops with file:line (ConfigFileError). The repository's
// own config (.github/devops-ladder.yml, or .yaml) never stops a scan: its problems become findings that every
// report shows first, and the defaults apply.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Finding } from "../engine/types.js";
import { CONFIG_PATHS, type LoadedConfig, parseConfig, validateConfig } from "./config.js";

export class ConfigFileError extends Error {}

/** The config for `dir`: `explicit` (a path as the user typed it) when given, else the repository's own, if any. */
export function loadLocalConfig(dir: string, explicit?: string): LoadedConfig | undefined {
  if (explicit !== undefined) return loadExplicit(explicit);
  const present = CONFIG_PATHS.filter((p) => existsSync(join(dir, p)));
  if (present.length === 0) return undefined;
  const [used, ...ignored] = present as [string, ...string[]];
  const loaded = parseConfig(readFileSync(join(dir, used), "utf8"), used);
  return { ...loaded, findings: [...loaded.findings, ...ignored.map((path) => ignoredConfig(path, used))] };
}

function loadExplicit(path: string): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigFileError(`${path}: ${code === "ENOENT" ? "no such file" : (code ?? String(err))}`);
  }
  const { errors } = validateConfig(text, path);
  if (errors.length > 0) {
    throw new ConfigFileError(`invalid config:\n${errors.map((e) => `${e.path}:${e.line}: ${e.message}`).join("\n")}`);
  }
  return parseConfig(text, path);
}

function ignoredConfig(path: string, used: string): Finding {
  return {
    path,
    line: 1,
    severity: "warning",
    rule: "config/ignored",
    message: `${used} is the config in effect; this file is ignored`,
    remediation: `Keep one config file: merge this one into ${used} and delete it.`,
  };
}
