// .dockerignore (and BuildKit's per-Dockerfile `<Dockerfile>.dockerignore`): which files stay out of the
// build context. Syntax: one pattern a line, `#` comments in column 1, `!` re-includes.
import type { Analyzer } from "../../engine/analyzer.js";

export const dockerignoreAnalyzer: Analyzer = {
  id: "dockerignore",
  extensions: [".dockerignore"],
  match: (_path, name, lowerPath) =>
    name === ".dockerignore" || (lowerPath.endsWith(".dockerignore") && name.length > 13),
  analyze(file, out) {
    const patterns = file.text
      .split("\n")
      .filter((line) => !line.startsWith("#"))
      .map((line) => line.trim())
      .filter((line) => line !== "");
    const ignoresSomething = patterns.some((p) => !p.startsWith("!"));
    const forDockerfile = file.name === ".dockerignore" ? undefined : file.path.slice(0, -".dockerignore".length);
    out.fact("dockerignore", {
      path: file.path,
      patterns,
      ignoresSomething,
      ...(forDockerfile ? { forDockerfile } : {}),
    });
    if (!ignoresSomething) {
      out.finding({
        path: file.path,
        line: 1,
        severity: "note",
        rule: "dockerignore/ignores-nothing",
        message:
          patterns.length === 0
            ? "the .dockerignore has no patterns: the whole folder goes into the build context"
            : "the .dockerignore only re-includes files (`!` patterns): it keeps nothing out of the build context",
        remediation: "List what the image does not need, e.g. `.git`, `node_modules`, `**/*.log`, `.env*`.",
      });
    }
  },
};
