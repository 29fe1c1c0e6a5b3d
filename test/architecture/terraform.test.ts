import { describe, expect, it } from "vitest";
import { hclError, parseHcl } from "../../src/analyzers/infra/hcl.js";
import { analyze } from "../helpers.js";
import { fixture } from "./load.js";

describe("terraform analyzer", () => {
  it("lifts resources, modules, backend and providers with the lines of their headers", async () => {
    const { facts } = await analyze(fixture("terraform"));
    const prod = facts.all("terraform").find((f) => f.path === "infra/live/prod/main.tf")!;
    expect(prod.backend).toEqual({ type: "s3", line: 4 });
    expect(prod.requiredProviders).toEqual([{ name: "aws", source: "hashicorp/aws", version: "~> 5.60", line: 12 }]);
    expect(prod.providers).toEqual([{ name: "aws", line: 19 }]);
    expect(prod.modules.map((m) => [m.name, m.line, m.origin, m.pinned])).toEqual([
      ["network", 23, "local", true],
      ["eks", 28, "registry", true],
    ]);
    expect(prod.resources.map((r) => [r.type, r.name, r.line])).toEqual([
      ["aws_autoscaling_group", "workers", 33],
      ["aws_db_instance", "main", 39],
    ]);
    expect(prod.resources[1]!.attrs.backup_retention_period).toBe(7);
    expect(prod.environment).toBe("prod");
  });

  it("reads tfvars as parameters of an environment, not as infrastructure", async () => {
    const { facts } = await analyze(fixture("terraform"));
    const vars = facts.all("terraform").find((f) => f.path.endsWith(".tfvars"))!;
    expect(vars).toMatchObject({ tfvars: true, environment: "prod", resources: [], modules: [] });
  });

  it("reads the JSON syntax too", async () => {
    const { facts } = await analyze({
      "infra/main.tf.json":
        '{\n  "resource": {\n    "aws_s3_bucket": {\n      "logs": { "bucket": "acme-logs" }\n' +
        '    }\n  },\n  "terraform": { "backend": { "s3": { "bucket": "x" } } }\n}\n',
    });
    const tf = facts.all("terraform")[0]!;
    expect(tf.resources).toEqual([{ type: "aws_s3_bucket", name: "logs", line: 4, attrs: { bucket: "acme-logs" } }]);
    expect(tf.backend?.type).toBe("s3");
  });

  it("turns malformed HCL into a finding with the line hcl2json names", async () => {
    const { facts, findings } = await analyze(fixture("terraform-traps"));
    const error = findings.find((f) => f.rule === "terraform/parse-error")!;
    expect(error).toMatchObject({ path: "broken/main.tf", severity: "error" });
    expect(error.line).toBeGreaterThan(1);
    expect(facts.all("terraform").find((f) => f.path === "broken/main.tf")).toMatchObject({
      parseError: true,
      resources: [],
    });
  });

  it("flags providers and modules without versions, and an explicit local backend", async () => {
    const { findings } = await analyze({
      ...fixture("terraform-traps"),
      "local2/main.tf": 'terraform {\n  backend "local" {\n    path = "state.tfstate"\n  }\n}\n',
    });
    const own = findings.filter((f) => f.rule !== "terraform/parse-error").map((f) => `${f.path}:${f.line}:${f.rule}`);
    expect(own).toEqual([
      "local/main.tf:3:terraform/unpinned-provider",
      "local/main.tf:9:terraform/unpinned-module",
      "local/main.tf:13:terraform/unpinned-module",
      "local2/main.tf:2:terraform/local-state",
    ]);
  });

  it("finds nothing but variables in a variables-only file (a commented resource is not one)", async () => {
    const { facts } = await analyze(fixture("terraform-traps"));
    const vars = facts.all("terraform").find((f) => f.path === "vars/variables.tf")!;
    expect(vars.variables).toEqual(["region"]);
    expect(vars.resources).toEqual([]);
  });

  it("handles an empty file and a file of junk without crashing", async () => {
    const { facts, findings } = await analyze({ "empty.tf": "", "junk.tf": "\u0000\u0001 }}}{{{", "x.tfvars": "a = " });
    expect(facts.all("terraform")).toHaveLength(3);
    expect(
      findings
        .filter((f) => f.rule === "terraform/parse-error")
        .map((f) => f.path)
        .sort(),
    ).toEqual(["junk.tf", "x.tfvars"]);
    expect(findings.filter((f) => f.rule === "scan/analyzer-error")).toEqual([]);
  });

  it("takes the first error's line out of hcl2json's message", () => {
    expect(
      hclError(
        "main.tf",
        "Error: parse config: [main.tf:12,3-9: Invalid expression; Expected the start of an expression.]",
      ),
    ).toEqual({ line: 12, message: "Invalid expression; Expected the start of an expression." });
    expect(hclError("main.tf", "something else")).toEqual({ line: 1, message: "something else" });
  });

  it("loads the parser once: a second parse reuses it", async () => {
    const first = await parseHcl("a.tf", 'resource "x" "y" {}');
    const second = await parseHcl("b.tf", 'variable "v" {}');
    expect("value" in first && first.value.resource).toEqual({ x: { y: [{}] } });
    expect("value" in second && second.value.variable).toEqual({ v: [{}] });
  });
});
