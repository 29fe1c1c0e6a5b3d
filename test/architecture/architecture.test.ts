import { describe, expect, it } from "vitest";
import { detectors } from "../../src/detectors/index.js";
import type { DetectContext } from "../../src/engine/detector.js";
import { FactStore } from "../../src/engine/facts.js";
import { detectContext } from "../../src/engine/scan.js";
import type { DocFact } from "../../src/facts/index.js";
import { detect, type Files, scanFiles, signalOf } from "../helpers.js";
import { fixture } from "./load.js";

const DEPLOYMENT = (replicas: number) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n` +
  `  replicas: ${replicas}\n  template:\n    spec:\n      containers:\n        - name: web\n` +
  `          image: nginx:1.27\n`;

/** the Terraform traps without the one module that does declare a resource */
const notInfrastructure = (): Files =>
  Object.fromEntries(Object.entries(fixture("terraform-traps")).filter(([path]) => !path.startsWith("local/")));

describe("architecture/iac", () => {
  it("passes on Kubernetes manifests, Kustomize and Terraform resources, with path and line", async () => {
    const k8s = await detect("architecture/iac", fixture("k8s-app"));
    expect(k8s.status).toBe("pass");
    expect(k8s.evidence).toContainEqual({ path: "k8s/base/deployment.yaml", line: 2, note: "Deployment api" });
    const tf = await detect("architecture/iac", fixture("terraform"));
    expect(tf.status).toBe("pass");
    expect(tf.evidence).toContainEqual({ path: "infra/live/prod/main.tf", line: 23, note: "2 resources, 2 modules" });
  });

  it("passes on each other IaC tool", async () => {
    const all = fixture("other-iac");
    for (const dir of ["pulumi", "cloudformation", "azure", "cdk", "nomad"]) {
      const files = Object.fromEntries(Object.entries(all).filter(([p]) => p.startsWith(`${dir}/`)));
      expect((await detect("architecture/iac", files)).status, dir).toBe("pass");
    }
    const helm = await detect("architecture/iac", {
      "charts/web/Chart.yaml": "apiVersion: v2\nname: web\nversion: 1.0.0\n",
    });
    expect(helm.evidence).toEqual([{ path: "charts/web/Chart.yaml", line: 2, note: "chart web" }]);
  });

  it("passes on Ansible plays that configure other machines, not on plays for localhost", async () => {
    const play = (hosts: string) =>
      `- name: Install k3s\n  hosts: ${hosts}\n  become: true\n  roles:\n    - k3s_server\n`;
    const hosts = await detect("architecture/iac", {
      "site.yml": play("k3s_cluster:!k3s_agents"),
      "inventory/hosts.ini": "[k3s_servers]\n10.0.0.2\n",
    });
    expect(hosts).toMatchObject({
      status: "pass",
      evidence: [{ path: "site.yml", line: 1, note: "Ansible: 1 play on k3s_cluster,!k3s_agents" }],
    });
    for (const local of ["localhost", "127.0.0.1", "[localhost]"]) {
      const laptop = await detect("architecture/iac", { "playbook.yml": play(local) });
      expect(laptop, local).toMatchObject({ status: "fail", reasonId: "no-iac" });
    }
  });

  it("fails on variables only, tfvars only, a lone empty .tf, a library chart, a kubeconfig, and vendored IaC", async () => {
    const result = await detect("architecture/iac", {
      ...notInfrastructure(),
      "empty.tf": "",
      "charts/lib/Chart.yaml": "apiVersion: v2\nname: lib\ntype: library\nversion: 1.0.0\n",
      "deploy/kubeconfig.yaml": "apiVersion: v1\nkind: Config\nclusters: []\n",
      "vendor/github.com/x/k8s/deployment.yaml": DEPLOYMENT(3),
      "node_modules/pkg/infra/main.tf": 'resource "aws_s3_bucket" "b" {}',
      "Pulumi.prod.yaml": "config: {}\n",
    });
    expect(result).toMatchObject({ status: "fail", reasonId: "no-iac" });
    expect(result.evidence?.map((e) => e.path)).toContain("vars/prod.tfvars");
  });

  it("end to end: the milestone's signal passes with evidence path and line", async () => {
    const report = await scanFiles(fixture("terraform"));
    const iac = signalOf(report, "architecture/iac");
    expect(iac.status).toBe("pass");
    expect(iac.evidence[0]).toMatchObject({ path: expect.stringMatching(/\.tf$/), line: expect.any(Number) });
    expect(report.milestones.find((m) => m.id === "iac")?.status).toBe("pass");
    const none = await scanFiles(notInfrastructure());
    expect(signalOf(none, "architecture/iac")).toMatchObject({ status: "fail", reasonId: "no-iac" });
    expect(none.milestones.find((m) => m.id === "iac")?.status).toBe("fail");
  });
});

describe("architecture/scalability", () => {
  it("passes on an HPA, replicas > 1, kustomize replicas, Helm autoscaling, Terraform and template autoscaling", async () => {
    const app = await detect("architecture/scalability", fixture("k8s-app"));
    expect(app.evidence?.map((e) => `${e.path}:${e.line}`)).toEqual([
      "k8s/base/deployment.yaml:2",
      "k8s/base/hpa.yaml:1",
      "k8s/overlays/prod/kustomization.yaml:12",
    ]);
    const tf = await detect("architecture/scalability", fixture("terraform"));
    expect(tf.evidence).toEqual([{ path: "infra/live/prod/main.tf", line: 33, note: "aws_autoscaling_group.workers" }]);
    const other = await detect("architecture/scalability", fixture("other-iac"));
    expect(other.evidence?.map((e) => e.path).sort()).toEqual([
      "azure/azuredeploy.json",
      "azure/main.bicep",
      "cloudformation/template.yaml",
      "nomad/web.nomad.hcl",
    ]);
    const keda = await detect("architecture/scalability", {
      "k8s/scaler.yaml":
        "apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata: {name: worker}\nspec:\n  scaleTargetRef: {name: worker}\n",
    });
    expect(keda.status).toBe("pass");
  });

  it("fails on replicas: 1, a commented-out HPA, a disabled Helm autoscaler, an HPA capped at 1 and a settings file", async () => {
    const result = await detect("architecture/scalability", {
      ...fixture("k8s-traps"),
      "k8s/hpa.yaml":
        "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web}\nspec:\n  minReplicas: 1\n  maxReplicas: 1\n",
      "infra/asg.tf": 'resource "aws_autoscaling_group" "one" {\n  min_size = 1\n  max_size = 1\n}\n',
    });
    expect(result).toMatchObject({ status: "fail", reasonId: "no-scale-out" });
  });
});

describe("architecture/resource-limits", () => {
  it("passes when every container has requests and limits; init containers and patches do not count", async () => {
    const result = await detect("architecture/resource-limits", fixture("k8s-app"));
    expect(result.status).toBe("pass");
  });

  it("fails with the containers that lack them, and a k8s/no-resources note for each", async () => {
    const result = await detect("architecture/resource-limits", { "k8s/web.yaml": DEPLOYMENT(2) });
    expect(result).toMatchObject({
      status: "fail",
      reasonId: "container-without-resources",
      evidence: [{ path: "k8s/web.yaml", line: 9 }],
    });
    expect(result.findings).toEqual([
      expect.objectContaining({
        path: "k8s/web.yaml",
        line: 9,
        rule: "k8s/no-resources",
        severity: "note",
        message: 'container "web" of Deployment web has no resource requests or limits',
      }),
    ]);
  });

  it("does not judge files that a kustomization applies as patches, whatever their name", async () => {
    const files = {
      ...fixture("k8s-app"),
      "k8s/overlays/staging/kustomization.yaml": "resources: [../../base]\npatchesStrategicMerge:\n  - api.yaml\n",
      "k8s/overlays/staging/api.yaml":
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n  template:\n" +
        "    spec:\n      containers:\n        - name: api\n          env: [{name: A, value: b}]\n",
    };
    const result = await detect("architecture/resource-limits", files);
    expect(result.status).toBe("pass");
    expect(result.findings ?? []).toEqual([]);
  });

  it("is not applicable without Kubernetes workloads", async () => {
    const report = await scanFiles(fixture("terraform"));
    expect(signalOf(report, "architecture/resource-limits")).toMatchObject({
      status: "na",
      reasonId: "not-has-k8s-workloads",
    });
  });
});

describe("architecture/environments", () => {
  it("passes on two Kustomize overlays, per-env tfvars or module folders, Helm values and Pulumi stacks", async () => {
    expect((await detect("architecture/environments", fixture("k8s-app"))).reason).toBe("environments: prod, staging");
    expect((await detect("architecture/environments", fixture("terraform"))).reason).toBe(
      "environments: prod, staging",
    );
    expect((await detect("architecture/environments", fixture("other-iac"))).reason).toBe(
      "environments: prod, staging",
    );
    const helm = await detect("architecture/environments", {
      "charts/web/Chart.yaml": "apiVersion: v2\nname: web\nversion: 1.0.0\n",
      "charts/web/values-staging.yaml": "replicaCount: 1\n",
      "charts/web/values-production.yaml": "replicaCount: 3\n",
    });
    expect(helm.reason).toBe("environments: prod, staging");
  });

  it("fails with one environment, or files whose names are not environments", async () => {
    const one = await detect("architecture/environments", {
      "envs/prod.tfvars": "a = 1\n",
      "values-eu.yaml": "x: 1\n",
      "common.tfvars": "b = 2\n",
    });
    expect(one).toMatchObject({
      status: "fail",
      reasonId: "single-environment",
      reason: "only one environment is described (prod)",
    });
    expect(await detect("architecture/environments", { "main.tf": 'resource "aws_s3_bucket" "b" {}\n' })).toMatchObject(
      {
        status: "fail",
        reasonId: "no-environments",
      },
    );
  });
});

describe("architecture/remote-state and pinned-iac-versions", () => {
  it("are N/A with only a child module, or nothing to pin", async () => {
    const child = { "modules/db/main.tf": 'resource "aws_s3_bucket" "b" {}\n' };
    expect(await detect("architecture/remote-state", child)).toMatchObject({
      status: "na",
      reasonId: "no-root-module",
    });
    expect(await detect("architecture/pinned-iac-versions", child)).toMatchObject({
      status: "na",
      reasonId: "nothing-to-pin",
    });
  });

  it("passes when every root module has a remote backend; child modules need none", async () => {
    const result = await detect("architecture/remote-state", fixture("terraform"));
    expect(result.status).toBe("pass");
    expect(result.evidence?.map((e) => `${e.path}:${e.line}`)).toEqual([
      "infra/live/prod/main.tf:4",
      "infra/live/staging/main.tf:2",
    ]);
    expect(result.findings ?? []).toEqual([]);
  });

  it("fails, with a finding, on a root module without a backend", async () => {
    const result = await detect("architecture/remote-state", fixture("terraform-traps"));
    expect(result).toMatchObject({ status: "fail", reasonId: "local-state" });
    expect(result.findings).toEqual([
      expect.objectContaining({ path: "local/main.tf", line: 17, rule: "terraform/local-state", severity: "note" }),
    ]);
  });

  it("passes when providers are constrained (or locked) and modules pinned", async () => {
    const result = await detect("architecture/pinned-iac-versions", fixture("terraform"));
    expect(result.status).toBe("pass");
    expect(result.evidence?.map((e) => e.path)).toContain("infra/live/prod/.terraform.lock.hcl");
  });

  it("fails on unconstrained providers, unversioned registry modules and git sources without ref", async () => {
    const result = await detect("architecture/pinned-iac-versions", fixture("terraform-traps"));
    expect(result).toMatchObject({ status: "fail", reasonId: "unpinned-iac-version" });
    expect(result.evidence?.map((e) => e.line)).toEqual([3, 9, 13, 7]);
    expect(result.findings).toEqual([
      expect.objectContaining({ path: "local/main.tf", line: 7, rule: "terraform/unpinned-provider" }),
    ]);
  });

  it("are not applicable without Terraform, and report their findings through a scan", async () => {
    const k8s = await scanFiles(fixture("k8s-app"));
    expect(signalOf(k8s, "architecture/remote-state")).toMatchObject({
      status: "na",
      reasonId: "not-has-terraform-root-module",
    });
    expect(signalOf(k8s, "architecture/pinned-iac-versions")).toMatchObject({
      status: "na",
      reasonId: "not-has-terraform",
    });
    const traps = await scanFiles(fixture("terraform-traps"));
    expect(traps.findings.map((f) => f.rule)).toContain("terraform/local-state");
  });
});

describe("architecture docs and decision records", () => {
  const run = (id: string, docs: DocFact[], paths: string[] = []) => {
    const facts = new FactStore();
    for (const d of docs) facts.add("doc", d);
    const ctx: DetectContext = detectContext({
      paths: [...paths, ...docs.map((d) => d.path)],
      facts,
    });
    return detectors[id]!(ctx, {});
  };
  const doc = (path: string, topics: DocFact["topics"]): DocFact => ({ path, headings: [], topics, codeBlocks: [] });

  it("passes on a document about the architecture, or a diagram kept as code", () => {
    expect(
      run("architecture/architecture-docs", [
        doc("docs/architecture.md", [{ topic: "architecture", line: 1, heading: "Architecture" }]),
      ]),
    ).toMatchObject({ status: "pass", evidence: [{ path: "docs/architecture.md", line: 1 }] });
    expect(run("architecture/architecture-docs", [], ["docs/c4/workspace.dsl"]).status).toBe("pass");
    expect(run("architecture/architecture-docs", [], ["docs/img/system-architecture.png"]).status).toBe("pass");
  });

  it("fails on documents about other things and on unrelated pictures", () => {
    expect(
      run(
        "architecture/architecture-docs",
        [doc("docs/deploy.md", [{ topic: "deploy", line: 1, heading: "Deploying" }])],
        ["docs/img/logo.png"],
      ),
    ).toMatchObject({ status: "fail", reasonId: "no-architecture-docs" });
  });

  it("passes on numbered records in an ADR folder (not on the template) or on adr doc facts", async () => {
    expect((await detect("architecture/decision-records", fixture("k8s-app"))).evidence?.[0]).toMatchObject({
      path: "docs/adr/0001-record-architecture-decisions.md",
    });
    expect(
      run("architecture/decision-records", [
        doc("docs/decisions/use-kafka.md", [{ topic: "adr", line: 3, heading: "Decision" }]),
      ]).status,
    ).toBe("pass");
    expect(
      run(
        "architecture/decision-records",
        [],
        ["docs/adr/0000-template.md", "docs/adr/README.md", "docs/0001-notes.md"],
      ),
    ).toMatchObject({ status: "fail", reasonId: "no-decision-records" });
  });
});

describe("architecture task through a scan", () => {
  it("scores the k8s app fixture on every signal", async () => {
    const files: Files = fixture("k8s-app");
    const report = await scanFiles(files);
    const statuses = Object.fromEntries(
      report.tasks.find((t) => t.id === "architecture")!.signals.map((s) => [s.id, s.status]),
    );
    expect(statuses).toEqual({
      "architecture/iac": "pass",
      "architecture/architecture-docs": "pass",
      "architecture/decision-records": "pass",
      "architecture/scalability": "pass",
      "architecture/resource-limits": "pass",
      "architecture/environments": "pass",
      "architecture/remote-state": "na",
      "architecture/pinned-iac-versions": "na",
    });
  });
});

describe("Terragrunt", () => {
  it("counts a terragrunt.hcl module call as IaC, per environment, with inherited remote state", async () => {
    const files = fixture("terragrunt");
    expect((await detect("architecture/iac", files)).evidence).toContainEqual({
      path: "live/prod/vpc/terragrunt.hcl",
      line: 5,
      note: "0 resources, 1 modules",
    });
    expect((await detect("architecture/environments", files)).reason).toBe("environments: prod, staging");
    const state = await detect("architecture/remote-state", files);
    expect(state.status).toBe("pass");
    expect(state.evidence?.map((e) => `${e.path}:${e.line}`)).toEqual([
      "live/prod/vpc/terragrunt.hcl:1",
      "live/staging/vpc/terragrunt.hcl:1",
    ]);
    const pins = await detect("architecture/pinned-iac-versions", files);
    expect(pins).toMatchObject({
      status: "fail",
      reasonId: "unpinned-iac-version",
      evidence: [{ path: "live/staging/vpc/terragrunt.hcl", line: 5 }],
    });
  });
});

describe("environments: only what deploys counts", () => {
  it("ignores Terraform in test and example folders, and local-cluster configs are not IaC", async () => {
    const env = await detect("architecture/environments", {
      "infra/prod/main.tf": 'resource "aws_s3_bucket" "b" {}\n',
      "test/integration/main.tf": 'resource "aws_s3_bucket" "t" {}\n',
      "examples/dev/main.tf": 'resource "aws_s3_bucket" "e" {}\n',
    });
    expect(env).toMatchObject({
      status: "fail",
      reasonId: "single-environment",
      reason: "only one environment is described (prod)",
    });
    const kind = await detect("architecture/iac", {
      "deploy/kind-config.yaml": "apiVersion: kind.x-k8s.io/v1alpha4\nkind: Cluster\nnodes: [{role: control-plane}]\n",
    });
    expect(kind).toMatchObject({ status: "fail", reasonId: "no-iac" });
  });
});
