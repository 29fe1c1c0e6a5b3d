// Monitoring stacks installed as Helm charts with their values: umbrella charts, Flux HelmReleases, Argo CD
// Applications and Terraform helm_release resources count for alerts, routing and log aggregation.
import { describe, expect, it } from "vitest";
import { detect } from "../helpers.js";

const umbrella = (dir: string, dep: string, values: string, extra = "") => ({
  [`${dir}/Chart.yaml`]: [
    "apiVersion: v2",
    `name: ${dir.split("/").pop()}`,
    "version: 0.0.0",
    "dependencies:",
    `  - name: ${dep}`,
    "    version: 1.0.0",
    "    repository: https://example.github.io/helm-charts",
    extra,
  ].join("\n"),
  [`${dir}/values.yaml`]: values,
});

const KPS_VALUES = [
  "kube-prometheus-stack:",
  "  grafana:",
  "    enabled: false",
  "  alertmanager:",
  "    config:",
  "      route:",
  "        receiver: ntfy",
  "      receivers:",
  "        - name: ntfy",
  "          webhook_configs:",
  "            - url: http://localhost:8081",
].join("\n");

const helmRelease = (name: string, values: string[], extra: string[] = []) =>
  [
    "apiVersion: helm.toolkit.fluxcd.io/v2",
    "kind: HelmRelease",
    "metadata:",
    `  name: ${name}`,
    "spec:",
    "  interval: 30m",
    ...extra,
    "  chartRef:",
    "    kind: OCIRepository",
    `    name: ${name}`,
    "  values:",
    ...values.map((l) => `    ${l}`),
  ].join("\n");

const ociRepository = (name: string, url: string) =>
  [
    "apiVersion: source.toolkit.fluxcd.io/v1",
    "kind: OCIRepository",
    "metadata:",
    `  name: ${name}`,
    "spec:",
    "  interval: 15m",
    "  ref: {tag: 1.0.0}",
    `  url: ${url}`,
  ].join("\n");

describe("kube-prometheus-stack installed by an umbrella chart", () => {
  it("its default rules are alerts, and alertmanager.config in the values routes them", async () => {
    const files = umbrella("system/monitoring-system", "kube-prometheus-stack", KPS_VALUES);
    const rules = await detect("monitoring/alert-rules", files);
    expect(rules.status).toBe("pass");
    expect(rules.evidence![0]).toMatchObject({ path: "system/monitoring-system/Chart.yaml", line: 5 });
    const routing = await detect("monitoring/alert-routing", files);
    expect(routing.status).toBe("pass");
    expect(routing.evidence![0]!.path).toBe("system/monitoring-system/values.yaml");
  });

  it("defaultRules.create: false leaves no alert; the default null receiver routes nowhere", async () => {
    const files = umbrella(
      "system/monitoring",
      "kube-prometheus-stack",
      "kube-prometheus-stack:\n  defaultRules:\n    create: false\n",
    );
    expect(await detect("monitoring/alert-rules", files)).toMatchObject({ status: "fail", reasonId: "no-alert-rules" });
    expect(await detect("monitoring/alert-routing", files)).toMatchObject({
      status: "fail",
      reasonId: "no-alert-routing",
    });
  });

  it("a dependency whose condition is false is not installed", async () => {
    const files = umbrella(
      "system/monitoring",
      "kube-prometheus-stack",
      "monitoring:\n  enabled: false\n",
      "    condition: monitoring.enabled",
    );
    expect(await detect("monitoring/alert-rules", files)).toMatchObject({ status: "fail", reasonId: "no-alert-rules" });
  });

  it("an umbrella chart under examples/ installs nothing", async () => {
    const files = umbrella("examples/monitoring", "kube-prometheus-stack", KPS_VALUES);
    expect(await detect("monitoring/alert-rules", files)).toMatchObject({ status: "fail", reasonId: "no-alert-rules" });
  });
});

describe("log aggregation by Helm-installed charts", () => {
  it("loki-stack installs Loki and promtail shipping to it", async () => {
    const files = umbrella(
      "system/loki",
      "loki-stack",
      "loki-stack:\n  loki:\n    serviceMonitor:\n      enabled: true\n",
    );
    const result = await detect("monitoring/log-aggregation", files);
    expect(result.status).toBe("pass");
    expect(result.evidence!.map((e) => e.path)).toContain("system/loki/Chart.yaml");
  });

  it("loki-stack without promtail, or a loki chart alone, stores logs that nothing ships", async () => {
    const noPromtail = umbrella("system/loki", "loki-stack", "loki-stack:\n  promtail:\n    enabled: false\n");
    const lokiAlone = umbrella("system/loki", "loki", "loki:\n  deploymentMode: SingleBinary\n");
    for (const files of [noPromtail, lokiAlone]) {
      const result = await detect("monitoring/log-aggregation", files);
      expect(result).toMatchObject({ status: "fail", reasonId: "no-shipper-to-store" });
    }
  });

  it("a fluent-bit HelmRelease whose config.outputs sends logs over http to victoria-logs", async () => {
    const outputs = ["config:", "  outputs: |-", "    [OUTPUT]", "      name http", "      match kubernetes.*"];
    const files = {
      "kubernetes/apps/observability/fluent-bit/app/helmrelease.yaml": helmRelease("fluent-bit", [
        ...outputs,
        "      host victoria-logs-server.observability.svc.cluster.local",
        "      port 9428",
      ]),
      "kubernetes/apps/observability/fluent-bit/app/ocirepository.yaml": ociRepository(
        "fluent-bit",
        "oci://ghcr.io/fluent/helm-charts/fluent-bit",
      ),
    };
    const result = await detect("monitoring/log-aggregation", files);
    expect(result.status).toBe("pass");
    expect(result.evidence![0]!.note).toContain("fluent-bit → http");
  });

  it("a fluent-bit HelmRelease that prints to stdout aggregates nothing", async () => {
    const files = {
      "kubernetes/apps/observability/fluent-bit/app/helmrelease.yaml": helmRelease("fluent-bit", [
        "config:",
        "  outputs: |-",
        "    [OUTPUT]",
        "      name stdout",
        "      match *",
      ]),
      "kubernetes/apps/observability/fluent-bit/app/ocirepository.yaml": ociRepository(
        "fluent-bit",
        "oci://ghcr.io/fluent/helm-charts/fluent-bit",
      ),
    };
    expect(await detect("monitoring/log-aggregation", files)).toMatchObject({
      status: "fail",
      reasonId: "logs-shipped-nowhere",
    });
  });

  it("a victoria-logs-collector with a remoteWrite URL ships; without one, or suspended, it does not", async () => {
    const collector = (values: string[], extra: string[] = []) => ({
      "kubernetes/apps/o11y/victoria-logs/collector/helmrelease.yaml": helmRelease(
        "victoria-logs-collector",
        values,
        extra,
      ),
      "kubernetes/apps/o11y/victoria-logs/collector/ocirepository.yaml": ociRepository(
        "victoria-logs-collector",
        "oci://ghcr.io/victoriametrics/helm-charts/victoria-logs-collector",
      ),
    });
    const shipping = ["remoteWrite:", "  - url: http://victoria-logs.o11y.svc.cluster.local:9428"];
    expect((await detect("monitoring/log-aggregation", collector(shipping))).status).toBe("pass");
    expect(await detect("monitoring/log-aggregation", collector(["podMonitor: {enabled: true}"]))).toMatchObject({
      status: "fail",
      reasonId: "logs-shipped-nowhere",
    });
    expect(await detect("monitoring/log-aggregation", collector(shipping, ["  suspend: true"]))).toMatchObject({
      status: "fail",
      reasonId: "no-log-shipping",
    });
  });

  it("the opentelemetry-collector chart's logs pipeline exporting to Loki ships; its default debug exporter does not", async () => {
    const values = [
      "opentelemetry-collector:",
      "  mode: daemonset",
      "  presets:",
      "    logsCollection:",
      "      enabled: true",
      "  config:",
      "    exporters:",
      "      otlphttp/loki:",
      "        endpoint: http://loki-gateway.loki/otlp",
      "    service:",
      "      pipelines:",
      "        logs:",
      "          exporters: [otlphttp/loki]",
      "          receivers: [otlp]",
    ].join("\n");
    const shipping = umbrella("k8s-apps/opentelemetry-collector", "opentelemetry-collector", values);
    const result = await detect("monitoring/log-aggregation", shipping);
    expect(result.status).toBe("pass");
    expect(result.evidence![0]!.path).toBe("k8s-apps/opentelemetry-collector/values.yaml");
    const defaults = umbrella(
      "k8s-apps/opentelemetry-collector",
      "opentelemetry-collector",
      "opentelemetry-collector:\n  mode: daemonset\n  presets:\n    logsCollection:\n      enabled: true\n",
    );
    expect(await detect("monitoring/log-aggregation", defaults)).toMatchObject({
      status: "fail",
      reasonId: "logs-shipped-nowhere",
    });
  });

  it("an Argo CD Application of the loki-stack chart; a Terraform helm_release of promtail with no client", async () => {
    const app = [
      "apiVersion: argoproj.io/v1alpha1",
      "kind: Application",
      "metadata:",
      "  name: loki",
      "spec:",
      "  project: default",
      "  source:",
      "    repoURL: https://grafana.github.io/helm-charts",
      "    chart: loki-stack",
      "    targetRevision: 2.10.1",
      "    helm:",
      "      valuesObject:",
      "        grafana: {enabled: false}",
      "  destination: {server: https://kubernetes.default.svc, namespace: loki}",
    ].join("\n");
    expect((await detect("monitoring/log-aggregation", { "argocd/apps/loki.yaml": app })).status).toBe("pass");
    const tf = [
      'resource "helm_release" "promtail" {',
      '  name       = "promtail"',
      '  repository = "https://grafana.github.io/helm-charts"',
      '  chart      = "promtail"',
      "  values     = [<<-EOT",
      "    config:",
      "      clients: []",
      "  EOT",
      "  ]",
      "}",
    ].join("\n");
    expect(await detect("monitoring/log-aggregation", { "infra/monitoring.tf": tf })).toMatchObject({
      status: "fail",
      reasonId: "logs-shipped-nowhere",
    });
    const withClient = tf.replace("clients: []", "clients: [{url: 'http://loki:3100/loki/api/v1/push'}]");
    expect((await detect("monitoring/log-aggregation", { "infra/monitoring.tf": withClient })).status).toBe("pass");
  });
});

describe("log aggregation by helmfile releases", () => {
  const helmfile = (values: string) =>
    [
      "repositories:",
      "  - name: fluent",
      "    url: https://fluent.github.io/helm-charts",
      "environments:",
      "  staging: {}",
      "  production: {}",
      "releases:",
      "  - name: fluent-bit",
      "    namespace: logging",
      "    chart: fluent/fluent-bit",
      "    version: 0.48.5",
      "    values:",
      `      - ${values}`,
      "  - name: api",
      "    chart: ./charts/api",
    ].join("\n");
  const fluentValues = (output: string) =>
    [
      "env:",
      "  - name: CLUSTER",
      "    value: app-{{ .Environment.Name }}",
      "config:",
      "  outputs: |",
      "    [OUTPUT]",
      `        Name ${output}`,
      "        Match kube.*",
      '        region {{ requiredEnv "AWS_REGION" }}',
    ].join("\n");

  it("a fluent-bit release whose Go-templated values file sends logs to CloudWatch ships them", async () => {
    const r = await detect("monitoring/log-aggregation", {
      "helmfile/helmfile.yaml.gotmpl": helmfile("./overrides/fluent-bit.yaml.gotmpl"),
      "helmfile/overrides/fluent-bit.yaml.gotmpl": fluentValues("cloudwatch_logs"),
    });
    expect(r.evidence?.map((e) => `${e.path}:${e.line} ${e.note}`)).toEqual([
      "helmfile/overrides/fluent-bit.yaml.gotmpl:1 fluent-bit → cloudwatch_logs",
    ]);
  });

  it("not shipping: outputs to stdout, a release with installed: false, a values file no release names", async () => {
    const stdout = {
      "helmfile/helmfile.yaml.gotmpl": helmfile("./overrides/fluent-bit.yaml.gotmpl"),
      "helmfile/overrides/fluent-bit.yaml.gotmpl": fluentValues("stdout"),
    };
    const off = {
      "helmfile.yaml": helmfile("./values/fluent-bit.yaml").replace("    version: 0.48.5", "    installed: false"),
      "values/fluent-bit.yaml": fluentValues("es"),
    };
    const unnamed = {
      "helmfile.yaml": helmfile("./values/other.yaml").replace("fluent/fluent-bit", "acme/other"),
      "values/fluent-bit.yaml": fluentValues("es"),
    };
    for (const files of [stdout, off, unnamed])
      expect((await detect("monitoring/log-aggregation", files)).status, Object.keys(files)[1]).toBe("fail");
  });
});
