// The registry of fact kinds: analyzers emit them by name, detectors read them by name.

import type { CiPipelineFact } from "./ci.js";
import type { CommandFact, ShellFlowFact } from "./commands.js";
import type { ComposeFact, DockerfileFact, DockerignoreFact } from "./container.js";
import type {
  HelmChartFact,
  HelmTemplateFact,
  HelmValuesFact,
  IacFact,
  K8sObjectFact,
  KustomizationFact,
  TerraformFact,
} from "./infra.js";
import type {
  AlertRoutingFact,
  AlertRuleFact,
  DashboardFact,
  HealthCheckFact,
  LogShippingFact,
  MetricsLibraryFact,
  OtelConfigFact,
  ScrapeConfigFact,
  SecurityPolicyFact,
} from "./observability.js";
import type {
  CodeownersFact,
  DependencyUpdatesFact,
  DocFact,
  LinterSecurityFact,
  ReleaseToolingFact,
  SecurityScanFact,
  TemplateFact,
} from "./repo.js";
import type {
  HelmfileReleaseFact,
  JustfileFact,
  MakefileFact,
  PackageManifestFact,
  PlatformFact,
  ShellScriptFact,
  SnapshotPolicyFact,
  SystemdTimerFact,
  ValuesFileFact,
} from "./scripts.js";

export interface FactKinds {
  command: CommandFact;
  /** how the commands of one shell text run (after a failure? into /dev/null? fed a dump?) */
  shellFlow: ShellFlowFact;
  ci: CiPipelineFact;
  dockerfile: DockerfileFact;
  dockerignore: DockerignoreFact;
  compose: ComposeFact;
  shell: ShellScriptFact;
  makefile: MakefileFact;
  /** a justfile of the `just` command runner: recipes run like Makefile targets */
  justfile: JustfileFact;
  manifest: PackageManifestFact;
  k8s: K8sObjectFact;
  helm: HelmChartFact;
  helmValues: HelmValuesFact;
  /** an object of a Helm chart template, judged against the chart's values in src/derived/kubernetes.ts */
  helmTemplate: HelmTemplateFact;
  kustomization: KustomizationFact;
  terraform: TerraformFact;
  iac: IacFact;
  scrape: ScrapeConfigFact;
  alert: AlertRuleFact;
  alertRouting: AlertRoutingFact;
  dashboard: DashboardFact;
  logShipping: LogShippingFact;
  /** an OpenTelemetry Collector config file, read together with the others a collector is started with */
  otelConfig: OtelConfigFact;
  metricsLibrary: MetricsLibraryFact;
  healthcheck: HealthCheckFact;
  dependencyUpdates: DependencyUpdatesFact;
  securityScan: SecurityScanFact;
  /** a security linter a linter runner's config turns on (gosec in .golangci.yml); a scan when CI runs the runner */
  linterSecurity: LinterSecurityFact;
  /** SECURITY.md and the reporting channels it names */
  securityPolicy: SecurityPolicyFact;
  codeowners: CodeownersFact;
  doc: DocFact;
  template: TemplateFact;
  releaseTooling: ReleaseToolingFact;
  /** a deploy platform config (fly.toml, app.yaml, Procfile, vercel.json, kamal, skaffold …) */
  platform: PlatformFact;
  helmfileRelease: HelmfileReleaseFact;
  valuesFile: ValuesFileFact;
  /** a systemd timer and the unit it starts on a schedule */
  timer: SystemdTimerFact;
  /** a dataset snapshotted on a schedule by a snapshot tool's own config (sanoid.conf) */
  snapshotPolicy: SnapshotPolicyFact;
}

export type FactKind = keyof FactKinds;

export type * from "./ci.js";
export type { CommandFact, FlowCommand, ShellFlowFact } from "./commands.js";
export type * from "./container.js";
export type * from "./infra.js";
export type * from "./observability.js";
export type * from "./repo.js";
export type * from "./scripts.js";
