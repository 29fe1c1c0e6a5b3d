// Scripts and build entry points: shell scripts, Makefiles, package manifests, deploy platform configs.
import type { Analyzer } from "../../engine/analyzer.js";
import { makefileAnalyzer } from "./makefile.js";
import { manifestAnalyzer } from "./manifests.js";
import { platformAnalyzer } from "./platforms.js";
import { shellAnalyzer } from "./shell.js";

export const scriptsAnalyzers: Analyzer[] = [shellAnalyzer, makefileAnalyzer, manifestAnalyzer, platformAnalyzer];
export { classifyCommand, type CommandClass, type CommandKind } from "../command-class.js";
