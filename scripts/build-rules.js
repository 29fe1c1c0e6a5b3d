// Part of `npm run build:dist`, after tsc: writes dist/rules.json, the rules as loadRules validates them from
// rules/*.yml, with the texts it read (src/engine/prebuilt-rules.ts). The CLI then starts without parsing YAML or
// compiling JSON Schemas; a rule edited after the build makes the file stale, and it is not used.
import { writeFileSync } from "node:fs";
import { PREBUILT_RULES } from "../dist/assets.js";
import { knownIds } from "../dist/engine/default-parts.js";
import { prebuiltRulesText } from "../dist/engine/prebuilt-rules.js";
import { loadRules } from "../dist/engine/rules.js";

writeFileSync(PREBUILT_RULES, prebuiltRulesText(loadRules(knownIds())));
console.log(`wrote ${PREBUILT_RULES}`);
