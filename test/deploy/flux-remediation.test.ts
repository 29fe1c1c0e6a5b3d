// Flux HelmRelease upgrade remediation is an automated rollback: set on a HelmRelease, or patched into every
// HelmRelease by a Flux Kustomization (also through the child Kustomizations it patches).
import { describe, expect, it } from "vitest";
import { detect } from "../helpers.js";

const lines = (...l: string[]) => `${l.join("\n")}\n`;
const notes = (r: { evidence?: { path: string; line?: number; note?: string }[] }) =>
  (r.evidence ?? []).map((e) => `${e.path}:${e.line} ${e.note}`);

const release = (name: string, ...spec: string[]) =>
  lines(
    "apiVersion: helm.toolkit.fluxcd.io/v2",
    "kind: HelmRelease",
    "metadata:",
    `  name: ${name}`,
    "spec:",
    "  interval: 15m",
    "  chartRef:",
    "    kind: OCIRepository",
    `    name: ${name}`,
    ...spec,
  );

describe("auto-rollback: Flux HelmRelease remediation", () => {
  it("upgrade.remediation with retries rolls a failed upgrade back (rollback is the default strategy)", async () => {
    const r = await detect("backups/auto-rollback", {
      "kubernetes/apps/web/helmrelease.yaml": release(
        "web",
        "  install:",
        "    remediation:",
        "      retries: -1",
        "  upgrade:",
        "    remediation:",
        "      strategy: rollback",
        "      retries: 3",
      ),
    });
    expect(r.status).toBe("pass");
    expect(notes(r)).toEqual([
      "kubernetes/apps/web/helmrelease.yaml:1 Flux HelmRelease web: a failed upgrade rolls back (retries 3)",
    ]);
  });

  it("no retries, strategy uninstall, RetryOnFailure, a suspended release: near misses or nothing", async () => {
    const r = await detect("backups/auto-rollback", {
      "apps/a/helmrelease.yaml": release("a", "  upgrade:", "    remediation:", "      strategy: rollback"),
      "apps/b/helmrelease.yaml": release(
        "b",
        "  upgrade:",
        "    remediation:",
        "      retries: 3",
        "      strategy: uninstall",
      ),
      "apps/c/helmrelease.yaml": release("c", "  upgrade:", "    strategy:", "      name: RetryOnFailure"),
      "apps/d/helmrelease.yaml": release("d", "  suspend: true", "  upgrade:", "    remediation:", "      retries: 3"),
      "apps/e/helmrelease.yaml": release(
        "e",
        "  upgrade:",
        "    cleanupOnFail: true",
        "    # remediation:",
        "    #   retries: 3",
      ),
    });
    expect(r).toMatchObject({ status: "fail", reasonId: "no-auto-rollback" });
    expect(notes(r)).toEqual([
      "apps/a/helmrelease.yaml:1 Flux HelmRelease a: upgrade.remediation has no retries: a failed upgrade stays as it is",
      "apps/b/helmrelease.yaml:1 Flux HelmRelease b: a failed upgrade is remediated by uninstall, not rolled back",
      "apps/c/helmrelease.yaml:1 Flux HelmRelease c: upgrade strategy RetryOnFailure retries without rolling back",
    ]);
  });

  it("a cluster Kustomization patches RemediateOnFailure into the Kustomizations it applies and their HelmReleases", async () => {
    const files = {
      "kubernetes/flux/cluster/ks.yaml": lines(
        "apiVersion: kustomize.toolkit.fluxcd.io/v1",
        "kind: Kustomization",
        "metadata:",
        "  name: cluster-apps",
        "  namespace: flux-system",
        "spec:",
        "  interval: 1h",
        "  path: ./kubernetes/apps",
        "  prune: true",
        "  sourceRef:",
        "    kind: GitRepository",
        "    name: flux-system",
        "  patches:",
        "    - patch: |-",
        "        apiVersion: kustomize.toolkit.fluxcd.io/v1",
        "        kind: Kustomization",
        "        metadata:",
        "          name: _",
        "        spec:",
        "          patches:",
        "            - patch: |-",
        "                apiVersion: helm.toolkit.fluxcd.io/v2",
        "                kind: HelmRelease",
        "                metadata:",
        "                  name: _",
        "                spec:",
        "                  upgrade:",
        "                    strategy:",
        "                      name: RemediateOnFailure",
        "                    remediation:",
        "                      remediateLastFailure: true",
        "                      retries: 2",
        "              target:",
        "                group: helm.toolkit.fluxcd.io",
        "                kind: HelmRelease",
        "      target:",
        "        group: kustomize.toolkit.fluxcd.io",
        "        kind: Kustomization",
      ),
      "kubernetes/apps/web/helmrelease.yaml": release("web"),
    };
    const r = await detect("backups/auto-rollback", files);
    expect(notes(r)).toEqual([
      "kubernetes/flux/cluster/ks.yaml:1 Flux Kustomization cluster-apps patches every " +
        "HelmRelease: a failed upgrade rolls back (strategy RemediateOnFailure, retries 2, " +
        "remediateLastFailure)",
    ]);
    // without any HelmRelease to patch, the patch rolls nothing back
    const alone = { "kubernetes/flux/cluster/ks.yaml": files["kubernetes/flux/cluster/ks.yaml"] };
    expect(await detect("backups/auto-rollback", alone)).toMatchObject({
      status: "fail",
      reasonId: "no-auto-rollback",
    });
  });
});
