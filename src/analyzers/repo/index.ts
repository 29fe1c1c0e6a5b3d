import type { Analyzer } from "../../engine/analyzer.js";

export const repoAnalyzers: Analyzer[] = [];
