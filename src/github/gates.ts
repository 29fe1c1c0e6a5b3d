// The repository's gates (config `min_score`, `min_level`, `fail_on_regression`): what turns a check run red.
// Without gates a check run is `neutral`: the ladder informs, it does not block merges unless asked to.
import type { Config } from "../config/config.js";
import type { Report } from "../engine/report.js";
import { LEVEL_IDS } from "../engine/types.js";

/** Why the gates fail, in words; empty when they pass. */
export function gateFailures(report: Report, base: Report | undefined, config: Config): string[] {
  const out: string[] = [];
  if (config.min_score !== undefined && report.score < config.min_score) {
    out.push(`the score ${report.score} is under min_score ${config.min_score}`);
  }
  if (config.min_level !== undefined && LEVEL_IDS.indexOf(report.level) < LEVEL_IDS.indexOf(config.min_level)) {
    out.push(`the level ${report.level} is under min_level ${config.min_level}`);
  }
  if (config.fail_on_regression && base) {
    if (report.score < base.score)
      out.push(`the score dropped from ${base.score} to ${report.score} (fail_on_regression)`);
    const before = new Map(base.milestones.map((m) => [m.id, m.status]));
    for (const m of report.milestones) {
      if (before.get(m.id) === "pass" && m.status === "fail")
        out.push(`the milestone "${m.title}" is no longer met (fail_on_regression)`);
    }
  }
  return out;
}
