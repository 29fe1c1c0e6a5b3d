// Coordination and documentation: docs, CODEOWNERS, PR/issue templates, release tooling.
import type { Analyzer } from "../../engine/analyzer.js";
import { codeownersAnalyzer } from "./codeowners.js";
import { docsAnalyzer } from "./docs.js";
import { releaseAnalyzer } from "./release.js";
import { templatesAnalyzer } from "./templates.js";

export const repoAnalyzers: Analyzer[] = [docsAnalyzer, codeownersAnalyzer, templatesAnalyzer, releaseAnalyzer];
