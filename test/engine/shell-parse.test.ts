import { beforeAll, describe, expect, it } from "vitest";
import { loadShellParser, neutralised, parseShell } from "../../src/analyzers/shell-parse.js";
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

describe("constructs bash accepts and the grammar rejects", () => {
  it("arithmetic with a base prefix on an expansion, and quoted < > in [ ]: the rest of the script reads", () => {
    const text = [
      "check() {",
      "  value=$(((0x${first}) / 256))",
      "  if ((10#$a < 10#$b)); then return 1; fi",
      '  if [ "$x" \'<\' "$y" ]; then return 1; fi',
      "}",
      'for ((i=0; i<3; i++)); do echo "$i"; done',
      "docker run -d --name web acme/web",
    ].join("\n");
    const parsed = parseShell(text);
    expect(parsed.error).toBeUndefined();
    expect(parsed.functions).toEqual(["check"]);
    expect(parsed.commands.map((c) => [c.line, c.argv[0]])).toContainEqual([7, "docker"]);
    expect(neutralised(text).split("\n")).toHaveLength(7);
    expect(neutralised("x=$((1 + (2 * 3)))")).toBe("x=$((0          ))");
  });
  it("a real syntax error still is one", () => {
    expect(parseShell("if [ -f x ]; then\n  echo $((1 +\nfi\n").error).toBeDefined();
    expect(parseShell('echo "unclosed\n').error).toBeDefined();
  });
});
