// The Action's inputs as the runner passes them: INPUT_<NAME> with hyphens kept, defaults from action.yml.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { InputError, readInputs } from "../../src/action/inputs.js";

/** The environment the runner builds from action.yml's defaults, plus `given`. */
function runnerEnv(given: Record<string, string> = {}): NodeJS.ProcessEnv {
  const action = parse(readFileSync("action.yml", "utf8")) as { inputs: Record<string, { default?: string }> };
  const env: NodeJS.ProcessEnv = {};
  for (const [name, spec] of Object.entries(action.inputs)) {
    const value = given[name] ?? (spec.default?.includes("${{") ? "ghs_token" : spec.default) ?? "";
    env[`INPUT_${name.toUpperCase()}`] = value;
  }
  return env;
}

describe("readInputs", () => {
  it("reads action.yml's defaults", () => {
    expect(readInputs(runnerEnv())).toEqual({
      path: ".",
      config: undefined,
      minLevel: undefined,
      minScore: undefined,
      failOnRegression: false,
      sarifFile: undefined,
      ignoreConfigGates: false,
      token: "ghs_token",
    });
  });

  it("reads every input by its hyphenated name", () => {
    const inputs = readInputs(
      runnerEnv({
        path: "services/api",
        config: "ci/ladder.yml",
        "min-level": "senior",
        "min-score": "60",
        "fail-on-regression": "true",
        "ignore-config-gates": "True",
        "sarif-file": "ladder.sarif",
      }),
    );
    expect(inputs).toMatchObject({
      path: "services/api",
      config: "ci/ladder.yml",
      minLevel: "senior",
      minScore: 60,
      failOnRegression: true,
      ignoreConfigGates: true,
      sarifFile: "ladder.sarif",
    });
  });

  it.each([
    [{ "min-level": "guru" }, /min-level must be one of junior, senior, lead/],
    [{ "min-score": "101" }, /min-score must be a whole number/],
    [{ "min-score": "5.5" }, /min-score must be a whole number/],
    [{ "fail-on-regression": "yes" }, /fail-on-regression must be true or false/],
  ])("refuses %j", (given, message) => {
    expect(() => readInputs(runnerEnv(given))).toThrow(InputError);
    expect(() => readInputs(runnerEnv(given))).toThrow(message);
  });
});
