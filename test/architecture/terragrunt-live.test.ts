// Terragrunt live layouts: root.hcl with the remote state, units (terragrunt.hcl calling a module) in one folder per
// environment, stacks (terragrunt.stack.hcl) of units; the layout is the deploy tool's config and its environments.
import { describe, expect, it } from "vitest";
import { detect } from "../helpers.js";

const lines = (...l: string[]) => `${l.join("\n")}\n`;
const notes = (r: { evidence?: { path: string; line?: number; note?: string }[] }) =>
  (r.evidence ?? []).map((e) => `${e.path}:${e.line} ${e.note}`);

const root = lines(
  "locals {",
  '  account_vars = read_terragrunt_config(find_in_parent_folders("account.hcl"))',
  "}",
  "",
  "remote_state {",
  '  backend = "s3"',
  "  config = {",
  '    bucket = "acme-terraform-state"',
  '    key    = "${path_relative_to_include()}/terraform.tfstate"',
  "  }",
  "}",
);
const unit = (module: string) =>
  lines(
    'include "root" {',
    '  path = find_in_parent_folders("root.hcl")',
    "}",
    "",
    "terraform {",
    `  source = "git::https://github.com/acme/infra-modules.git//${module}?ref=v0.8.1"`,
    "}",
    "",
    "inputs = {",
    '  instance_class = "db.t3.micro"',
    "}",
  );

describe("Terragrunt live layout", () => {
  const live = {
    "root.hcl": root,
    "prod/us-east-1/prod/mysql/terragrunt.hcl": unit("mysql"),
    "prod/us-east-1/prod/webserver/terragrunt.hcl": unit("webserver"),
    "non-prod/us-east-1/qa/mysql/terragrunt.hcl": unit("mysql"),
  };

  it("is a deploy tool's config: the root config first, then a unit per environment", async () => {
    expect(notes(await detect("deploy/platform-config", live))).toEqual([
      "root.hcl:5 terragrunt: 3 units (prod, qa)",
      "prod/us-east-1/prod/mysql/terragrunt.hcl:5 prod: Terragrunt unit prod/us-east-1/prod/mysql",
      "non-prod/us-east-1/qa/mysql/terragrunt.hcl:5 qa: Terragrunt unit non-prod/us-east-1/qa/mysql",
    ]);
  });

  it("one folder of units per environment is per-environment", async () => {
    expect(notes(await detect("deploy/per-environment", live))).toEqual([
      "prod/us-east-1/prod/mysql/terragrunt.hcl:5 prod: Terragrunt unit prod/us-east-1/prod/mysql",
      "non-prod/us-east-1/qa/mysql/terragrunt.hcl:5 qa: Terragrunt unit non-prod/us-east-1/qa/mysql",
    ]);
    const one = { "root.hcl": root, "prod/mysql/terragrunt.hcl": unit("mysql") };
    expect(await detect("deploy/per-environment", one)).toMatchObject({
      status: "fail",
      reasonId: "no-environment-input",
    });
  });

  it("a root config alone, units in examples/, a unit that calls no module: no deploy config", async () => {
    const r = await detect("deploy/platform-config", {
      "root.hcl": root,
      "examples/basic/terragrunt.hcl": unit("vpc"),
      "live/dev/terragrunt.hcl": lines('include "root" {', '  path = find_in_parent_folders("root.hcl")', "}"),
    });
    expect(r).toMatchObject({ status: "fail", reasonId: "no-platform-config" });
  });

  it("a root config under another name (main.hcl), units that keep their Terraform code beside them", async () => {
    const include = lines('include "root" {', '  path = find_in_parent_folders("main.hcl")', "}", "", "inputs = {}");
    const code = lines('module "trail" {', '  source = "git::https://github.com/acme/modules//trail?ref=v1"', "}");
    const layout = {
      "main.hcl": root,
      "acct-dev/.settings/trail/terragrunt.hcl": include,
      "acct-dev/.settings/trail/main.tf": code,
      "acct-prod/.settings/trail/terragrunt.hcl": include,
      "acct-prod/.settings/trail/main.tf": code,
    };
    expect(notes(await detect("deploy/platform-config", layout))).toEqual([
      "main.hcl:1 terragrunt: 2 units (dev, prod)",
      "acct-dev/.settings/trail/terragrunt.hcl:1 dev: Terragrunt unit acct-dev/.settings/trail",
      "acct-prod/.settings/trail/terragrunt.hcl:1 prod: Terragrunt unit acct-prod/.settings/trail",
    ]);
    // an unlabelled include of the default name, no root file found: the shallowest unit is cited
    const plain = {
      "live/prod/app/terragrunt.hcl": lines("include {", "  path = find_in_parent_folders()", "}"),
      "live/prod/app/main.tf": code,
    };
    expect(notes(await detect("deploy/platform-config", plain))).toEqual([
      "live/prod/app/terragrunt.hcl:1 terragrunt: 1 unit (prod)",
    ]);
  });

  it("an include with no Terraform code beside it (only variables) is no unit", async () => {
    const r = await detect("deploy/platform-config", {
      "main.hcl": root,
      "live/dev/app/terragrunt.hcl": lines('include "root" {', '  path = find_in_parent_folders("main.hcl")', "}"),
      "live/dev/app/variables.tf": lines('variable "name" {', "  type = string", "}"),
    });
    expect(r.status).toBe("fail");
  });

  it("stacks: terragrunt.stack.hcl units over a versioned catalog are infrastructure as code", async () => {
    const r = await detect("architecture/iac", {
      "live/root.hcl": root,
      "live/prod/eks/stack/terragrunt.stack.hcl": lines(
        'unit "vpc" {',
        '  source = "git::git@github.com:acme/catalog.git//units/vpc?ref=v1.2.0"',
        '  path   = "vpc"',
        "}",
        "",
        'unit "eks" {',
        '  source = "git::git@github.com:acme/catalog.git//units/eks?ref=v1.2.0"',
        '  path   = "eks"',
        "}",
      ),
    });
    expect(notes(r)).toEqual(["live/prod/eks/stack/terragrunt.stack.hcl:1 0 resources, 2 modules"]);
  });

  it("`terragrunt run --all apply` in a CD job deploys; `run --all plan` does not", async () => {
    const wf = (command: string) => ({
      ".github/workflows/cd.yaml": lines(
        "on:",
        "  push:",
        "    branches: [main]",
        "jobs:",
        "  apply:",
        "    runs-on: ubuntu-latest",
        "    steps:",
        `      - run: ${command}`,
        "        working-directory: live/prod",
      ),
    });
    expect((await detect("cicd/cd-deploy", wf("terragrunt run --all apply --non-interactive"))).status).toBe("pass");
    expect(await detect("cicd/cd-deploy", wf("terragrunt run --all plan --non-interactive"))).toMatchObject({
      status: "fail",
      reasonId: "no-delivery-job",
    });
  });
});
