// The config's shape, its defaults and where it lives: what the engine, the reports and the CLI need of the config
// without parsing one (config.ts parses and validates, with the YAML and JSON Schema libraries).
import type { LevelId } from "../engine/types.js";

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
