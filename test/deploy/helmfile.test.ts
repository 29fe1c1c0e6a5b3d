// helmfile: a helmfile's releases are a deploy tool's config, its environments the deploy's environments.
import { describe, expect, it } from "vitest";
import { detect } from "../helpers.js";

const lines = (...l: string[]) => `${l.join("\n")}\n`;
const notes = (r: { evidence?: { path: string; line?: number; note?: string }[] }) =>
  (r.evidence ?? []).map((e) => `${e.path}:${e.line} ${e.note}`);

describe("helmfile", () => {
  it("a Go-template helmfile with environments and releases is a deploy config with its environments", async () => {
    const files = {
      "helmfile/helmfile.yaml.gotmpl": lines(
        "environments:",
        "  staging:",
        "    values:",
        "      - ./overrides/staging.env",
        "  production:",
        "    values:",
        "      - ./overrides/production.env",
        "---",
        "helmDefaults:",
        "  kubeContext: {{ .Environment.Name }}",
        "",
        "releases:",
        "  - name: api",
        "    chart: ./charts/api",
        "    values:",
        "      - ./overrides/api.yaml.gotmpl",
        '  {{ if eq .Environment.Name "production" }}',
        "  - name: goldilocks",
        "    chart: fairwinds-stable/goldilocks",
        "  {{ end }}",
      ),
    };
    expect(notes(await detect("deploy/platform-config", files))).toEqual([
      "helmfile/helmfile.yaml.gotmpl:12 helmfile (staging, production)",
    ]);
    expect(notes(await detect("deploy/per-environment", files))).toEqual([
      "helmfile/helmfile.yaml.gotmpl:12 helmfile: staging, production",
    ]);
  });

  it("helmfile.d/ and a bootstrap helmfile/ folder; values files and releases switched off are not", async () => {
    const r = await detect("deploy/platform-config", {
      "bootstrap/helmfile/apps.yaml": lines(
        "releases:",
        "  - name: cilium",
        "    namespace: kube-system",
        "    chart: oci://ghcr.io/home-operations/charts-mirror/cilium",
        "    version: 1.17.4",
      ),
      "helmfile.d/values/common.yaml": lines("replicas: 2"),
      "helmfile.d/10-off.yaml": lines("releases:", "  - name: old", "    chart: stable/old", "    installed: false"),
      "helmfile.d/20-empty.yaml": lines("releases: []", "# - name: web", "#   chart: ./web"),
    });
    expect(notes(r)).toEqual(["bootstrap/helmfile/apps.yaml:1 helmfile"]);
  });
});
