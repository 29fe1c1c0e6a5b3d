// Process-wide V8 flags, set by the entry points (src/cli.ts, src/main.ts, src/action.ts) before any work:
// a library module must not change the process it is imported into.
//
// --liftoff-only: both WASM parsers (tree-sitter-bash, and hcl2json's 6.5 MB Go build) run on V8's baseline
// compiler only. By default V8 also recompiles their hot functions with its optimising tier on background
// threads: for the few hundred files of a scan that never pays off. Measured on a 100k-file tree (2 cores): the
// scan took ~1.1 s instead of ~0.7 s and ~90 MB more memory; baseline code parses 1,000 shell scripts in less
// time too. The flag is read when a WASM module compiles; the parsers load lazily, after the entry point ran.
import { setFlagsFromString } from "node:v8";

export function setV8Flags(): void {
  setFlagsFromString("--liftoff-only");
}
