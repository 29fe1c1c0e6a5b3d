// Infrastructure as code: Kubernetes, Helm, Kustomize, Terraform and the rest.
// Environment names are normalised by the analyzers: prod, staging, dev, qa, test, uat, preprod, sandbox …

/** One Kubernetes object (a YAML document, or an item of a `kind: List`) with string apiVersion and kind. */
export interface K8sObjectFact {
  path: string;
  line: number;
  apiVersion: string;
  kind: string;
  name?: string;
  namespace?: string;
  /** the whole parsed document, for detectors that need a field the analyzer does not lift */
  doc: Record<string, unknown>;
  /** for workloads (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Pod, Rollout): the containers */
  containers?: K8sContainer[];
  /** spec.replicas when it is a literal number */
  replicas?: number;
  /** the file is a Kustomize patch (its name says so): a partial object, merged over a base */
  patch?: boolean;
  /** rendered by a Helm chart's template (the chart's folder), with the chart's default values */
  chart?: string;
}

export interface K8sContainer {
  name?: string;
  line: number;
  image?: string;
  init: boolean;
  /** resources.requests / resources.limits are non-empty maps */
  requests: boolean;
  limits: boolean;
}

export interface HelmChartFact {
  path: string; // Chart.yaml
  line: number;
  dir: string;
  name: string;
  /** application | library (library charts render nothing by themselves) */
  type: string;
  dependencies: {
    name: string;
    version?: string;
    repository?: string;
    /** the key its values sit under in the parent's values (`alias:`), when not its name */
    alias?: string;
    /** the values path that switches it on (`condition: postgresql.enabled`) */
    condition?: string;
    line: number;
  }[];
}

/** A Helm values file (values.yaml, values-prod.yaml …); a chart's values sit in its dir. */
export interface HelmValuesFact {
  path: string;
  dir: string;
  /** from the file name (values-prod.yaml → prod); undefined for plain values.yaml */
  environment?: string;
  /** every literal replicaCount/replicas number, wherever it sits in the tree */
  replicas: { value: number; line: number }[];
  /** every `autoscaling:` map (the `helm create` convention), with its enabled flag */
  autoscaling: { enabled: boolean; line: number }[];
  /** the whole parsed file (a mapping), for what is judged against a chart's values */
  values?: Record<string, unknown>;
  /** the line of each top-level key and of each key one level under it (`velero.schedules`) */
  keyLines?: Record<string, number>;
}

/**
 * A Kubernetes object written in a Helm chart's `templates/` folder, read without its template actions.
 * Whether it renders, and what its `{{ … }}` placeholders stand for, is judged against the chart's values by
 * the derived-facts step (src/derived/kubernetes.ts): detectors read the objects in effect there.
 */
export interface HelmTemplateFact {
  path: string;
  /** the chart's folder (where Chart.yaml and values.yaml are) */
  chart: string;
  /** the object as written: strings may hold placeholders (`__tpl_2__`) */
  object: K8sObjectFact;
  /** the conditions it renders under (`if .Values.monitoring.enabled`, negated in an `else`) */
  gates: { expr: string; negated: boolean }[];
  /** placeholder → the expression of its action (`.Values.image.tag | default .Chart.AppVersion`) */
  placeholders: Record<string, string>;
}

export interface KustomizationFact {
  path: string;
  line: number;
  dir: string;
  resources: string[];
  /** the deprecated `bases:` list */
  bases: string[];
  components: string[];
  /** repository paths of the patch files it applies (patches, patchesStrategicMerge, patchesJson6902); inline patches are not files */
  patches: string[];
  images: { name: string; newName?: string; newTag?: string; digest?: string; line: number }[];
  replicas: { name: string; count: number; line: number }[];
  /** the overlay builds on another kustomization (resources pointing at ../base etc.) */
  overlay: boolean;
  /** the environment an overlay stands for, from its folder name (overlays/prod → prod) */
  environment?: string;
}

export interface TerraformBlock {
  type: string;
  name: string;
  line: number;
  attrs: Record<string, unknown>;
  /** line of each attribute or nested block name inside the block, nested ones too (HCL syntax only; hcl2json gives no positions) */
  attrLines?: Record<string, number>;
}

export interface TerraformModuleCall {
  name: string;
  source?: string;
  version?: string;
  line: number;
  /** local (./modules/x), registry (org/name/provider), git (git::, github.com/…), other (s3, https archive …) */
  origin: "local" | "registry" | "git" | "other";
  /** a registry module with a `version`, a git source with `?ref=`; local modules are pinned with the repo */
  pinned: boolean;
  /** the scalar inputs it passes (`backup_retention_period = var.days` as "${var.days}") */
  inputs?: Record<string, unknown>;
}

export interface TerraformFact {
  path: string;
  /** the folder of the file: Terraform's unit of a module */
  dir: string;
  resources: TerraformBlock[];
  dataSources: TerraformBlock[];
  modules: TerraformModuleCall[];
  /**
   * `backend "<type>"` or a `cloud {}` block (type "cloud"); a Terragrunt `include` is type "terragrunt-include",
   * with the file it looks up (`find_in_parent_folders("root.hcl")` → "root.hcl"; "terragrunt.hcl" when unnamed)
   */
  backend?: { type: string; line: number; includes?: string };
  requiredProviders: { name: string; source?: string; version?: string; line: number }[];
  /** `provider "<name>"` configuration blocks (a legacy `version` argument is kept) */
  providers: { name: string; version?: string; line: number }[];
  variables: string[];
  /** scalar defaults of the variables declared here */
  variableDefaults?: Record<string, unknown>;
  /** a .tfvars file's scalar values */
  values?: Record<string, unknown>;
  /** the `locals` blocks' values merged (expressions hcl2json cannot turn into JSON stay `${…}` strings) */
  locals?: Record<string, unknown>;
  /** a .tfvars file */
  tfvars?: boolean;
  /** from a tfvars file name (prod.tfvars) or, for both kinds, a folder (envs/staging/main.tf) */
  environment?: string;
  /** the file did not parse (a terraform/parse-error finding was emitted) */
  parseError?: boolean;
}

export type IacTool =
  | "terraform"
  | "pulumi"
  | "cloudformation"
  | "cdk"
  | "bicep"
  | "arm"
  | "ansible"
  | "serverless"
  | "helm"
  | "kustomize"
  | "kubernetes"
  | "nomad"
  | "crossplane";

/** Any other IaC project or template that the analyzers recognised. */
export interface IacFact {
  path: string;
  line: number;
  tool: IacTool;
  resources: { type: string; name: string; line: number; attrs?: Record<string, unknown> }[];
  /** a project/stack name (Pulumi project, CDK app, Nomad job) */
  name?: string;
  /** a per-environment stack or parameters file (Pulumi.prod.yaml → prod) */
  environment?: string;
}
