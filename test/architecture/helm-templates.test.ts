// Helm chart templates read with a tolerant Go-template reader: objects render when their `if` holds with the
// chart's default values; placeholders resolve from the values; Go-template YAML is never a parse error.
import { describe, expect, it } from "vitest";
import { evaluateExpression, gateHolds, readTemplatedYaml, UNKNOWN } from "../../src/analyzers/infra/go-template.js";
import { analyze, contextOf, detect } from "../helpers.js";

const chart = (values: string, templates: Record<string, string>, dir = "charts/api") => ({
  [`${dir}/Chart.yaml`]: "apiVersion: v2\nname: api\nversion: 1.0.0\n",
  [`${dir}/values.yaml`]: values,
  ...Object.fromEntries(Object.entries(templates).map(([name, text]) => [`${dir}/templates/${name}`, text])),
});

const HPA = [
  "{{- if .Values.autoscaling.enabled }}",
  "apiVersion: autoscaling/v2",
  "kind: HorizontalPodAutoscaler",
  "metadata:",
  '  name: {{ include "api.fullname" . }}',
  "  labels:",
  '    {{- include "api.labels" . | nindent 4 }}',
  "spec:",
  "  minReplicas: {{ .Values.autoscaling.minReplicas }}",
  "  maxReplicas: {{ .Values.autoscaling.maxReplicas }}",
  "{{- end }}",
].join("\n");

const RULES = [
  "{{- if and .Values.monitoring.enabled .Values.monitoring.rules.create }}",
  "apiVersion: monitoring.coreos.com/v1",
  "kind: PrometheusRule",
  "metadata:",
  '  name: {{ template "api.fullname" . }}-rules',
  "spec:",
  "  groups:",
  "    - name: api",
  "      rules:",
  "        - alert: ApiDown",
  '          expr: up{job="api"} == 0',
  "          for: 5m",
  "          labels:",
  '            severity: {{ .Values.monitoring.severity | default "critical" }}',
  "          annotations:",
  "            summary: '{{`{{`}} $labels.instance {{`}}`}} is down'",
  "{{- end }}",
].join("\n");

describe("the Go-template reader", () => {
  it("takes the actions out, keeps the lines, and gates documents by the conditions open where they start", () => {
    const read = readTemplatedYaml(HPA);
    expect(read.errors).toEqual([]);
    expect(read.docs).toHaveLength(1);
    const doc = read.docs[0]!;
    expect(doc.line).toBe(2);
    expect(doc.gates).toEqual([{ expr: ".Values.autoscaling.enabled", negated: false }]);
    expect(doc.lineAt(["spec", "maxReplicas"])).toBe(10);
    const spec = (doc.value as { spec: Record<string, string> }).spec;
    expect(read.placeholders[spec.maxReplicas!]).toBe(".Values.autoscaling.maxReplicas");
  });

  it("an `else` negates its `if`; `with` binds the dot; inline branches keep the first; `key: {{ toYaml }}` is the key's value", () => {
    const read = readTemplatedYaml(
      [
        "{{- if .Values.statefulset }}",
        "apiVersion: apps/v1",
        "kind: StatefulSet",
        "{{- else }}",
        "---",
        "apiVersion: apps/v1",
        "kind: Deployment",
        "{{- end }}",
        "metadata:",
        "  name: x",
        "{{- with .Values.podAnnotations }}",
        "  annotations:",
        "    {{- toYaml . | nindent 4 }}",
        "{{- end }}",
        "data:",
        "  kind: {{ if .Values.secret -}} Secret {{- else -}} ConfigMap {{- end }}",
        "  resources:",
        "    {{- toYaml .Values.resources | nindent 4 }}",
      ].join("\n"),
    );
    expect(read.docs.map((d) => [(d.value as { kind: string }).kind, d.gates])).toEqual([
      ["StatefulSet", [{ expr: ".Values.statefulset", negated: false }]],
      ["Deployment", [{ expr: ".Values.statefulset", negated: true }]],
    ]);
    const deployment = read.docs[1]!.value as { metadata: { annotations: string }; data: Record<string, string> };
    expect(read.placeholders[deployment.metadata.annotations]).toBe("toYaml .Values.podAnnotations | nindent 4");
    expect(deployment.data.kind).toBe("Secret");
    expect(read.placeholders[deployment.data.resources!]).toBe("toYaml .Values.resources | nindent 4");
  });

  it("judges conditions against values: and/or/not/eq/default/index/dig; what values cannot decide holds", () => {
    const values = {
      a: { enabled: true },
      b: { enabled: false },
      list: [],
      mode: "standalone",
      "kube-stack": { on: 1 },
    };
    const holds = (expr: string, negated = false) => gateHolds({ expr, negated }, values);
    expect(holds(".Values.a.enabled")).toBe(true);
    expect(holds(".Values.b.enabled")).toBe(false);
    expect(holds(".Values.missing.enabled")).toBe(false);
    expect(holds("and .Values.a.enabled (not .Values.b.enabled)")).toBe(true);
    expect(holds("or .Values.b.enabled .Values.list")).toBe(false);
    expect(holds('eq .Values.mode "standalone"')).toBe(true);
    expect(holds(".Values.list")).toBe(false);
    expect(holds('index .Values "kube-stack" "on"')).toBe(true);
    expect(holds(".Values.b.enabled | default true")).toBe(true);
    expect(holds('.Capabilities.APIVersions.Has "monitoring.coreos.com/v1"')).toBe(true);
    expect(holds('and (semverCompare ">=1.14" $v) .Values.b.enabled')).toBe(false);
    expect(holds(".Values.a.enabled", true)).toBe(false);
    expect(evaluateExpression('dig "X" "severity" "warning" .Values.none', values)).toBe("warning");
    expect(evaluateExpression('include "x.fullname" .', values)).toBe(UNKNOWN);
  });
});

describe("chart templates in effect", () => {
  it("an HPA renders when autoscaling is on by default, with its replicas from the values", async () => {
    const on = "autoscaling:\n  enabled: true\n  minReplicas: 2\n  maxReplicas: 8\n";
    const r = await detect("architecture/scalability", chart(on, { "hpa.yaml": HPA }));
    expect(r).toMatchObject({
      status: "pass",
      evidence: [
        { path: "charts/api/templates/hpa.yaml", line: 2, note: "HPA up to 8 replicas" },
        { path: "charts/api/values.yaml", note: "Helm autoscaling enabled" },
      ],
    });
  });

  it("a template whose value defaults to false does not render (the chart's HPA and PrometheusRule are opt-in)", async () => {
    const off =
      "autoscaling:\n  enabled: false\n  maxReplicas: 8\nmonitoring:\n  enabled: false\n  rules:\n    create: true\n";
    const files = chart(off, { "hpa.yaml": HPA, "prometheusrule.yaml": RULES });
    expect(await detect("architecture/scalability", files)).toMatchObject({ status: "fail", reasonId: "no-scale-out" });
    expect(await detect("monitoring/alert-rules", files)).toMatchObject({ status: "fail", reasonId: "no-alert-rules" });
  });

  it("a PrometheusRule template counts for alerts when its gates hold by default", async () => {
    const on = "monitoring:\n  enabled: true\n  rules:\n    create: true\n";
    const r = await detect("monitoring/alert-rules", chart(on, { "prometheusrule.yaml": RULES }));
    expect(r).toMatchObject({
      status: "pass",
      evidence: [
        { path: "charts/api/templates/prometheusrule.yaml", note: "prometheus-operator alert ApiDown (critical)" },
      ],
    });
  });

  it("templates/ without a Chart.yaml beside it is not a chart; a library chart renders nothing", async () => {
    const on = "monitoring:\n  enabled: true\n  rules:\n    create: true\n";
    const loose = { "scaffold/templates/prometheusrule.yaml": RULES, "scaffold/values.yaml": on };
    expect(await detect("monitoring/alert-rules", loose)).toMatchObject({ status: "fail", reasonId: "no-alert-rules" });
    const library = chart(on, { "prometheusrule.yaml": RULES });
    library["charts/api/Chart.yaml"] = "apiVersion: v2\nname: common\ntype: library\nversion: 1.0.0\n";
    expect(await detect("monitoring/alert-rules", library)).toMatchObject({
      status: "fail",
      reasonId: "no-alert-rules",
    });
  });

  it("a probe written in a template is a health check; templates never report parse errors", async () => {
    const deployment = [
      "apiVersion: apps/v1",
      "kind: Deployment",
      "metadata:",
      '  name: {{ include "api.fullname" . }}',
      "spec:",
      "  template:",
      "    spec:",
      "      containers:",
      "        - name: api",
      '          image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"',
      "          livenessProbe:",
      "            {{- toYaml .Values.livenessProbe | nindent 12 }}",
    ].join("\n");
    const files = chart(
      "image:\n  repository: ghcr.io/acme/api\n  tag: 1.0.0\nlivenessProbe:\n  httpGet: {path: /healthz, port: http}\n",
      {
        "deployment.yaml": deployment,
        "broken.yaml": "kind: ConfigMap\ndata:\n  {{ if .Values.broken }}: [ unbalanced\n",
      },
    );
    const { findings } = await analyze(files);
    expect(findings.filter((f) => f.severity === "error")).toEqual([]);
    expect((await detect("monitoring/health-checks", files)).evidence).toEqual([
      { path: "charts/api/templates/deployment.yaml", line: 11, note: "k8s-liveness health check" },
    ]);
    const ctx = await contextOf(files);
    expect(ctx.derived.kubernetes[0]?.containers?.[0]?.image).toBe("ghcr.io/acme/api:1.0.0");
  });
});

describe("Go-template YAML outside charts", () => {
  it("an operator's templated manifest is a template, never a parse error; its ungated objects are read", async () => {
    const text = [
      "apiVersion: apps/v1",
      "kind: Deployment",
      "metadata:",
      "  name: {{ .Name }}-controller",
      "  labels: {{ .Labels | toYaml | nindent 4 }}",
      "spec:",
      "  replicas: {{ .Replicas }}",
      "  template:",
      "    spec:",
      "      containers:",
      "        - name: manager",
      "          image: {{ .Image }}",
      "          args: {{ range .Args }}",
      "            - {{ . }}",
      "          {{ end }}",
    ].join("\n");
    const { facts, findings } = await analyze({ "deploy/templates-free/operator.yaml": text });
    expect(findings.filter((f) => f.rule === "k8s/parse-error")).toEqual([]);
    expect(facts.all("k8s").map((o) => o.kind)).toEqual(["Deployment"]);
  });

  it("in a folder other code shares (apps/), a broken file that is not a manifest is not our error; a broken manifest is", async () => {
    const { findings } = await analyze({
      "apps/web/openapi-spec.yml": "paths:\n  /users: [\n",
      "apps/web/k8s-service.yaml": "apiVersion: v1\nkind: Service\nmetadata: {name: web\n",
    });
    expect(findings.filter((f) => f.rule === "k8s/parse-error").map((f) => f.path)).toEqual([
      "apps/web/k8s-service.yaml",
    ]);
  });
});
