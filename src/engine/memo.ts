// Analyzers are pure (path and text in, facts and findings out), so a file whose text has not changed since
// the last scan need not be analysed again: a history replay scans hundreds of commits that differ by a few
// files. The facts are shared between scans, as detectors only read them.
import type { FactKind, FactKinds } from "../facts/index.js";
import type { Analyzer, AnalyzerOutput } from "./analyzer.js";
import type { Finding } from "./types.js";

type Output = { kind: FactKind; fact: FactKinds[FactKind] } | { finding: Finding };

/** The same analyzers, remembering the last output of each (analyzer, path) with the text it came from. */
export function memoizeAnalyzers(analyzers: readonly Analyzer[]): Analyzer[] {
  return analyzers.map((analyzer) => {
    const last = new Map<string, { text: string; outputs: Output[] }>();
    return {
      id: analyzer.id,
      match: (path, name, lower) => analyzer.match(path, name, lower),
      ...(analyzer.prepare ? { prepare: () => analyzer.prepare!() } : {}),
      async analyze(file, out: AnalyzerOutput) {
        const known = last.get(file.path);
        if (known && known.text === file.text) {
          for (const o of known.outputs) "finding" in o ? out.finding(o.finding) : out.fact(o.kind, o.fact);
          return;
        }
        const outputs: Output[] = [];
        await analyzer.analyze(file, {
          fact(kind, fact) {
            outputs.push({ kind, fact });
            out.fact(kind, fact);
          },
          finding(finding) {
            outputs.push({ finding });
            out.finding(finding);
          },
        });
        last.set(file.path, { text: file.text, outputs });
      },
    };
  });
}

/** The engine's own test of whether a path is a file some analyzer reads (before the config's ignores). */
export function candidateTest(analyzers: readonly Analyzer[]): (path: string) => boolean {
  return (path) => {
    const name = path.slice(path.lastIndexOf("/") + 1);
    const lower = path.toLowerCase();
    return analyzers.some((a) => a.match(path, name, lower));
  };
}
