// The engine's default parts but the rules: every analyzer, detector and condition, and the tool's name. index.ts
// adds the bundled rules from YAML when it must; the CLI adds the build's prebuilt ones (prebuilt-rules.ts), so
// that a scan loads no YAML or JSON Schema library for its rules.
import { analyzers } from "../analyzers/index.js";
import { conditions, detectors } from "../detectors/index.js";
import { TOOL } from "../version.js";
import type { KnownIds, Rules } from "./rules.js";
import type { EngineParts } from "./scan.js";

export function defaultParts(rules: Rules): EngineParts {
  return { rules, analyzers, detectors, conditions, tool: TOOL };
}

/** The detector and condition ids this build implements, which the rules are checked against. */
export function knownIds(): KnownIds {
  return { detectors: new Set(Object.keys(detectors)), conditions: new Set(Object.keys(conditions)) };
}
