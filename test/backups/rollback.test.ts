// auto-rollback (detector rollback-automatic) and rollback-procedure.
import { describe, expect, it } from "vitest";
import { detect, scanFiles, signalOf } from "../helpers.js";
import { fixture } from "./load.js";

const notes = (r: { evidence?: { path: string; line?: number; note?: string }[] }) =>
  r.evidence!.map((e) => `${e.path}:${e.line} ${e.note}`);

describe("rollback-automatic: passes", () => {
  it("a deploy script that rolls back in a function called when the rollout fails", async () => {
    const r = await detect("backups/auto-rollback", {
      "scripts/deploy.sh": [
        "#!/usr/bin/env bash",
        "set -euo pipefail",
        "rollback() {",
        "  kubectl rollout undo deployment/api",
        "  exit 1",
        "}",
        'kubectl set image deployment/api api="$IMAGE"',
        "if ! kubectl rollout status deployment/api --timeout=5m; then",
        "  rollback",
        "fi",
      ].join("\n"),
    });
    expect(r.status).toBe("pass");
    expect(notes(r)).toEqual(["scripts/deploy.sh:9 on failure: rollback() runs kubectl rollout undo (line 4)"]);
  });

  it("`|| helm rollback`, `trap rollback ERR`, and a rollback script called on failure", async () => {
    const r = await detect("backups/auto-rollback", {
      "deploy.sh": "#!/bin/bash\nset -e\nhelm upgrade --install api ./chart --wait || helm rollback api\n",
      "bin/release": "#!/bin/bash\nset -e\ntrap 'scripts/undo.sh' ERR\nkubectl apply -f k8s/\n",
      "scripts/undo.sh": "#!/bin/bash\nset -e\nhelm rollback api 0 --wait\n",
    });
    expect(notes(r).sort()).toEqual([
      "bin/release:3 on failure: scripts/undo.sh runs helm rollback (scripts/undo.sh:3)",
      "deploy.sh:3 on failure: helm rollback",
    ]);
  });

  it("helm --atomic (and Helm 4's --rollback-on-failure) in a pipeline", async () => {
    const r = await detect("backups/auto-rollback", {
      ".github/workflows/deploy.yml": [
        "on: {push: {branches: [main]}}",
        "jobs:",
        "  deploy:",
        "    runs-on: ubuntu-latest",
        "    steps:",
        "      - run: helm upgrade --install api ./chart --atomic --timeout 5m --set image.tag=${{ github.sha }}",
        "      - run: helm upgrade --install worker ./worker --rollback-on-failure",
      ].join("\n"),
    });
    expect(notes(r)).toEqual([
      ".github/workflows/deploy.yml:6 helm upgrade --atomic: a failed release rolls back",
      ".github/workflows/deploy.yml:7 helm upgrade --rollback-on-failure: a failed release rolls back",
    ]);
  });

  it("an `if: failure()` step that rolls back", async () => {
    const r = await detect("backups/auto-rollback", {
      ".github/workflows/deploy.yml": [
        "on: push",
        "jobs:",
        "  deploy:",
        "    runs-on: ubuntu-latest",
        "    steps:",
        "      - run: kubectl apply -k deploy/prod && kubectl rollout status deploy/api",
        "      - name: Roll back",
        "        if: failure()",
        "        run: kubectl rollout undo deploy/api",
      ].join("\n"),
    });
    expect(notes(r)).toEqual([
      ".github/workflows/deploy.yml:7 job deploy runs kubectl rollout undo if the deploy failed",
    ]);
  });

  it("Argo Rollouts analysis, Flagger, ECS circuit breaker, CodeDeploy auto rollback", async () => {
    const r = await detect("backups/auto-rollback", {
      "k8s/rollout.yaml":
        "apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: api}\nspec:\n" +
        "  strategy:\n    canary:\n      analysis:\n" +
        "        templates: [{templateName: success-rate}]\n" +
        "      steps: [{setWeight: 20}, {pause: {duration: 5m}}]\n",
      "k8s/canary.yaml":
        "apiVersion: flagger.app/v1beta1\nkind: Canary\nmetadata: {name: web}\nspec:\n" +
        "  targetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n" +
        "  analysis: {interval: 1m, threshold: 5}\n",
      "infra/ecs.tf":
        'resource "aws_ecs_service" "api" {\n  name = "api"\n  deployment_circuit_breaker {\n' +
        "    enable   = true\n    rollback = true\n  }\n}\n" +
        'resource "aws_codedeploy_deployment_group" "web" {\n  app_name = "web"\n' +
        "  auto_rollback_configuration {\n    enabled = true\n" +
        '    events  = ["DEPLOYMENT_FAILURE"]\n  }\n}\n',
    });
    expect(notes(r).sort()).toEqual([
      "infra/ecs.tf:1 aws_ecs_service.api: deployment circuit breaker with rollback",
      "infra/ecs.tf:8 aws_codedeploy_deployment_group.web: auto_rollback_configuration (DEPLOYMENT_FAILURE)",
      "k8s/canary.yaml:1 Flagger Canary web: failed checks roll back",
      "k8s/rollout.yaml:1 Argo Rollout api: a failed analysis aborts and returns to the stable version",
    ]);
  });
});

describe("rollback-automatic: fails", () => {
  it(
    "on a manual rollback branch, --atomic=false, an echoed rollback, a comment, " +
      "progressDeadlineSeconds, a Rollout without analysis, a breaker without rollback",
    async () => {
      const r = await detect("backups/auto-rollback", fixture("rollback-decoys"));
      expect(r).toMatchObject({ status: "fail", reasonId: "no-auto-rollback" });
      expect(notes(r)).toEqual([
        "scripts/deploy.sh:12 --atomic=false switches the rollback off",
        "k8s/deployment.yaml:18 Argo Rollout api-canary has no analysis: someone must abort a bad rollout by hand",
        "infra/ecs.tf:1 aws_ecs_service.api: the circuit breaker does not roll back (enable and rollback must both be true)",
        "scripts/deploy.sh:6 helm rollback runs only when someone runs it",
      ]);
    },
  );

  it("a rollback script that only a person runs is not automatic, but is a rollback procedure", async () => {
    const files = {
      "scripts/rollback.sh":
        "#!/usr/bin/env bash\nset -euo pipefail\nhelm rollback api --namespace production --wait\n",
    };
    expect(await detect("backups/auto-rollback", files)).toMatchObject({
      status: "fail",
      reasonId: "no-auto-rollback",
    });
    expect(await detect("backups/rollback-procedure", files)).toMatchObject({
      status: "pass",
      evidence: [{ path: "scripts/rollback.sh", line: 3, note: "helm rollback" }],
    });
  });

  it("installing what a lookup did not find is not a rollback (an upstream `stable` channel is not an earlier version)", async () => {
    const r = await detect("backups/auto-rollback", {
      "scripts/bootstrap.sh": [
        "#!/usr/bin/env bash",
        "set -euo pipefail",
        "if kubectl get deployment argocd-server -n argocd &> /dev/null; then",
        '  echo "Argo CD is installed"',
        "else",
        "  kubectl apply -n argocd -f https://raw.githubusercontent.com/argoproj/argo-cd/stable/manifests/install.yaml",
        "fi",
        "helm status previous-release || helm upgrade --install api ./chart --set image.tag=$PREVIOUS_TAG",
      ].join("\n"),
    });
    expect(r).toMatchObject({ status: "fail", reasonId: "no-auto-rollback" });
  });

  it("a redeploy of the previous version when the deploy itself failed still counts", async () => {
    const r = await detect("backups/auto-rollback", {
      "scripts/deploy.sh": [
        "#!/usr/bin/env bash",
        "set -euo pipefail",
        'if ! helm upgrade --install api ./chart --wait --set image.tag="$TAG"; then',
        '  helm upgrade --install api ./chart --wait --set image.tag="$PREVIOUS_TAG"',
        "fi",
      ].join("\n"),
    });
    expect(notes(r)).toEqual(["scripts/deploy.sh:4 on failure: helm upgrade of the previous version"]);
  });

  it("a dry run of an atomic upgrade rolls nothing back", async () => {
    const r = await detect("backups/auto-rollback", {
      "deploy.sh": "#!/bin/sh\nset -eu\nhelm upgrade --install api ./chart --atomic --dry-run\n",
    });
    expect(r).toMatchObject({ status: "fail", reasonId: "no-auto-rollback" });
  });
});

describe("backups/rollback-procedure", () => {
  it("passes on written rollback steps and a Makefile target", async () => {
    const r = await detect("backups/rollback-procedure", {
      "docs/runbook.md": "# Runbook\n\n## Rollback\n\n```sh\nhelm rollback api --namespace production\n```\n",
      Makefile: "rollback:\n\tfly releases rollback --app api\n",
    });
    expect(notes(r)).toEqual(["Makefile:2 fly releases rollback (rollback)", "docs/runbook.md:3 Rollback"]);
  });

  it("fails when rollback is only mentioned in passing", async () => {
    const r = await detect("backups/rollback-procedure", {
      "README.md": "# API\n\nWe can roll back if needed, ask ops.\n",
    });
    expect(r).toMatchObject({ status: "fail", reasonId: "no-rollback-procedure" });
  });
});

describe("auto-rollback end to end", () => {
  it("meets the auto_rollback milestone with the deploy script's line", async () => {
    const report = await scanFiles({
      "scripts/deploy.sh":
        "#!/usr/bin/env bash\nset -euo pipefail\n" +
        "helm upgrade --install api ./chart --wait --timeout 5m || { helm rollback api; exit 1; }\n",
    });
    expect(signalOf(report, "backups/auto-rollback").status).toBe("pass");
    expect(report.milestones.find((m) => m.id === "auto_rollback")).toMatchObject({
      status: "pass",
      evidence: [expect.objectContaining({ path: "scripts/deploy.sh", line: 3 })],
    });
  });
});
