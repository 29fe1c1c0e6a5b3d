// Who owns a path, by CODEOWNERS rules. GitHub's semantics, approximated with picomatch:
// - the LAST matching rule wins; a rule without owners un-assigns what it matches;
// - a pattern with a slash at the start or in the middle is anchored at the root, otherwise it matches
//   at any depth (`*.tf`, `Dockerfile`, `apps/`);
// - a trailing slash matches a directory and everything beneath it; a pattern naming a directory
//   without the slash (`docs`) owns its contents too, as in .gitignore;
// - except `dir/*`, which owns the files directly in dir/ only (GitHub's documented exception);
// - `*` matches dotfiles, matching is case-sensitive; braces and extglobs are literal text.
import picomatch from "picomatch";
import type { CodeownersRule } from "../facts/repo.js";

/** Where GitHub (the first of .github/, the root, docs/) and GitLab (the root, docs/, .gitlab/) read CODEOWNERS. */
export const CODEOWNERS_LOCATIONS = [
  ".github/CODEOWNERS",
  "CODEOWNERS",
  "docs/CODEOWNERS",
  ".gitlab/CODEOWNERS",
] as const;

export type PathMatcher = (path: string) => boolean;

export function compilePattern(pattern: string): PathMatcher {
  let p = pattern;
  const dirOnly = p.endsWith("/");
  if (dirOnly) p = p.slice(0, -1);
  const anchored = p.startsWith("/") || p.includes("/");
  p = p.replace(/^\/+/, "");
  if (p === "") return () => false;
  const base = anchored ? p : `**/${p}`;
  const globs = dirOnly ? [`${base}/**`] : p.endsWith("*") && !p.endsWith("**") ? [base] : [base, `${base}/**`];
  return picomatch(globs, { dot: true, nobrace: true, noextglob: true });
}

export interface Ownership {
  /** the last rule that matches the path; undefined when none does */
  rule?: CodeownersRule;
  owners: string[];
}

/** Compiles the rules once; returns a function answering "who owns this path". */
export function ownershipOf(rules: readonly CodeownersRule[]): (path: string) => Ownership {
  const compiled = rules.map((rule) => ({ rule, matches: compilePattern(rule.pattern) }));
  return (path) => {
    for (let i = compiled.length - 1; i >= 0; i--) {
      const { rule, matches } = compiled[i]!;
      if (matches(path)) return { rule, owners: rule.owners };
    }
    return { owners: [] };
  };
}
