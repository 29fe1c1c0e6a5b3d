// Where the files read at run time live: the rubric (rules/), the JSON Schemas (schema/), package.json and the
// WASM parsers. From the project (src/ under vitest, dist/ once built) they are in the project and its
// node_modules. In the GitHub Action's bundle (action/index.js, built by scripts/build-action.js) they sit in the
// bundle's own folder, which has no node_modules: the bundler sets DEVOPS_LADDER_BUNDLE to tell them apart.
import { createRequire } from "node:module";
import { basename } from "node:path";
import { fileURLToPath } from "node:url";

declare const DEVOPS_LADDER_BUNDLE: boolean | undefined;
const bundled = typeof DEVOPS_LADDER_BUNDLE !== "undefined" && DEVOPS_LADDER_BUNDLE;

/** The folder that holds rules/, schema/ and package.json, with a trailing slash. */
export const PROJECT_ROOT = fileURLToPath(new URL(bundled ? "./" : "../", import.meta.url));

/**
 * The rules as the build validated them (src/engine/prebuilt-rules.ts): dist/rules.json beside the compiled code,
 * written by `npm run build:dist`. src/ has none (vitest reads the YAML), nor has the Action's bundle unless its
 * build writes one.
 */
export const PREBUILT_RULES = bundled
  ? `${PROJECT_ROOT}rules.json`
  : fileURLToPath(new URL("./rules.json", import.meta.url));

/** A WASM file of a dependency, e.g. `tree-sitter-bash/tree-sitter-bash.wasm`: the bundle keeps it by its name. */
export function wasmPath(specifier: string): string {
  return bundled ? `${PROJECT_ROOT}${basename(specifier)}` : createRequire(import.meta.url).resolve(specifier);
}
