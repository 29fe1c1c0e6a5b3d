// The shell structure the detectors rely on: what runs only after a failure, what output is thrown away.
import { beforeAll, describe, expect, it } from "vitest";
import { shellFlow } from "../../src/analyzers/shell-flow.js";
import { loadShellParser } from "../../src/analyzers/shell-parse.js";

beforeAll(loadShellParser); // the grammar loads on first need; these tests parse directly

const flags = (text: string) =>
  shellFlow(text).commands.map(
    (c) =>
      `${c.line} ${c.argv.join(" ")}${c.onFailure ? " [failure]" : ""}${c.discarded ? " [discarded]" : ""}${c.fed ? " [fed]" : ""}`,
  );

describe("shellFlow: commands that run only after a failure", () => {
  it("the then-branch of `if ! cmd`, the right of `||`, the else of `if cmd`, `$? -ne 0`, an ERR trap", () => {
    expect(
      flags(
        [
          "if ! kubectl rollout status deploy/api; then rollback; fi",
          "helm upgrade api ./chart || { echo failed; helm rollback api; }",
          "if curl -f https://x/healthz; then echo ok; else undo; fi",
          "deploy",
          "if [ $? -ne 0 ]; then revert; fi",
          "trap 'rollback' ERR",
        ].join("\n"),
      ),
    ).toEqual([
      "1 kubectl rollout status deploy/api",
      "1 rollback [failure]",
      "2 helm upgrade api ./chart",
      "2 echo failed [failure]",
      "2 helm rollback api [failure]",
      "3 curl -f https://x/healthz",
      "3 echo ok",
      "3 undo [failure]",
      "4 deploy",
      "5 revert [failure]",
      "6 trap 'rollback' ERR",
      "6 rollback [failure]",
    ]);
  });

  it("tests are not failures: `[ -z x ] || …`, the else of `if [ -f … ]`, `if ! [ … ]`, an EXIT trap", () => {
    const out = flags(
      [
        '[ -z "$TAG" ] || echo tagged',
        "if [ -f .env ]; then source .env; else cp env.example .env; fi",
        'if ! [ "$1" = prod ]; then helm rollback api; fi',
        "trap cleanup EXIT",
        'case "$1" in rollback) helm rollback api ;; esac',
      ].join("\n"),
    );
    expect(out.filter((l) => l.includes("[failure]"))).toEqual([]);
  });

  it("lookups are not failures: the else of `if kubectl get …`, `command -v x || install`, `aws … describe-* || create`", () => {
    const out = flags(
      [
        "if kubectl get deployment argocd-server -n argocd &> /dev/null; then echo ok; else kubectl apply -f install.yaml; fi",
        "command -v flux || curl -s https://fluxcd.io/install.sh | bash",
        "aws dynamodb describe-table --table-name locks || aws dynamodb create-table --table-name locks",
        "helm status api >/dev/null 2>&1 || helm install api ./chart",
      ].join("\n"),
    );
    expect(out.filter((l) => l.includes("[failure]"))).toEqual([]);
  });

  it("keeps the enclosing function of a command", () => {
    const [undo] = shellFlow("rollback() {\n  kubectl rollout undo deploy/api\n}\n").commands;
    expect(undo).toMatchObject({ line: 2, fn: "rollback", onFailure: false });
  });
});

describe("shellFlow: where output goes", () => {
  it("a dump to /dev/null, directly or through a filter, is thrown away", () => {
    expect(flags("pg_dump db > /dev/null 2>&1\npg_dump db | gzip > /dev/null\nmysqldump db &>/dev/null")).toEqual([
      "1 pg_dump db [discarded]",
      "2 pg_dump db [discarded]",
      "2 gzip [discarded] [fed]",
      "3 mysqldump db [discarded]",
    ]);
  });

  it("a dump uploaded (whose uploader is silenced) or written to a file is kept", () => {
    expect(
      flags(
        "pg_dump db | aws s3 cp - s3://b/x >/dev/null\npg_dump db > /backups/db.sql\npg_dump db | tee db.sql > /dev/null",
      ),
    ).toEqual([
      "1 pg_dump db",
      "1 aws s3 cp - s3://b/x [discarded] [fed]",
      "2 pg_dump db",
      "3 pg_dump db",
      "3 tee db.sql [discarded] [fed]",
    ]);
  });

  it("marks commands fed by a pipe or a file", () => {
    expect(flags("gunzip -c db.sql.gz | psql\nmysql app < dump.sql\npsql -c 'select 1'")).toEqual([
      "1 gunzip -c db.sql.gz",
      "1 psql [fed]",
      "2 mysql app [fed]",
      "3 psql -c 'select 1'",
    ]);
  });

  it("says nothing about text that does not parse", () => {
    expect(shellFlow("if then fi (")).toEqual({ commands: [], error: true });
    expect(shellFlow("")).toEqual({ commands: [] });
  });
});
