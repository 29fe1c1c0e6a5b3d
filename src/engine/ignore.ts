// Which paths are evidence at all. Vendored, generated, test and example folders are not: a Dockerfile under
// node_modules/, a compose file that stands up an integration test, or Kubernetes manifests of an example say
// nothing about how this repository ships.
import picomatch from "picomatch";

/** Folders that are never evidence, wherever they sit in the tree. */
export const IGNORED_FOLDERS = [
  "node_modules",
  "vendor",
  "third_party",
  "third-party",
  "bower_components",
  ".git",
  ".terraform",
  ".venv",
  "venv",
  "site-packages",
  "dist",
  "fixtures",
  "__fixtures__",
  "testdata",
  "test-fixtures",
  // test environments and examples: how to test or to try the project, not how it runs
  "test",
  "tests",
  "__tests__",
  "e2e",
  "example",
  "examples",
  // community contributions and optional add-ons: offered, not how the project itself runs
  "contrib",
  "extras",
] as const;

/** The same rule as globs, for people and docs: `**\/<folder>/**`. */
export const DEFAULT_IGNORES = IGNORED_FOLDERS.map((folder) => `**/${folder}/**`);

/** Folder names pruned during a walk before any glob runs (cheap, and the common case). */
export const PRUNED_DIRS = new Set(["node_modules", ".git", "vendor", "third_party", "bower_components", ".terraform"]);

// One regex for the built-in folders: a glob engine costs ~2 µs a path, too much on a 100k-file tree.
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const IGNORED_FOLDER = new RegExp(`(?:^|/)(?:${IGNORED_FOLDERS.map(escapeRegExp).join("|")})/`);

/** A test for ignored paths: the built-in folders, plus the repository's own `ignore:` globs. */
export function ignoreMatcher(extra: readonly string[] = []): (path: string) => boolean {
  if (extra.length === 0) return (path) => IGNORED_FOLDER.test(path);
  const isExtra = picomatch([...extra], { dot: true });
  return (path) => IGNORED_FOLDER.test(path) || isExtra(path);
}
