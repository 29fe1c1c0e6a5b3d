// What a scan's result depends on besides its commit, kept with every stored scan (its `version` column) so
// that the org sweep can skip a head that was already scanned the same way: the engine (the tool's version and
// its rules) and where the config came from (the repository's own file, which the commit fixes; the owner's
// .github file, by blob; or an _extends, which is never taken as unchanged).
import { createHash } from "node:crypto";
import { defaultRules } from "../engine/index.js";
import { TOOL } from "../version.js";

let engine: string | undefined;

/** `0.1.0+<rules hash>`: a new release or any rule change makes every stored scan out of date. */
export function engineFingerprint(): string {
  engine ??= `${TOOL.version}+${createHash("sha256").update(JSON.stringify(defaultRules())).digest("hex").slice(0, 12)}`;
  return engine;
}

/** What a scan records: `<engine> config=<origin>` (origin: none, own, org:<blob sha>, extends, unknown). */
export function scanFingerprint(configOrigin: string | undefined): string {
  return `${engineFingerprint()} config=${configOrigin ?? "none"}`;
}

/**
 * True when a head scanned with `stored` would be scanned the same way now: same engine, and a config that
 * cannot have changed: the repository's own (fixed by the commit), or the owner's .github file (or none) as
 * `orgConfig` says it is now (its blob sha, null when there is none, undefined when unknown).
 */
export function sameScan(stored: string | null | undefined, orgConfig: string | null | undefined): boolean {
  const m = /^(\S+) config=(\S+)$/.exec(stored ?? "");
  if (!m || m[1] !== engineFingerprint()) return false;
  const origin = m[2]!;
  if (origin === "own") return true;
  if (orgConfig === undefined) return false;
  return origin === (orgConfig === null ? "none" : `org:${orgConfig}`);
}
