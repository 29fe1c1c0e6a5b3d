// GitOps deploys: Flux Kustomizations and HelmReleases, Argo CD Applications and ApplicationSets (also rendered by
// an app-of-apps chart or declared in Helm values) are the automated deploy; per-environment cluster folders.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/assets.js";
import { contextOf, detect, type Files, readFolder } from "../helpers.js";

const fixture = (name: string): Files => readFolder(join(PROJECT_ROOT, "fixtures", "gitops", name));
const notes = (r: { evidence?: { path: string; line?: number; note?: string }[] }) =>
  (r.evidence ?? []).map((e) => `${e.path}:${e.line} ${e.note}`);

describe("deploy-script: GitOps controllers apply the repository", () => {
  it("Flux Kustomizations of each cluster, the cluster's entry points first; a source alone is not a deploy", async () => {
    const r = await detect("deploy/deploy-script", fixture("flux-clusters"));
    expect(r.status).toBe("pass");
    expect(notes(r)).toEqual([
      "clusters/production/apps.yaml:1 Flux Kustomization apps applies ./apps/production (prune)",
      "clusters/staging/apps.yaml:1 Flux Kustomization apps applies ./apps/staging (prune)",
      "clusters/staging/flux-system/gotk-sync.yaml:13 Flux Kustomization flux-system applies ./clusters/staging (prune)",
      "apps/base/web/release.yaml:1 Flux HelmRelease web installs web",
    ]);
  });

  it("clusters/staging and clusters/production are the deploy's per-environment parameters", async () => {
    const r = await detect("deploy/per-environment", fixture("flux-clusters"));
    expect(notes(r)).toEqual([
      "clusters/production/apps.yaml:1 prod: Flux Kustomization apps applies ./apps/production (prune)",
      "clusters/staging/apps.yaml:1 staging: Flux Kustomization apps applies ./apps/staging (prune)",
    ]);
  });

  it("an app-of-apps chart renders one automated Application per entry of its values", async () => {
    const ctx = await contextOf(fixture("argo-app-of-apps"));
    expect(ctx.derived.gitops.map((g) => `${g.path} ${g.kind} ${g.name} ${g.automated}`)).toEqual([
      "argocd/root.yaml Application root true",
      "apps/templates/applications.yaml Application undefined true",
    ]);
    const r = await detect("deploy/deploy-script", fixture("argo-app-of-apps"));
    expect(notes(r)).toEqual([
      "argocd/root.yaml:1 Argo CD Application root syncs automatically",
      "apps/templates/applications.yaml:2 Argo CD Application syncs automatically (prune, selfHeal)",
    ]);
  });

  it("an ApplicationSet declared in the argocd-apps chart's values, its template syncing automatically", async () => {
    const r = await detect("deploy/deploy-script", {
      "system/argocd/Chart.yaml":
        "apiVersion: v2\nname: argocd\nversion: 0.0.0\ndependencies:\n  - name: argocd-apps\n" +
        "    version: 2.0.0\n    repository: https://argoproj.github.io/argo-helm\n",
      "system/argocd/values.yaml": [
        "argocd-apps:",
        "  applicationsets:",
        "    root:",
        "      generators:",
        "        - git:",
        "            repoURL: https://example.com/acme/homelab",
        "            revision: main",
        "            directories:",
        "              - path: apps/*",
        "      template:",
        "        metadata:",
        "          name: '{{path.basename}}'",
        "        spec:",
        "          project: default",
        "          source: {repoURL: https://example.com/acme/homelab, path: '{{path}}'}",
        "          destination: {server: https://kubernetes.default.svc}",
        "          syncPolicy:",
        "            automated: {prune: true, selfHeal: true}",
      ].join("\n"),
    });
    expect(notes(r)).toEqual([
      "system/argocd/values.yaml:1 Argo CD ApplicationSet root (Helm values) syncs automatically (prune, selfHeal)",
    ]);
  });
});

describe("deploy-script: what a controller does not apply by itself", () => {
  it("Applications without automated sync (commented out, enabled: false) and an app-of-apps with no entries", async () => {
    const r = await detect("deploy/deploy-script", fixture("argo-manual"));
    expect(r).toMatchObject({ status: "fail", reasonId: "no-deploy-command" });
    expect(notes(r)).toEqual([
      "argocd/api.yaml:1 Argo CD Application api syncs only when someone syncs it (no syncPolicy.automated)",
      "argocd/web.yaml:2 Argo CD Application web syncs only when someone syncs it (no syncPolicy.automated)",
    ]);
  });

  it("a suspended Kustomization, a HelmRelease in an example folder, a Flux source alone", async () => {
    const r = await detect("deploy/deploy-script", {
      "clusters/prod/apps.yaml": [
        "apiVersion: kustomize.toolkit.fluxcd.io/v1",
        "kind: Kustomization",
        "metadata: {name: apps}",
        "spec: {interval: 10m, path: ./apps, prune: true, suspend: true, sourceRef: {kind: GitRepository, name: fleet}}",
      ].join("\n"),
      "clusters/prod/source.yaml":
        "apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata: {name: fleet}\n" +
        "spec: {url: https://example.com/fleet, interval: 1m}\n",
      "examples/podinfo/release.yaml":
        "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: podinfo}\n" +
        "spec: {interval: 5m, chart: {spec: {chart: podinfo}}}\n",
    });
    expect(r).toMatchObject({ status: "fail", reasonId: "no-deploy-command" });
    expect(notes(r)).toEqual([
      "clusters/prod/apps.yaml:1 Flux Kustomization apps is suspended: Flux does not apply it",
    ]);
  });

  it("one cluster folder alone is not a choice of environments", async () => {
    const files = fixture("flux-clusters");
    const oneCluster = Object.fromEntries(Object.entries(files).filter(([p]) => !p.startsWith("clusters/staging/")));
    expect(await detect("deploy/per-environment", oneCluster)).toMatchObject({
      status: "fail",
      reasonId: "no-environment-input",
    });
  });
});

describe("the Kustomize tree decides what is in effect", () => {
  it("an app commented out of its overlay, and what only a suspended Kustomization points at, are left out", async () => {
    const ctx = await contextOf(fixture("flux-homelab"));
    const releases = ctx.derived.kubernetes.filter((o) => o.kind === "HelmRelease").map((o) => o.name);
    expect(releases.sort()).toEqual(["grafana", "web"]);
    const kustomizations = ctx.derived.gitops
      .filter((g) => g.kind === "Kustomization")
      .map((g) => `${g.name} ${g.automated}`);
    expect(kustomizations.sort()).toEqual(["cluster-apps true", "grafana true", "paused false", "web true"]);
  });
});
