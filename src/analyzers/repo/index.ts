// Coordination and documentation: docs, CODEOWNERS, PR/issue templates, release tooling.
import type { Analyzer } from "../../engine/analyzer.js";
import { docsAnalyzer } from "./docs.js";

export const repoAnalyzers: Analyzer[] = [docsAnalyzer];
