// Every analyzer, by domain. Each domain folder owns its file kinds.
import type { Analyzer } from "../engine/analyzer.js";
import { ciAnalyzers } from "./ci/index.js";
import { containerAnalyzers } from "./container/index.js";
import { infraAnalyzers } from "./infra/index.js";
import { observabilityAnalyzers } from "./observability/index.js";
import { repoAnalyzers } from "./repo/index.js";
import { scriptsAnalyzers } from "./scripts/index.js";

export const analyzers: readonly Analyzer[] = [
  ...ciAnalyzers,
  ...containerAnalyzers,
  ...scriptsAnalyzers,
  ...infraAnalyzers,
  ...observabilityAnalyzers,
  ...repoAnalyzers,
];
