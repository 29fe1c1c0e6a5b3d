// One analyzer per CI system; each emits the normalised `ci` fact and a `command` fact per shell command.
import type { Analyzer } from "../../engine/analyzer.js";
import { githubActionsAnalyzer } from "./github-actions.js";

export const ciAnalyzers: Analyzer[] = [githubActionsAnalyzer];
