// Moved: shell commands are judged by src/analyzers/command-class.ts and narrowed to a job's actions in
// ./job-actions.ts (with the `uses:` action rules). This re-export stays only while test/self/configs.test.ts
// (in progress) imports from here; then delete it.
export {
  classifyAction, jobActionOfCommand as classifyCommand, jobActionOfRemote as classifyRemote, type ActionKind, type Classified,
} from "./job-actions.js";
