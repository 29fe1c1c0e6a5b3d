// Which paths are evidence at all. Vendored, generated and test-fixture folders are not:
// a Dockerfile under node_modules/ or a fixture says nothing about how this repo ships.
import picomatch from "picomatch";

export const DEFAULT_IGNORES = [
  "**/node_modules/**",
  "**/vendor/**",
  "**/third_party/**",
  "**/third-party/**",
  "**/bower_components/**",
  "**/.git/**",
  "**/.terraform/**",
  "**/.venv/**",
  "**/venv/**",
  "**/site-packages/**",
  "**/dist/**",
  "**/fixtures/**",
  "**/__fixtures__/**",
  "**/testdata/**",
  "**/test-fixtures/**",
];

/** Folder names pruned during a walk before any glob runs (cheap, and the common case). */
export const PRUNED_DIRS = new Set(["node_modules", ".git", "vendor", "third_party", "bower_components", ".terraform"]);

export function ignoreMatcher(extra: readonly string[] = []): (path: string) => boolean {
  const isMatch = picomatch([...DEFAULT_IGNORES, ...extra], { dot: true });
  return (path) => isMatch(path);
}
