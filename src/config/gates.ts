// Gates (`min_score`, `min_level`, `fail_on_regression`): what turns a check run red, and the CLI or the Action's
// exit code non-zero. They come from the repository's config, from command-line flags or from Action inputs, and
// each failure names the setting that failed, as it was written there.
// Without gates a check run is `neutral`: the ladder informs, it does not block merges unless asked to.
import type { Report } from "../engine/report.js";
import { LEVEL_IDS } from "../engine/types.js";
import type { Config } from "./config.js";

export type Gates = Partial<Pick<Config, "min_score" | "min_level" | "fail_on_regression">>;

/** What each gate is called where it was set. */
export type GateNames = Record<keyof Gates, string>;

export const CONFIG_GATE_NAMES: GateNames = {
  min_score: "min_score",
  min_level: "min_level",
  fail_on_regression: "fail_on_regression",
};

/** Why the gates fail, in words; empty when they pass. `base` is the base branch's report, on pull requests. */
export function gateFailures(
  report: Report,
  base: Report | undefined,
  gates: Gates,
  names: GateNames = CONFIG_GATE_NAMES,
): string[] {
  const out: string[] = [];
  if (gates.min_score !== undefined && report.score < gates.min_score) {
    out.push(`the score ${report.score} is under ${names.min_score} ${gates.min_score}`);
  }
  if (gates.min_level !== undefined && LEVEL_IDS.indexOf(report.level) < LEVEL_IDS.indexOf(gates.min_level)) {
    out.push(`the level ${report.level} is under ${names.min_level} ${gates.min_level}`);
  }
  if (gates.fail_on_regression && base) {
    if (report.score < base.score)
      out.push(`the score dropped from ${base.score} to ${report.score} (${names.fail_on_regression})`);
    const before = new Map(base.milestones.map((m) => [m.id, m.status]));
    for (const m of report.milestones) {
      if (before.get(m.id) === "pass" && m.status === "fail")
        out.push(`the milestone "${m.title}" is no longer met (${names.fail_on_regression})`);
    }
  }
  return out;
}
