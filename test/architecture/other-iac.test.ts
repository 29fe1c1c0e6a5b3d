import { describe, expect, it } from "vitest";
import { analyze } from "../helpers.js";
import { fixture } from "./load.js";

describe("Helm and Kustomize analyzers", () => {
  it("reads a chart and its values (replicas, autoscaling switch, environment)", async () => {
    const { facts } = await analyze({
      ...fixture("k8s-traps"),
      "charts/web/values-production.yaml": "replicaCount: 4\nworker:\n  autoscaling:\n    enabled: true\n",
    });
    expect(facts.all("helm")).toEqual([
      { path: "charts/web/Chart.yaml", line: 2, dir: "charts/web", name: "web", type: "application", dependencies: [] },
    ]);
    const values = facts.all("helmValues");
    expect(values.find((v) => v.path === "charts/web/values.yaml")).toMatchObject({
      replicas: [{ value: 1, line: 1 }],
      autoscaling: [{ enabled: false, line: 4 }],
    });
    expect(values.find((v) => v.environment === "prod")).toMatchObject({
      replicas: [{ value: 4, line: 1 }],
      autoscaling: [{ enabled: true, line: 3 }],
    });
  });

  it("reads kustomizations: overlays, their environment, images and replicas", async () => {
    const { facts } = await analyze(fixture("k8s-app"));
    const byDir = Object.fromEntries(facts.all("kustomization").map((k) => [k.dir, k]));
    expect(byDir["k8s/base"]).toMatchObject({
      overlay: false,
      resources: ["deployment.yaml", "hpa.yaml", "backup-cronjob.yaml"],
    });
    expect(byDir["k8s/base"]!.environment).toBeUndefined();
    expect(byDir["k8s/overlays/prod"]).toMatchObject({
      overlay: true,
      environment: "prod",
      patches: ["k8s/overlays/prod/replicas-patch.yaml"],
      images: [{ name: "ghcr.io/acme/api", newTag: "1.4.2", line: 9 }],
      replicas: [{ name: "api", count: 5, line: 12 }],
    });
    expect(byDir["k8s/overlays/staging"]).toMatchObject({ overlay: true, environment: "staging" });
  });

  it("reports malformed kustomizations and charts as findings", async () => {
    const { findings } = await analyze({ "kustomization.yaml": "resources: [a\n", "Chart.yaml": "name: : x\n  bad" });
    expect(findings.map((f) => f.rule).sort()).toEqual(["helm/parse-error", "kustomize/parse-error"]);
  });
});

describe("other IaC analyzers", () => {
  it("recognises Pulumi projects and stacks, CloudFormation with short tags, Bicep, ARM, CDK and Nomad", async () => {
    const { facts, findings } = await analyze(fixture("other-iac"));
    const summary = facts
      .all("iac")
      .map((f) => [f.path, f.tool, f.resources.map((r) => `${r.type}:${r.name}@${r.line}`), f.environment]);
    expect(summary).toEqual([
      [
        "azure/azuredeploy.json",
        "arm",
        [
          "Microsoft.Web/serverfarms:[parameters('planName')]@6",
          "Microsoft.Compute/virtualMachineScaleSets:workers@12",
        ],
        undefined,
      ],
      [
        "azure/main.bicep",
        "bicep",
        [
          "Microsoft.Storage/storageAccounts:storage@13",
          "Microsoft.Insights/autoscalesettings:autoscale@24",
          "module:web@29",
        ],
        undefined,
      ],
      ["cdk/cdk.json", "cdk", [], undefined],
      [
        "cloudformation/template.yaml",
        "cloudformation",
        [
          "AWS::Serverless::Function:ApiFunction@8",
          "AWS::DynamoDB::Table:Table@18",
          "AWS::AutoScaling::AutoScalingGroup:Workers@22",
        ],
        undefined,
      ],
      ["nomad/web.nomad.hcl", "nomad", ["job:web@1", "group:frontend@5"], undefined],
      ["pulumi/Pulumi.prod.yaml", "pulumi", [], "prod"],
      ["pulumi/Pulumi.staging.yaml", "pulumi", [], "staging"],
      ["pulumi/Pulumi.yaml", "pulumi", [], undefined],
    ]);
    const cfn = facts.all("iac").find((f) => f.tool === "cloudformation")!;
    expect(cfn.resources[0]!.attrs).toMatchObject({ Role: "ApiRole.Arn" });
    expect(findings).toEqual([]);
  });

  it("leaves look-alikes alone: Haskell stack.yaml, tsconfig in infra/, a JSON file that is not a template", async () => {
    const { facts, findings } = await analyze({
      "stack.yaml": "resolver: lts-22.0\n",
      "infra/tsconfig.json": "{ // comments are fine in tsconfig\n}\n",
      "cfn/params.json": '{ "Env": "prod" }',
      "infra/notes.yaml": "Resources:\n  Thing:\n    Type: Custom\n",
    });
    expect(facts.all("iac")).toEqual([]);
    expect(findings).toEqual([]);
  });

  it("reports broken templates, stacks and Nomad jobs with lines", async () => {
    const { findings } = await analyze({
      "cloudformation/stack.json": '{\n  "Resources": {\n    "A": \n  }\n}\n',
      "Pulumi.yaml": "name: [x\n",
      "jobs/web.nomad": 'job "web" {\n  group "g" {\n',
      "cdk.json": "{ app: }",
    });
    expect(findings.map((f) => `${f.path}:${f.rule}`).sort()).toEqual([
      "Pulumi.yaml:iac/parse-error",
      "cdk.json:iac/parse-error",
      "cloudformation/stack.json:iac/parse-error",
      "jobs/web.nomad:iac/parse-error",
    ]);
    expect(findings.find((f) => f.path === "cloudformation/stack.json")!.line).toBe(4);
  });
});

describe("files that only look like cloud templates by name", () => {
  it("reads no .env.template or nginx.conf.template as YAML, and reports no error in a name-only guess", async () => {
    const { facts, findings } = await analyze({
      ".env.template": "DATABASE_URL=postgres://db/app\nSECRET=abc: def\n",
      "deploy/nginx.conf.template": "server { listen ${PORT}; }\n",
      "release/stack-notes.yaml": "title: a: b\n",
    });
    expect(facts.all("iac")).toEqual([]);
    expect(findings).toEqual([]);
  });

  it("still reads and reports a real template picked by its name", async () => {
    const { facts, findings } = await analyze({
      "app.template": "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Bucket:\n    Type: AWS::S3::Bucket\n",
      "release/app-stack.yaml": "AWSTemplateFormatVersion: '2010-09-09'\nResources: [\n",
    });
    expect(facts.all("iac").map((f) => f.path)).toEqual(["app.template"]);
    expect(findings.map((f) => `${f.path}:${f.rule}`)).toEqual(["release/app-stack.yaml:iac/parse-error"]);
  });
});

describe("JSON error lines", () => {
  it("finds the line of the first syntax error where V8 gives no position", async () => {
    const { jsonErrorOffset, parseJson } = await import("../../src/analyzers/infra/common.js");
    const text = '{\n  "a": [1, 2,\n  ]\n}';
    const result = parseJson(text);
    expect("error" in result && result.error.line).toBe(3);
    expect("error" in result && result.error.message).toMatch(/^Unexpected token/);
    expect(jsonErrorOffset('{"a": "b"} x')).toBe(11);
    expect(jsonErrorOffset("[".repeat(100_000))).toBeGreaterThanOrEqual(0);
    expect(parseJson('{"ok": [1, {"b": null}]}')).toEqual({ value: { ok: [1, { b: null }] } });
  });
});
