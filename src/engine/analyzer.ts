// Analyzers turn one file's text into facts and findings. They are pure: no I/O, no clock.
import type { FactKind, FactKinds } from "../facts/index.js";
import type { Finding } from "./types.js";

export interface SourceFile {
  path: string;
  /** decoded text: UTF-8 (or Latin-1 fallback), BOM removed, line endings normalised to \n */
  text: string;
  /** the last path segment, e.g. "Dockerfile.prod" */
  name: string;
}

export interface AnalyzerOutput {
  fact<K extends FactKind>(kind: K, fact: FactKinds[K]): void;
  finding(finding: Finding): void;
}

export interface Analyzer {
  /** stable id, used in crash findings and in `devops-ladder rules` */
  id: string;
  /**
   * Cheap test on a path, run on every file of the tree: it decides what is fetched from GitHub,
   * so it must be precise (the budget is about 300 files for a whole repository).
   * `name` is the last path segment, `lowerPath` the path in lower case.
   */
  match(path: string, name: string, lowerPath: string): boolean;
  /**
   * The extensions of every file name `match` can accept, in lower case from the name's last dot (`.yml`,
   * `.dockerignore`), `""` for a name without a dot. The plan calls `match` only on such files: a tree of 100k source
   * files is not offered to fifty analyzers each. Leave it out when a name of any extension may match.
   */
  extensions?: readonly string[];
  analyze(file: SourceFile, out: AnalyzerOutput): void | Promise<void>;
  /**
   * Loads the parsers `analyze` needs (they load on first need, not at start-up: see analyzers/lazy-library.ts).
   * The engine calls it as soon as the analyzer has a candidate, before the files are read, so the load overlaps
   * the read (a network round trip on GitHub), and awaits it before the analyzer's first file. A failed load is
   * reported on each of the analyzer's files, as a crash of `analyze` would be.
   */
  prepare?(): Promise<void>;
}
