import { describe, expect, it } from "vitest";
import { kubernetesAnalyzer } from "../../src/analyzers/infra/kubernetes.js";
import { analyze } from "../helpers.js";
import { fixture } from "./load.js";

const matches = (path: string) =>
  kubernetesAnalyzer.match(path, path.slice(path.lastIndexOf("/") + 1), path.toLowerCase());

describe("kubernetes analyzer: which files are manifests", () => {
  it("reads YAML in the usual manifest folders and files named for a workload", () => {
    for (const path of [
      "k8s/api.yaml",
      "deploy/k8s/web.yml",
      "kubernetes/base/svc.yaml",
      "manifests/app.yaml",
      "overlays/prod/patch.yaml",
      "clusters/prod/flux-system/gotk-sync.yaml",
      "argocd/apps.yaml",
      "infra/k8s/ingress.yaml",
      "web-deployment.yaml",
      "cronjob.yml",
    ])
      expect(matches(path), path).toBe(true);
  });
  it("reads GitOps trees: app folders, argocd-apps/, one ks.yaml or helmrelease.yaml per app, a tool's app folder", () => {
    for (const path of [
      "apps/frontend/canary.yaml",
      "apps/ai/hermes/app.ks.yaml",
      "components/volsync/replicationsource.yaml",
      "argocd-apps/applicationset.yaml",
      "k8s-apps/velero/schedule.yaml",
      "home/media/sonarr/ks.yaml",
      "cluster/observability/grafana/ks.yaml",
      "kubernetes/apps/o11y/grafana/app/helmrelease.yaml",
      "platform/loki/helm-release.yaml",
    ])
      expect(matches(path), path).toBe(true);
    for (const path of [
      "deploy/prometheus/prometheus.yml",
      "monitoring/grafana/datasources.yaml",
      "apps/web/package.yaml",
    ])
      expect(kubernetesAnalyzer.match(path, path.slice(path.lastIndexOf("/") + 1), path.toLowerCase()), path).toBe(
        path === "apps/web/package.yaml",
      );
  });
  it("leaves Helm templates, other tools' YAML and files outside manifest folders alone", () => {
    for (const path of [
      "charts/web/templates/deployment.yaml",
      "deploy/helm/web/templates/hpa.yaml",
      "charts/web/values.yaml",
      "charts/web/Chart.yaml",
      "k8s/overlays/prod/kustomization.yaml",
      ".github/workflows/deploy.yml",
      "deploy/docker-compose.yml",
      "deploy/ansible/playbook.yml",
      "deploy/ansible/roles/db/tasks/main.yml",
      "config/locales/en.yml",
      "src/settings.yaml",
      "k8s/README.md",
      "deploy/skaffold.yaml",
      "mkdocs.yml",
    ])
      expect(matches(path), path).toBe(false);
  });
});

describe("kubernetes analyzer: objects, probes, commands", () => {
  it("emits one k8s fact per object of a multi-document file, with lines and containers", async () => {
    const { facts } = await analyze(fixture("k8s-app"));
    const objects = facts.all("k8s").filter((o) => o.path === "k8s/base/deployment.yaml");
    expect(objects.map((o) => [o.kind, o.name, o.namespace, o.line])).toEqual([
      ["Deployment", "api", "shop", 2],
      ["Service", "api", "shop", 35],
    ]);
    const deployment = objects[0]!;
    expect(deployment.replicas).toBe(3);
    expect(deployment.containers).toEqual([
      { name: "api", image: "ghcr.io/acme/api:1.4.2", line: 20, init: false, requests: true, limits: true },
      { name: "migrate", image: "ghcr.io/acme/api:1.4.2", line: 16, init: true, requests: false, limits: false },
    ]);
  });

  it("turns probes of every workload kind into health checks, at the probe's line", async () => {
    const { facts } = await analyze(fixture("k8s-app"));
    expect(
      facts
        .all("healthcheck")
        .map((h) => [h.path, h.line, h.kind])
        .sort((a, b) => Number(a[1]) - Number(b[1])),
    ).toEqual([
      ["k8s/base/deployment.yaml", 24, "k8s-readiness"],
      ["k8s/base/deployment.yaml", 26, "k8s-liveness"],
      ["k8s/base/deployment.yaml", 28, "k8s-startup"],
    ]);
  });

  it("parses a CronJob's sh -c script into scheduled commands at their file lines", async () => {
    const { facts } = await analyze(fixture("k8s-app"));
    const commands = facts.all("command").filter((c) => c.unit === "db-backup");
    expect(commands.map((c) => [c.line, c.argv[0], c.schedule, c.origin])).toEqual([
      [18, "pg_dump", "0 3 * * *", "k8s"],
      [18, "gzip", "0 3 * * *", "k8s"],
      [19, "aws", "0 3 * * *", "k8s"],
      [19, "date", "0 3 * * *", "k8s"],
    ]);
    expect(commands[0]!.argv).toEqual(["pg_dump", '"$DATABASE_URL"']);
  });

  it("gives a suspended CronJob's commands no schedule", async () => {
    const { facts } = await analyze(fixture("k8s-traps"));
    const commands = facts.all("command").filter((c) => c.unit === "nightly-backup");
    expect(commands).toHaveLength(1);
    expect(commands[0]!.argv).toEqual(["pg_dump", "--file=/backup/db.sql"]);
    expect(commands[0]!.schedule).toBeUndefined();
  });

  it("does not read Helm templates and ignores documents without apiVersion", async () => {
    const { facts, findings } = await analyze(fixture("k8s-traps"));
    const kinds = facts.all("k8s").map((o) => `${o.path}:${o.kind}`);
    expect(kinds).toEqual(["deploy/app.yaml:Deployment", "deploy/cron-suspended.yaml:CronJob"]);
    expect(findings.filter((f) => f.path.includes("templates/"))).toEqual([]);
  });

  it("reports a YAML syntax error as a finding with its line and keeps going", async () => {
    const { findings } = await analyze(fixture("k8s-traps"));
    const parse = findings.filter((f) => f.rule === "k8s/parse-error");
    expect(parse).toHaveLength(1);
    expect(parse[0]).toMatchObject({ path: "deploy/broken.yaml", severity: "error" });
    expect(parse[0]!.line).toBeGreaterThanOrEqual(5);
  });

  it("flags :latest images and privileged containers, not pinned images", async () => {
    const traps = await analyze(fixture("k8s-traps"));
    const rules = traps.findings.filter((f) => f.path === "deploy/app.yaml").map((f) => `${f.rule}:${f.line}`);
    expect(rules).toEqual(["k8s/latest-image:12", "k8s/privileged:14"]);
    const app = await analyze(fixture("k8s-app"));
    expect(app.findings.filter((f) => f.rule.startsWith("k8s/"))).toEqual([]);
  });

  it("expands a kind: List and marks Kustomize patches", async () => {
    const { facts } = await analyze({
      "k8s/all.yaml":
        "apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Service\n" +
        "    metadata: {name: a}\n  - apiVersion: v1\n    kind: ConfigMap\n" +
        "    metadata: {name: b}\n",
      "k8s/overlays/prod/cpu-patch.yaml":
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n  template:\n" +
        "    spec:\n      containers:\n        - name: api\n          image: api:2\n",
      "k8s/dispatcher.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: dispatcher}\n",
    });
    expect(facts.all("k8s").map((o) => [o.path, o.kind, o.line, o.patch ?? false])).toEqual([
      ["k8s/all.yaml", "Service", 4, false],
      ["k8s/all.yaml", "ConfigMap", 7, false],
      ["k8s/overlays/prod/cpu-patch.yaml", "Deployment", 1, true],
      ["k8s/dispatcher.yaml", "Deployment", 1, false],
    ]);
  });

  it("survives wrong types, empty files and a broken sh -c script", async () => {
    const { facts, findings } = await analyze({
      "k8s/empty.yaml": "",
      "k8s/weird.yaml":
        "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template: 42\n---\napiVersion: 3\nkind: Pod\n---\n- a\n- b\n",
      "k8s/job.yaml":
        "apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  template:\n    spec:\n" +
        "      containers:\n        - name: c\n          image: busybox:1.36\n" +
        "          command: [bash, -c, 'if then fi']\n        - just a string\n",
    });
    expect(facts.all("k8s").map((o) => o.kind)).toEqual(["Deployment", "Job"]);
    expect(findings.find((f) => f.rule === "k8s/shell-parse-error")).toMatchObject({ path: "k8s/job.yaml", line: 10 });
    expect(findings.filter((f) => f.rule === "scan/analyzer-error")).toEqual([]);
  });
});
