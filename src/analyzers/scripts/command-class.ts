// Moved to src/analyzers/command-class.ts (one classifier for scripts, CI and detectors). This re-export stays
// only until src/detectors/backups/* import from there; then delete it.
export { classifyCommand, positionals, unquote, type CommandClass, type CommandKind } from "../command-class.js";
