// Scripts and build entry points: shell scripts, Makefiles, justfiles, package manifests, deploy platform configs,
// crontabs, systemd timers, Ofelia jobs and sanoid's snapshot policies.
import type { Analyzer } from "../../engine/analyzer.js";
import { cronAnalyzer } from "./cron.js";
import { justfileAnalyzer } from "./justfile.js";
import { makefileAnalyzer } from "./makefile.js";
import { manifestAnalyzer } from "./manifests.js";
import { ofeliaAnalyzer } from "./ofelia.js";
import { platformAnalyzer, valuesFilesAnalyzer } from "./platforms.js";
import { recurringJobsAnalyzer, rubyJobsAnalyzer } from "./ruby-jobs.js";
import { sanoidAnalyzer } from "./sanoid.js";
import { shellAnalyzer } from "./shell.js";

export const scriptsAnalyzers: Analyzer[] = [
  shellAnalyzer,
  makefileAnalyzer,
  justfileAnalyzer,
  manifestAnalyzer,
  platformAnalyzer,
  cronAnalyzer,
  ofeliaAnalyzer,
  sanoidAnalyzer,
  recurringJobsAnalyzer,
  valuesFilesAnalyzer,
  rubyJobsAnalyzer,
];
export { type CommandClass, type CommandKind, classifyCommand } from "../command-class.js";
