// Containerisation: Dockerfiles, .dockerignore files and compose files.
import type { Analyzer } from "../../engine/analyzer.js";
import { composeAnalyzer } from "./compose.js";
import { dockerfileAnalyzer } from "./dockerfile.js";
import { dockerignoreAnalyzer } from "./dockerignore.js";

export const containerAnalyzers: Analyzer[] = [dockerfileAnalyzer, dockerignoreAnalyzer, composeAnalyzer];
