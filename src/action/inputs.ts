// The Action's inputs, read from the environment as the runner passes them (INPUT_<NAME>, upper case, hyphens kept),
// checked up front: a bad value stops the step with a message, before anything is scanned.
import { LEVEL_IDS, type LevelId } from "../engine/types.js";

export interface ActionInputs {
  /** the folder to scan, relative to the workspace */
  path: string;
  /** a config file relative to the workspace; absent: the scanned folder's .github/devops-ladder.yml (or .yaml) */
  config?: string;
  minLevel?: LevelId;
  minScore?: number;
  failOnRegression: boolean;
  /** where to write SARIF, relative to the workspace; absent: no SARIF */
  sarifFile?: string;
  /** the config's min_score, min_level and fail_on_regression do not apply */
  ignoreConfigGates: boolean;
  /** reads the base commit through the API when git cannot fetch it */
  token?: string;
}

export class InputError extends Error {}

export function readInputs(env: NodeJS.ProcessEnv): ActionInputs {
  const minLevel = input(env, "min-level");
  const minScore = input(env, "min-score");
  if (minLevel && !(LEVEL_IDS as readonly string[]).includes(minLevel))
    throw new InputError(`min-level must be one of ${LEVEL_IDS.join(", ")} (got "${minLevel}")`);
  if (minScore && (!/^\d+$/.test(minScore) || Number(minScore) > 100))
    throw new InputError(`min-score must be a whole number from 0 to 100 (got "${minScore}")`);
  return {
    path: input(env, "path") || ".",
    config: input(env, "config") || undefined,
    minLevel: (minLevel || undefined) as LevelId | undefined,
    minScore: minScore ? Number(minScore) : undefined,
    failOnRegression: boolean(env, "fail-on-regression"),
    sarifFile: input(env, "sarif-file") || undefined,
    ignoreConfigGates: boolean(env, "ignore-config-gates"),
    token: input(env, "token") || undefined,
  };
}

function input(env: NodeJS.ProcessEnv, name: string): string {
  return (env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] ?? "").trim();
}

/** YAML 1.2's booleans, as @actions/core reads them; empty is false. */
function boolean(env: NodeJS.ProcessEnv, name: string): boolean {
  const value = input(env, name);
  if (value === "" || ["false", "False", "FALSE"].includes(value)) return false;
  if (["true", "True", "TRUE"].includes(value)) return true;
  throw new InputError(`${name} must be true or false (got "${value}")`);
}
