// Terraform local-exec provisioners: the commands `terraform apply` runs on the applying machine.
import { describe, expect, it } from "vitest";
import { contextOf, detect } from "../helpers.js";

const lines = (...l: string[]) => `${l.join("\n")}\n`;
const notes = (r: { evidence?: { path: string; line?: number; note?: string }[] }) =>
  (r.evidence ?? []).map((e) => `${e.path}:${e.line} ${e.note}`);

const main = lines(
  'resource "null_resource" "app" {',
  "  triggers = {",
  "    image = var.image",
  "  }",
  "",
  '  provisioner "local-exec" {',
  '    command = "kubectl apply -f ${path.module}/k8s/ && kubectl rollout status deploy/app"',
  "  }",
  "",
  '  provisioner "local-exec" {',
  "    when    = destroy",
  '    command = "kubectl delete -f k8s/"',
  "  }",
  "}",
  "",
  'resource "null_resource" "notify" {',
  '  provisioner "local-exec" {',
  '    interpreter = ["pwsh", "-Command"]',
  '    command     = "kubectl apply -f k8s/"',
  "  }",
  '  provisioner "local-exec" {',
  "    command = <<-EOT",
  '      echo "kubectl apply -f k8s/"',
  '      curl -fsS "$${SLACK_WEBHOOK}" -d "applied"',
  "    EOT",
  "  }",
  "}",
);

describe("Terraform local-exec", () => {
  it("commands at their lines, interpolations as a placeholder; destroy-time and PowerShell ones left out", async () => {
    const ctx = await contextOf({ "infra/main.tf": main });
    expect(
      ctx.facts
        .all("command")
        .filter((c) => c.origin === "terraform")
        .map((c) => `${c.line} ${c.unit}: ${c.argv.join(" ")}`),
    ).toEqual([
      "7 null_resource.app: kubectl apply -f TFVAR/k8s/",
      "7 null_resource.app: kubectl rollout status deploy/app",
      '23 null_resource.notify: echo "kubectl apply -f k8s/"',
      '24 null_resource.notify: curl -fsS "${SLACK_WEBHOOK}" -d "applied"',
    ]);
  });

  it("a local-exec that applies manifests is an automated deploy; one that only echoes is not", async () => {
    expect(notes(await detect("deploy/deploy-script", { "infra/main.tf": main }))).toEqual([
      "infra/main.tf:7 kubectl apply (local-exec of null_resource.app)",
    ]);
    const echo = lines(
      'resource "null_resource" "hint" {',
      '  provisioner "local-exec" {',
      '    command = "echo Run: kubectl apply -f k8s/"',
      "  }",
      "}",
    );
    expect(await detect("deploy/deploy-script", { "infra/main.tf": echo })).toMatchObject({
      status: "fail",
      reasonId: "no-deploy-command",
    });
  });
});
