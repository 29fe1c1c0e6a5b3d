import { describe, expect, it } from "vitest";
import { analyze, scanFiles, signalOf } from "../helpers.js";

const commands = async (text: string) => {
  const { facts, findings } = await analyze({ "compose.yaml": text });
  return { commands: facts.all("command").filter((c) => c.origin === "compose"), findings };
};

describe("compose command and entrypoint", () => {
  it("a command list is the argv, at the list's first line", async () => {
    const { commands: found } = await commands(
      [
        "services:",
        "  worker:",
        "    image: acme/worker:1.2",
        "    command:",
        "      - celery",
        "      - -A",
        "      - app",
        "      - worker",
        "",
      ].join("\n"),
    );
    expect(found).toEqual([
      { path: "compose.yaml", line: 5, argv: ["celery", "-A", "app", "worker"], origin: "compose", unit: "worker" },
    ]);
  });

  it("a string command is split into words as compose splits it (quotes removed, no shell)", async () => {
    const { commands: found } = await commands(
      "services:\n  web:\n    image: acme/web:1\n    command: bundle exec puma -C 'config/puma.rb'\n",
    );
    expect(found).toEqual([
      {
        path: "compose.yaml",
        line: 4,
        argv: ["bundle", "exec", "puma", "-C", "config/puma.rb"],
        origin: "compose",
        unit: "web",
      },
    ]);
  });

  it("a sh -c string: each command of the script, with its file line; $$ is a literal $", async () => {
    const { commands: found } = await commands(
      [
        "services:", // 1
        "  backup:", // 2
        "    image: postgres:16", // 3
        "    command: >", // 4
        '      sh -c "while true; do', // 5
        '      pg_dump -Fc -f /backups/db-$$(date +%F).dump \\"$$DATABASE_URL\\";',
        '      sleep 86400; done"',
        "",
      ].join("\n"),
    );
    expect(found.map((c) => [c.line, c.argv])).toEqual([
      [5, ["true"]],
      [5, ["pg_dump", "-Fc", "-f", "/backups/db-$(date +%F).dump", '"$DATABASE_URL"']],
      [5, ["date", "+%F"]],
      [5, ["sleep", "86400"]],
    ]);
    expect(found.every((c) => c.unit === "backup" && c.schedule === undefined)).toBe(true);
  });

  it("a literal block in a list form keeps each script line's own file line", async () => {
    const { commands: found } = await commands(
      [
        "services:", // 1
        "  backup:", // 2
        "    image: postgres:16", // 3
        '    entrypoint: ["/bin/sh", "-c"]',
        "    command:", // 5
        "      - |", // 6
        "        set -e", // 7
        "        pg_dumpall -f /backups/all.sql",
        "        sleep 3600", // 9
        "",
      ].join("\n"),
    );
    expect(found.map((c) => [c.line, c.argv])).toEqual([
      [7, ["set", "-e"]],
      [8, ["pg_dumpall", "-f", "/backups/all.sql"]],
      [9, ["sleep", "3600"]],
    ]);
  });

  it("entrypoint and command join into one argv; a command merged from an x- anchor points at the anchor", async () => {
    const { commands: found } = await commands(
      [
        "x-worker: &worker", // 1
        '  command: ["rq", "worker"]', // 2
        "services:", // 3
        "  jobs:", // 4
        "    <<: *worker", // 5
        "    image: acme/app:3", // 6
        '    entrypoint: ["tini", "--"]',
        "",
      ].join("\n"),
    );
    expect(found).toEqual([
      { path: "compose.yaml", line: 7, argv: ["tini", "--", "rq", "worker"], origin: "compose", unit: "jobs" },
    ]);
  });

  it("no command or an empty one gives no fact; a comment is not a command", async () => {
    const { commands: found } = await commands(
      "services:\n  a:\n    image: x:1\n    # command: pg_dump db\n  b:\n    image: x:1\n" +
        '    command: []\n  c:\n    image: x:1\n    command: ""\n',
    );
    expect(found).toEqual([]);
  });

  it("unbalanced quotes and a broken sh -c script become findings with lines, not crashes", async () => {
    const { commands: found, findings } = await commands(
      [
        "services:",
        "  a:",
        "    image: x:1",
        '    command: echo "unterminated',
        "  b:",
        "    image: x:1",
        '    command: ["sh", "-c", "if true; then pg_dump db"]',
        "  c:",
        "    image: x:1",
        "    command: {not: a command}",
        "",
      ].join("\n"),
    );
    const errors = findings.filter((f) => f.rule === "compose/shell-parse-error");
    expect(errors.map((f) => [f.line, f.severity])).toEqual([
      [4, "warning"],
      [7, "warning"],
    ]);
    // the broken script's words are still the argv of the sh command
    expect(found).toEqual([
      { path: "compose.yaml", line: 7, argv: ["sh", "-c", "if true; then pg_dump db"], origin: "compose", unit: "b" },
    ]);
  });

  describe("other detectors see what a container runs", () => {
    const sidecar = (script: string) =>
      `services:\n  db:\n    image: postgres:16\n  backup:\n    image: postgres:16\n` +
      `    entrypoint: ["sh", "-c"]\n    command: ["${script}"]\n`;

    it("a backup sidecar running pg_dump in a loop is a backup script, not a scheduled backup", async () => {
      const report = await scanFiles({
        "compose.yaml": sidecar("while true; do pg_dump -Fc -f /backups/db.dump app; sleep 86400; done"),
      });
      const script = signalOf(report, "backups/backup-script");
      expect(script.status).toBe("pass");
      expect(script.evidence).toContainEqual(expect.objectContaining({ path: "compose.yaml", line: 7 }));
      expect(signalOf(report, "backups/db-backups").status).not.toBe("pass");
    });

    it("echo pg_dump is not a backup", async () => {
      const report = await scanFiles({ "compose.yaml": sidecar("echo pg_dump -f /backups/db.dump app; sleep 86400") });
      expect(signalOf(report, "backups/backup-script").status).not.toBe("pass");
    });
  });
});
