import { beforeAll, describe, expect, it } from "vitest";
import { loadShellParser, parseShell } from "../../src/analyzers/shell-parse.js";
import { programOf } from "../../src/vocabulary/programs.js";

beforeAll(loadShellParser); // the grammar loads on first need; these tests parse directly

describe("parseShell", () => {
  it("lists simple commands with lines, inside pipes, substitutions and functions", () => {
    const parsed = parseShell(
      'set -euo pipefail\npg_dump "$DATABASE_URL" | gzip > db.sql.gz\nrollback() {\n  helm rollback app\n}\n',
    );
    expect(parsed.error).toBeUndefined();
    expect(parsed.functions).toEqual(["rollback"]);
    expect(parsed.commands).toEqual([
      { line: 1, argv: ["set", "-euo", "pipefail"] },
      { line: 2, argv: ["pg_dump", '"$DATABASE_URL"'] },
      { line: 2, argv: ["gzip"] },
      { line: 4, argv: ["helm", "rollback", "app"], fn: "rollback" },
    ]);
  });

  it("reports a syntax error with its line instead of throwing", () => {
    const parsed = parseShell("echo ok\nif [ -f x ]; then\n  echo y\n");
    expect(parsed.commands).toEqual([]);
    expect(parsed.error?.line).toBe(2);
    expect(parsed.error?.message).toMatch(/fi/);
  });
});

describe("programOf", () => {
  it("skips sudo, env assignments and paths", () => {
    expect(programOf(["sudo", "env", "A=1", "/usr/bin/kubectl", "apply"])).toEqual({
      program: "kubectl",
      args: ["apply"],
    });
  });
});
