// Scripts and build entry points: shell scripts, Makefiles, justfiles, package manifests, deploy platform configs,
// crontabs and systemd timers.
import type { Analyzer } from "../../engine/analyzer.js";
import { cronAnalyzer } from "./cron.js";
import { justfileAnalyzer } from "./justfile.js";
import { makefileAnalyzer } from "./makefile.js";
import { manifestAnalyzer } from "./manifests.js";
import { platformAnalyzer } from "./platforms.js";
import { shellAnalyzer } from "./shell.js";

export const scriptsAnalyzers: Analyzer[] = [
  shellAnalyzer,
  makefileAnalyzer,
  justfileAnalyzer,
  manifestAnalyzer,
  platformAnalyzer,
  cronAnalyzer,
];
export { type CommandClass, type CommandKind, classifyCommand } from "../command-class.js";
